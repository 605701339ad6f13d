package dev.drover.scheduler.api;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.input.RequestRules;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent.BackfillFinished;
import dev.drover.scheduler.core.SchedulerEvent.BackfillRequested;
import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.loop.CommandGateway.Outcome;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.drover.scheduler.api.PipelineController.USER_HEADER;
import static dev.drover.scheduler.api.PipelineController.principal;

/** Pause and resume a pipeline, its skipped intervals, and backfills. See docs/scheduling.md and docs/api.md. */
@Controller("/api/v1/pipelines/{pipelineId}")
@Tag(name = "scheduling")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.scheduler.enabled", value = "true")
public class ScheduleController {
    private final WriteOutcomes writes;
    private final SchedulerQueries queries;
    private final SchedulingQueries scheduling;

    ScheduleController(WriteOutcomes writes, SchedulerQueries queries, SchedulingQueries scheduling) {
        this.writes = writes;
        this.queries = queries;
        this.scheduling = scheduling;
    }

    /** A pause or cancel with an optional reason. */
    @Serdeable
    public record Reason(@Schema(description = "why; recorded in the events") @Nullable String reason) {
    }

    /**
     * A backfill request: logical dates in [start, end) as ISO instants or dates (midnight UTC).
     */
    @Serdeable
    public record BackfillRequest(
            @Schema(description = "first logical date (inclusive): an ISO-8601 instant or a date (midnight UTC)",
                    example = "2026-10-01", requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String start,
            @Schema(description = "end of the range (exclusive), like start", example = "2026-11-01",
                    requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String end,
            @Schema(description = "runs of the backfill active at once (default 1)", minimum = "1")
            @Nullable Integer maxConcurrency,
            @Schema(description = "run parameters by name, as for POST /api/v1/pipelines/{id}/runs", type = "object",
                    additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
            @Nullable Map<String, Object> parameters) {
    }

    @RequiresPermission(value = Permission.OPERATE, resource = "pipelineId")
    @Post(uri = "/pause", consumes = MediaType.APPLICATION_JSON)
    @Operation(operationId = "pausePipeline", summary = "Pause: schedule ticks are skipped, new runs are queued")
    HttpResponse<Map<String, Object>> pause(@Parameter(schema = @Schema(pattern = ApiDocs.PIPELINE_ID))
            @PathVariable String pipelineId,
                                            @Nullable @Body Reason body,
                                            @Parameter(description = ApiDocs.USER_DESCRIPTION)
                                            @Nullable @Header(USER_HEADER) String user) {
        Outcome outcome = writes.send(new SchedulerCommand.PausePipeline(UUID.randomUUID().toString(), pipelineId,
                body == null ? null : body.reason(), principal(user)), null, principal(user));
        return HttpResponse.ok(state(pipelineId, true, outcome));
    }

    @RequiresPermission(value = Permission.OPERATE, resource = "pipelineId")
    @Post(uri = "/resume", consumes = MediaType.APPLICATION_JSON)
    @Operation(operationId = "resumePipeline", summary = "Resume: the schedule fires again, queued runs start")
    HttpResponse<Map<String, Object>> resume(@Parameter(schema = @Schema(pattern = ApiDocs.PIPELINE_ID))
            @PathVariable String pipelineId,
                                             @Parameter(description = ApiDocs.USER_DESCRIPTION)
                                            @Nullable @Header(USER_HEADER) String user) {
        Outcome outcome = writes.send(new SchedulerCommand.ResumePipeline(UUID.randomUUID().toString(), pipelineId,
                principal(user)), null, principal(user));
        return HttpResponse.ok(state(pipelineId, false, outcome));
    }

    private static Map<String, Object> state(String pipelineId, boolean paused, Outcome outcome) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pipelineId", pipelineId);
        out.put("paused", paused);
        out.put("changed", !(outcome.event().event() instanceof CommandRejected));
        if (outcome.event().event() instanceof CommandRejected r) {
            out.put("message", r.message());
        }
        out.put("position", outcome.position());
        return out;
    }

    @RequiresPermission(value = Permission.READ, resource = "pipelineId")
    @Get(uri = "/skipped-runs", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listSkippedRuns", summary = "Intervals that did not run, and why")
    List<Map<String, Object>> skipped(@Parameter(schema = @Schema(pattern = ApiDocs.PIPELINE_ID))
            @PathVariable String pipelineId,
                                      @Parameter(description = ApiDocs.LIMIT_DESCRIPTION,
                                              schema = @Schema(minimum = "1", maximum = "1000"))
                                   @Nullable @QueryValue Integer limit) {
        known(pipelineId);
        return scheduling.skipped(pipelineId, RequestRules.limit(limit, 100, 1000));
    }

    @RequiresPermission(value = Permission.OPERATE, resource = "pipelineId")
    @Post(uri = "/backfills", consumes = MediaType.APPLICATION_JSON)
    @Operation(operationId = "startBackfill",
            summary = "Run the schedule's intervals with logical dates in [start, end)",
            responses = @ApiResponse(responseCode = "201", description = "the backfill started"))
    HttpResponse<Map<String, Object>> backfill(@Parameter(schema = @Schema(pattern = ApiDocs.PIPELINE_ID))
            @PathVariable String pipelineId,
                                               @Nullable @Body BackfillRequest body,
                                               @Parameter(description = ApiDocs.USER_DESCRIPTION)
                                            @Nullable @Header(USER_HEADER) String user) {
        if (body == null || body.start() == null || body.end() == null) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_backfill", "a backfill needs `start` and `end`",
                    "send {\"start\": \"2026-10-01\", \"end\": \"2026-11-01\", \"maxConcurrency\": 4}: logical dates "
                            + "in [start, end) are run");
        }
        Instant start = instant("start", body.start());
        Instant end = instant("end", body.end());
        int concurrency = body.maxConcurrency() == null ? 1 : body.maxConcurrency();
        Outcome outcome = writes.send(new SchedulerCommand.RequestBackfill(UUID.randomUUID().toString(), pipelineId,
                start, end, concurrency, body.parameters() == null ? Map.of() : body.parameters(), principal(user)),
                null, principal(user));
        BackfillRequested r = (BackfillRequested) outcome.event().event();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("backfillId", r.backfillId());
        out.put("pipelineId", pipelineId);
        out.put("start", r.start().toString());
        out.put("end", r.end().toString());
        out.put("intervals", r.intervals());
        out.put("maxConcurrency", r.maxConcurrency());
        out.put("status", "RUNNING");
        out.put("position", outcome.position());
        return HttpResponse.created(out);
    }

    @RequiresPermission(value = Permission.READ, resource = "pipelineId")
    @Get(uri = "/backfills", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listBackfills", summary = "The pipeline's backfills, newest first")
    List<Map<String, Object>> backfills(@Parameter(schema = @Schema(pattern = ApiDocs.PIPELINE_ID))
            @PathVariable String pipelineId) {
        known(pipelineId);
        return scheduling.backfills(pipelineId);
    }

    @RequiresPermission(value = Permission.READ, resource = "pipelineId")
    @Get(uri = "/backfills/{backfillId}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getBackfill", summary = "A backfill's progress")
    Map<String, Object> backfill(@Parameter(schema = @Schema(pattern = ApiDocs.PIPELINE_ID))
            @PathVariable String pipelineId,
                                 @PathVariable String backfillId,
                                 @Parameter(description = ApiDocs.POSITION_DESCRIPTION,
                                         schema = @Schema(pattern = ApiDocs.POSITION))
                                 @Nullable @QueryValue String position) {
        writes.awaitProjected(position);
        return scheduling.backfill(pipelineId, backfillId).orElseThrow(() -> ApiException.of(HttpStatus.NOT_FOUND,
                "unknown_backfill", "pipeline '" + pipelineId + "' has no backfill '" + backfillId + "'",
                "list its backfills with GET /api/v1/pipelines/" + pipelineId + "/backfills"));
    }

    @RequiresPermission(value = Permission.OPERATE, resource = "pipelineId")
    @Post(uri = "/backfills/{backfillId}/cancel", consumes = MediaType.APPLICATION_JSON)
    @Operation(operationId = "cancelBackfill", summary = "Stop starting a backfill's intervals")
    HttpResponse<Map<String, Object>> cancel(@Parameter(schema = @Schema(pattern = ApiDocs.PIPELINE_ID))
            @PathVariable String pipelineId,
                                             @PathVariable String backfillId, @Nullable @Body Reason body,
                                             @Parameter(description = ApiDocs.USER_DESCRIPTION)
                                            @Nullable @Header(USER_HEADER) String user) {
        Outcome outcome = writes.send(new SchedulerCommand.CancelBackfill(UUID.randomUUID().toString(), pipelineId,
                backfillId, body == null ? null : body.reason(), principal(user)), null, principal(user));
        BackfillFinished f = (BackfillFinished) outcome.event().event();
        return HttpResponse.ok(Map.of("backfillId", backfillId, "status", f.status(), "position",
                outcome.position()));
    }

    private void known(String pipelineId) {
        if (queries.pipeline(pipelineId).isEmpty()) {
            throw ApiException.of(HttpStatus.NOT_FOUND, "unknown_pipeline", "pipeline '" + pipelineId
                    + "' is not registered", "list pipelines with GET /api/v1/pipelines");
        }
    }

    private static Instant instant(String field, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e2) {
                throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_backfill", "`" + field + "` is '" + text
                        + "', not a date or instant", "write 2026-10-01 (midnight UTC) or 2026-10-01T00:00:00Z");
            }
        }
    }
}
