package dev.drover.scheduler.api;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.input.RequestRules;
import dev.drover.platform.input.TextRules;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.loop.CommandGateway.Outcome;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Runs: list, read with tasks and attempts, history, logs, cancel. See docs/api.md. */
@Controller("/api/v1/runs")
@Tag(name = "runs")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.scheduler.enabled", value = "true")
public class RunController {
    private static final List<String> STATUSES = List.of("QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED");
    private final WriteOutcomes writes;
    private final SchedulerQueries queries;

    RunController(WriteOutcomes writes, SchedulerQueries queries) {
        this.writes = writes;
        this.queries = queries;
    }

    /** A request to cancel a run. */
    @Serdeable
    public record CancelRequest(@Schema(description = "why; recorded in the run's events") @Nullable String reason) {
    }

    @RequiresPermission(value = Permission.READ, resource = "pipeline")
    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listRuns", summary = "Runs, newest first")
    List<Map<String, Object>> list(@Parameter(description = "only runs of this pipeline",
                                           schema = @Schema(pattern = ApiDocs.PIPELINE_ID))
                                   @Nullable @QueryValue String pipeline,
                                   @Parameter(description = "only runs with this status (case-insensitive)",
                                           schema = @Schema(allowableValues = {"QUEUED", "RUNNING", "SUCCEEDED",
                                                   "FAILED", "CANCELED"}))
                                   @Nullable @QueryValue String status,
                                   @Parameter(description = ApiDocs.LIMIT_DESCRIPTION,
                                           schema = @Schema(minimum = "1", maximum = "1000"))
                                   @Nullable @QueryValue Integer limit) {
        return queries.runs(pipeline, status(status), RequestRules.limit(limit, 100, 1000));
    }

    /** A run status filter, upper-cased; null when absent. */
    static String status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        String s = status.strip().toUpperCase(java.util.Locale.ROOT);
        if (!STATUSES.contains(s)) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_status", "status " + TextRules.quote(status)
                    + " is unknown", "use one of " + STATUSES);
        }
        return s;
    }

    @RequiresPermission(value = Permission.READ, resource = "runId", resourceEndsBefore = ".")
    @Get(uri = "/{runId}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getRun", summary = "One run with every task and attempt")
    Map<String, Object> get(@Parameter(schema = @Schema(pattern = ApiDocs.RUN_ID)) @PathVariable String runId,
                            @Parameter(description = ApiDocs.POSITION_DESCRIPTION,
                                    schema = @Schema(pattern = ApiDocs.POSITION))
                            @Nullable @QueryValue String position) {
        writes.awaitProjected(position);
        return queries.run(runId).orElseThrow(() -> unknown(runId));
    }

    @RequiresPermission(value = Permission.READ, resource = "runId", resourceEndsBefore = ".")
    @Get(uri = "/{runId}/events", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listRunEvents", summary = "The run's history: every event, oldest first")
    List<Map<String, Object>> events(@Parameter(schema = @Schema(pattern = ApiDocs.RUN_ID))
            @PathVariable String runId) {
        List<Map<String, Object>> events = queries.events(runId);
        if (events.isEmpty()) {
            throw unknown(runId);
        }
        return events;
    }

    @RequiresPermission(value = Permission.READ, resource = "runId", resourceEndsBefore = ".")
    @Get(uri = "/{runId}/tasks/{taskId}/logs", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getTaskLogs", summary = "Log lines of the task's latest attempt")
    Map<String, Object> latestLogs(@Parameter(schema = @Schema(pattern = ApiDocs.RUN_ID)) @PathVariable String runId,
                                   @Parameter(schema = @Schema(pattern = ApiDocs.TASK_ID)) @PathVariable String taskId,
                                   @Parameter(description = "only lines after this sequence number (to follow)")
                                   @Nullable @QueryValue Long afterSeq,
                                   @Parameter(description = "at most this many lines (1 to 10000)",
                                           schema = @Schema(minimum = "1", maximum = "10000"))
                                   @Nullable @QueryValue Integer limit) {
        int attempt = queries.latestAttempt(runId, taskId).orElseThrow(() -> ApiException.of(HttpStatus.NOT_FOUND,
                "unknown_attempt", "task '" + taskId + "' of run '" + runId + "' has not run",
                "check the run's tasks with GET /api/v1/runs/" + runId));
        return logs(runId, taskId, attempt, afterSeq, limit);
    }

    @RequiresPermission(value = Permission.READ, resource = "runId", resourceEndsBefore = ".")
    @Get(uri = "/{runId}/tasks/{taskId}/attempts/{attempt}/logs", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getAttemptLogs", summary = "Log lines of one attempt of a task")
    Map<String, Object> logs(@Parameter(schema = @Schema(pattern = ApiDocs.RUN_ID)) @PathVariable String runId,
                             @Parameter(schema = @Schema(pattern = ApiDocs.TASK_ID)) @PathVariable String taskId,
                             @Parameter(schema = @Schema(minimum = "1")) @PathVariable int attempt,
                             @Parameter(description = "only lines after this sequence number (to follow)")
                             @Nullable @QueryValue Long afterSeq,
                             @Parameter(description = "at most this many lines (1 to 10000)",
                                     schema = @Schema(minimum = "1", maximum = "10000"))
                             @Nullable @QueryValue Integer limit) {
        int n = RequestRules.limit(limit, 1000, 10_000);
        if (!queries.attemptExists(runId, taskId, attempt)) {
            throw ApiException.of(HttpStatus.NOT_FOUND, "unknown_attempt", "task " + TextRules.quote(taskId)
                    + " of run " + TextRules.quote(runId) + " has no attempt " + attempt,
                    "read the run's tasks and their attempts with GET /api/v1/runs/" + runId);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runId", runId);
        out.put("taskId", taskId);
        out.put("attempt", attempt);
        out.put("lines", queries.logs(runId, taskId, attempt, afterSeq == null ? -1 : afterSeq,
                n));
        return out;
    }

    @RequiresPermission(value = Permission.OPERATE, resource = "runId", resourceEndsBefore = ".")
    @Post(uri = "/{runId}/cancel", consumes = MediaType.APPLICATION_JSON)
    @Operation(operationId = "cancelRun", summary = "Cancel a run: unfinished tasks are canceled, processes killed")
    Map<String, Object> cancel(@Parameter(schema = @Schema(pattern = ApiDocs.RUN_ID)) @PathVariable String runId,
                               @Nullable @Body CancelRequest request,
                               @Parameter(description = ApiDocs.USER_DESCRIPTION)
                               @Nullable @Header(PipelineController.USER_HEADER) String user) {
        int dot = runId.indexOf('.');
        if (dot <= 0) {
            throw unknown(runId);
        }
        String pipelineId = runId.substring(0, dot);
        Outcome outcome = writes.send(new SchedulerCommand.CancelRun(UUID.randomUUID().toString(), pipelineId, runId,
                request == null ? null : request.reason(), PipelineController.principal(user)), runId,
                PipelineController.principal(user));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runId", runId);
        out.put("status", "CANCELED");
        out.put("position", outcome.position());
        return out;
    }

    private static ApiException unknown(String runId) {
        return ApiException.of(HttpStatus.NOT_FOUND, "unknown_run", "run '" + runId + "' does not exist",
                "list runs with GET /api/v1/runs (run ids look like <pipelineId>.<n>)");
    }
}
