package dev.drover.scheduler.api;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.scheduler.core.RejectionCode;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent.RunReopened;
import dev.drover.scheduler.core.TaskStatus;
import dev.drover.scheduler.loop.CommandGateway.Outcome;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
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
import java.util.UUID;

/**
 * Hand-made corrections of a run's tasks: clear (run again) and mark succeeded or failed. See docs/api.md and
 * docs/rerun-and-deadlines.md. Who asked is the {@code X-Drover-User} header, recorded in the events; an
 * {@code Idempotency-Key} header becomes the command id, so a retried request is answered, not carried out twice.
 */
@Controller("/api/v1/runs")
@Tag(name = "runs")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.scheduler.enabled", value = "true")
public class TaskActionsController {
    /** The header whose value becomes the command id of a write. */
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final int MAX_KEY_LENGTH = 200;
    private final WriteOutcomes writes;
    private final SchedulerQueries queries;

    TaskActionsController(WriteOutcomes writes, SchedulerQueries queries) {
        this.writes = writes;
        this.queries = queries;
    }

    /** A request to clear a task. */
    @Serdeable
    public record ClearRequest(@Schema(description = "also clear every task downstream (default false)")
                               @Nullable Boolean downstream) {
    }

    /** A request to mark a task. */
    @Serdeable
    public record MarkRequest(@Schema(description = "the outcome to set (case-insensitive)",
            allowableValues = {"succeeded", "failed"}, requiredMode = Schema.RequiredMode.REQUIRED)
                              @Nullable String status) {
    }

    @RequiresPermission(value = Permission.OPERATE, resource = "runId", resourceEndsBefore = ".")
    @Post(uri = "/{runId}/tasks/{taskId}/clear", consumes = MediaType.APPLICATION_JSON)
    @Operation(operationId = "clearTask", summary = "Clear a task so it runs again within the run")
    Map<String, Object> clear(@Parameter(schema = @Schema(pattern = ApiDocs.RUN_ID)) @PathVariable String runId,
                              @Parameter(schema = @Schema(pattern = ApiDocs.TASK_ID)) @PathVariable String taskId,
                              @Nullable @Body ClearRequest request,
                              @Parameter(description = ApiDocs.USER_DESCRIPTION)
                              @Nullable @Header(PipelineController.USER_HEADER) String user,
                              @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                      schema = @Schema(minLength = 1, maxLength = 200))
                              @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        boolean downstream = request != null && Boolean.TRUE.equals(request.downstream());
        String who = PipelineController.principal(user);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runId", runId);
        out.put("taskId", taskId);
        out.put("action", "clear");
        out.put("downstream", downstream);
        return write(new SchedulerCommand.ClearTasks(commandId(idempotencyKey), pipelineOf(runId), runId,
                List.of(taskId), downstream, who), runId, who, out);
    }

    @RequiresPermission(value = Permission.OPERATE, resource = "runId", resourceEndsBefore = ".")
    @Post(uri = "/{runId}/tasks/{taskId}/mark", consumes = MediaType.APPLICATION_JSON)
    @Operation(operationId = "markTask", summary = "Set a task's outcome by hand (succeeded or failed)")
    Map<String, Object> mark(@Parameter(schema = @Schema(pattern = ApiDocs.RUN_ID)) @PathVariable String runId,
                             @Parameter(schema = @Schema(pattern = ApiDocs.TASK_ID)) @PathVariable String taskId,
                             @Nullable @Body MarkRequest request,
                             @Parameter(description = ApiDocs.USER_DESCRIPTION)
                             @Nullable @Header(PipelineController.USER_HEADER) String user,
                             @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                     schema = @Schema(minLength = 1, maxLength = 200))
                              @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        String given = request == null ? null : request.status();
        TaskStatus status;
        if ("succeeded".equalsIgnoreCase(given)) {
            status = TaskStatus.SUCCEEDED;
        } else if ("failed".equalsIgnoreCase(given)) {
            status = TaskStatus.FAILED;
        } else {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_status", given == null
                            ? "the body names no status to mark task '" + taskId + "' with"
                            : "status '" + given + "' cannot be marked",
                    "send {\"status\": \"succeeded\"} or {\"status\": \"failed\"}");
        }
        String who = PipelineController.principal(user);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runId", runId);
        out.put("taskId", taskId);
        out.put("action", "mark");
        out.put("status", status.name());
        return write(new SchedulerCommand.MarkTask(commandId(idempotencyKey), pipelineOf(runId), runId, taskId,
                status, who), runId, who, out);
    }

    private Map<String, Object> write(SchedulerCommand command, String runId, String user,
                                      Map<String, Object> out) {
        List<Map<String, Object>> earlier = queries.eventsCausedBy(command.commandId());
        if (!earlier.isEmpty()) {
            return repeated(earlier, out);
        }
        Outcome outcome = writes.send(command, runId, user);
        out.put("reopened", outcome.event().event() instanceof RunReopened);
        out.put("repeated", false);
        out.put("position", outcome.position());
        return out;
    }

    /** The answer to a write whose Idempotency-Key was decided before: its first outcome, from the read model. */
    private static Map<String, Object> repeated(List<Map<String, Object>> earlier, Map<String, Object> out) {
        Map<String, Object> first = earlier.get(0);
        if ("CommandRejected".equals(first.get("type"))) {
            String detail = String.valueOf(first.get("detail"));
            int colon = detail.indexOf(": ");
            throw WriteOutcomes.rejected(RejectionCode.valueOf(detail.substring(0, colon)),
                    detail.substring(colon + 2));
        }
        out.put("reopened", "RunReopened".equals(first.get("type")));
        out.put("repeated", true);
        out.put("position", first.get("position"));
        return out;
    }

    private static String commandId(String idempotencyKey) {
        if (idempotencyKey == null) {
            return UUID.randomUUID().toString();
        }
        String key = idempotencyKey.strip();
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_idempotency_key", IDEMPOTENCY_HEADER
                            + " must be 1 to " + MAX_KEY_LENGTH + " characters, not " + key.length(),
                    "send a unique value such as a UUID, the same one for every retry of the same write");
        }
        return key;
    }

    private static String pipelineOf(String runId) {
        int dot = runId.indexOf('.');
        if (dot <= 0) {
            throw ApiException.of(HttpStatus.NOT_FOUND, "unknown_run", "run '" + runId + "' does not exist",
                    "list runs with GET /api/v1/runs (run ids look like <pipelineId>.<n>)");
        }
        return runId.substring(0, dot);
    }
}
