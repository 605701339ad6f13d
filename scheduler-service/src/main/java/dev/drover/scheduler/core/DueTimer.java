package dev.drover.scheduler.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A due time held in the state of a run: an attempt's timeout, its lease, or a retry's backoff. When it is reached
 * the scheduler appends {@link #toCommand()} to its command log and decides it like any other command.
 */
public record DueTimer(Instant dueAt, Kind kind, String pipelineId, String runId, String taskId, int attempt) {

    /** Which timer. */
    public enum Kind { TIMEOUT, LEASE, RETRY }

    /** The timer command; its id is derived from the timer so that firing it twice is recognisable. */
    public SchedulerCommand toCommand() {
        String id = "timer:" + kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + runId + ":" + taskId + ":"
                + attempt + ":" + dueAt.toEpochMilli();
        return switch (kind) {
            case TIMEOUT -> new SchedulerCommand.TimeOutTask(id, pipelineId, runId, taskId, attempt);
            case LEASE -> new SchedulerCommand.ExpireTaskLease(id, pipelineId, runId, taskId, attempt);
            case RETRY -> new SchedulerCommand.DispatchRetry(id, pipelineId, runId, taskId, attempt);
        };
    }

    /** Every timer the run currently holds. */
    public static List<DueTimer> of(RunState run) {
        List<DueTimer> out = new ArrayList<>();
        for (TaskState t : run.tasks().values()) {
            if (t.status() == TaskStatus.RUNNING) {
                if (t.leaseExpiresAt() != null) {
                    out.add(new DueTimer(t.leaseExpiresAt(), Kind.LEASE, run.pipelineId(), run.runId(), t.taskId(),
                            t.attempt()));
                }
                if (t.timeoutAt() != null) {
                    out.add(new DueTimer(t.timeoutAt(), Kind.TIMEOUT, run.pipelineId(), run.runId(), t.taskId(),
                            t.attempt()));
                }
            } else if (t.status() == TaskStatus.RETRY_WAIT && t.retryAt() != null) {
                out.add(new DueTimer(t.retryAt(), Kind.RETRY, run.pipelineId(), run.runId(), t.taskId(), t.attempt()));
            }
        }
        return out;
    }
}
