package dev.drover.executor.wire;

import java.util.Map;

/**
 * One attempt handed to a queue, as read from a {@code drover.task.dispatch.<queue>} record.
 *
 * @param poke for a sensor, the number of this poke (reports carry it back; the scheduler fences by it), else 0
 */
public record Dispatch(String dispatchId, String pipelineId, String runId, String taskId, int attempt, String type,
                       String queue, Map<String, Object> config, long timeoutMs, int poke) {

    /** A dispatch of a task that is not a sensor. */
    public Dispatch(String dispatchId, String pipelineId, String runId, String taskId, int attempt, String type,
                    String queue, Map<String, Object> config, long timeoutMs) {
        this(dispatchId, pipelineId, runId, taskId, attempt, type, queue, config, timeoutMs, 0);
    }
}
