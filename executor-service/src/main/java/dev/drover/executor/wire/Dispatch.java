package dev.drover.executor.wire;

import java.util.List;
import java.util.Map;

/**
 * One attempt handed to a queue, as read from a {@code drover.task.dispatch.<queue>} record.
 *
 * @param poke    for a sensor, the number of this poke (reports carry it back; the scheduler fences by it), else 0
 * @param secrets the secrets the task's spec refers to: the executor fills in their placeholders in {@code config},
 *                for these names only
 */
public record Dispatch(String dispatchId, String pipelineId, String runId, String taskId, int attempt, String type,
                       String queue, Map<String, Object> config, long timeoutMs, int poke, List<String> secrets) {

    public Dispatch {
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }

    /** A dispatch whose config uses no secret. */
    public Dispatch(String dispatchId, String pipelineId, String runId, String taskId, int attempt, String type,
                    String queue, Map<String, Object> config, long timeoutMs, int poke) {
        this(dispatchId, pipelineId, runId, taskId, attempt, type, queue, config, timeoutMs, poke, List.of());
    }

    /** A dispatch of a task that is not a sensor. */
    public Dispatch(String dispatchId, String pipelineId, String runId, String taskId, int attempt, String type,
                    String queue, Map<String, Object> config, long timeoutMs) {
        this(dispatchId, pipelineId, runId, taskId, attempt, type, queue, config, timeoutMs, 0);
    }
}
