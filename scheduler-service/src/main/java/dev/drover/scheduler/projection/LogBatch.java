package dev.drover.scheduler.projection;

import java.time.Instant;
import java.util.List;

/** Log lines of one attempt as an executor published them on {@code drover.task.logs}. */
public record LogBatch(String pipelineId, String runId, String taskId, int attempt, String executorId,
                       List<Line> lines) {

    /** One captured line; {@code seq} orders lines within the attempt and makes redelivery harmless. */
    public record Line(long seq, Instant timestamp, String stream, String line) {
    }
}
