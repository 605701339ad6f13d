package dev.drover.executor.wire;

/**
 * What an executor must react to in the scheduler's events: an attempt (or, with {@code taskId} null, every attempt of
 * a run) is over in the scheduler's eyes — canceled, timed out or declared lost — so its process must stop.
 */
public record AttemptEnded(String runId, String taskId, int attempt, String reason) {
}
