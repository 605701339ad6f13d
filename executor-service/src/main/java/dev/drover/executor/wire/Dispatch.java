package dev.drover.executor.wire;

import java.util.Map;

/** One attempt handed to a queue, as read from a {@code drover.task.dispatch.<queue>} record. */
public record Dispatch(String dispatchId, String pipelineId, String runId, String taskId, int attempt, String type,
                       String queue, Map<String, Object> config, long timeoutMs) {
}
