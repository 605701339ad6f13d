package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.TaskSpec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A due time held in the state of a run: an attempt's start deadline, its timeout, its lease, or a retry's backoff.
 * When it is reached the scheduler appends {@link #toCommand()} to its command log and decides it like any other
 * command.
 */
public record DueTimer(Instant dueAt, Kind kind, String pipelineId, String runId, String taskId, int attempt) {

    /** Which timer. */
    public enum Kind {
        /**
         * A dispatched attempt must be started by then. Decided as {@link SchedulerCommand.ExpireTaskLease}: until an
         * executor starts it, the attempt is in effect leased to its queue (the decider tells the two apart by the
         * task's status, so no new command kind is needed on the wire).
         */
        START,
        TIMEOUT,
        LEASE,
        RETRY,
        /**
         * A sensor's next poke ({@link TaskStatus#UP_FOR_RESCHEDULE}). Decided as
         * {@link SchedulerCommand.DispatchRetry}: like a retry it dispatches the task again, but with the same
         * attempt and the next poke number (the decider tells the two apart by the task's status).
         */
        POKE,
        /** The run's deadline (task id empty, attempt 0); decided as {@link SchedulerCommand.CheckRunDeadline}. */
        RUN_DEADLINE,
        /** The task's deadline (attempt 0); decided as {@link SchedulerCommand.CheckTaskDeadline}. */
        TASK_DEADLINE,
        /** The pipeline's schedule is due (a pipeline timer: no run, task or attempt). */
        SCHEDULE
    }

    /** The timer command; its id is derived from the timer so that firing it twice is recognisable. */
    public SchedulerCommand toCommand() {
        String id = "timer:" + kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + runId + ":" + taskId + ":"
                + attempt + ":" + dueAt.toEpochMilli();
        return switch (kind) {
            case START, LEASE -> new SchedulerCommand.ExpireTaskLease(id, pipelineId, runId, taskId, attempt);
            case TIMEOUT -> new SchedulerCommand.TimeOutTask(id, pipelineId, runId, taskId, attempt);
            case RETRY, POKE -> new SchedulerCommand.DispatchRetry(id, pipelineId, runId, taskId, attempt);
            case RUN_DEADLINE -> new SchedulerCommand.CheckRunDeadline(id, pipelineId, runId);
            case TASK_DEADLINE -> new SchedulerCommand.CheckTaskDeadline(id, pipelineId, runId, taskId);
            case SCHEDULE -> new SchedulerCommand.FireSchedule("timer:schedule:" + pipelineId + ":"
                    + dueAt.toEpochMilli(), pipelineId, dueAt);
        };
    }

    /**
     * Every timer the run currently holds.
     *
     * @param revision the revision the run was started on (its tasks may set their own start timeouts)
     * @param settings the scheduler's start timeout, for tasks that set none
     */
    public static List<DueTimer> of(RunState run, PipelineRevision revision, SchedulerSettings settings) {
        List<DueTimer> out = new ArrayList<>();
        for (TaskState t : run.tasks().values()) {
            if (t.status() == TaskStatus.DISPATCHED) {
                startDeadline(t, revision, settings).ifPresent(due -> out.add(new DueTimer(due, Kind.START,
                        run.pipelineId(), run.runId(), t.taskId(), t.attempt())));
            } else if (t.status() == TaskStatus.RUNNING) {
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
            } else if (t.status() == TaskStatus.UP_FOR_RESCHEDULE && t.rescheduleAt() != null) {
                out.add(new DueTimer(t.rescheduleAt(), Kind.POKE, run.pipelineId(), run.runId(), t.taskId(),
                        t.attempt()));
            }
        }
        out.addAll(Deadlines.timers(run, revision));
        return out;
    }

    /** The pipeline's schedule timer: when its next interval ends, if it has a schedule with intervals left. */
    public static Optional<DueTimer> ofPipeline(SchedulerState state, String pipelineId) {
        return state.pipelineState(pipelineId).flatMap(p -> {
            var schedule = p.latest().spec().options().schedule();
            if (schedule == null) {
                return Optional.empty();
            }
            PipelineScheduling s = state.scheduling(pipelineId);
            return Optional.ofNullable(dev.drover.scheduler.schedule.ScheduleClock.nextDue(schedule, s.cursor(),
                    SchedulingDecisions.since(s, p)));
        }).map(due -> new DueTimer(due, Kind.SCHEDULE, pipelineId, null, null, 0));
    }

    /**
     * When a dispatched attempt of {@code task} must have started: its dispatch time plus its start timeout. Empty if
     * the dispatch time is unknown (a task restored from a snapshot written before start deadlines existed).
     */
    static Optional<Instant> startDeadline(TaskState task, PipelineRevision revision, SchedulerSettings settings) {
        if (task.dispatchedAt() == null) {
            return Optional.empty();
        }
        TaskSpec spec = revision.taskSpec(task.taskId()).orElseThrow();
        return Optional.of(task.dispatchedAt().plus(settings.startTimeoutOf(spec)));
    }
}
