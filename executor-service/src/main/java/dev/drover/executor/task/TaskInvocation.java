package dev.drover.executor.task;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link TaskRunner} needs to run one attempt of one task.
 *
 * @param pipelineId pipeline the run belongs to
 * @param runId      run the task belongs to
 * @param taskId     task id within the pipeline
 * @param attempt    attempt number, starting at 1; the scheduler fences reports by it
 * @param type       task type, which picks the runner
 * @param config     type-specific settings, already template-resolved JSON values (String, Long, Double, Boolean,
 *                   List, Map; values may be {@code null})
 * @param timeout    how long the attempt may run; {@code null}, zero or negative means no limit
 * @param runDir     directory shared by the tasks of the run (created by the shell runner if missing)
 */
public record TaskInvocation(String pipelineId, String runId, String taskId, int attempt, String type,
                             Map<String, Object> config, Duration timeout, Path runDir) {

    public TaskInvocation {
        Objects.requireNonNull(pipelineId, "pipelineId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(runDir, "runDir");
        // Not Map.copyOf: JSON null is a legal config value.
        config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /**
     * The attempt's stable idempotency key, {@code runId/taskId/attempt}: the same on every delivery of this attempt,
     * so a task can make its side effects idempotent under at-least-once execution.
     */
    public String attemptId() {
        return runId + "/" + taskId + "/" + attempt;
    }

    /** The timeout if one is set, i.e. positive. */
    boolean hasTimeout() {
        return timeout != null && !timeout.isZero() && !timeout.isNegative();
    }
}
