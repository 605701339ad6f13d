package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerCommand.CheckRunDeadline;
import dev.drover.scheduler.core.SchedulerCommand.CheckTaskDeadline;
import dev.drover.scheduler.core.SchedulerEvent.RunDeadlineMissed;
import dev.drover.scheduler.core.SchedulerEvent.TaskDeadlineMissed;
import dev.drover.scheduler.pipeline.TaskSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deadlines (Airflow: SLA misses, deadline alerts): a run that has not finished {@code deadline} after it started, or
 * a task that has not finished {@code deadline} after its first dispatch, raises an alert event once, and keeps
 * running. The deadlines are due times computed from the state (run start, first dispatch) and the run's revision, so
 * they survive restarts like every other timer; the alert is a decision on a logged timer command, so it is raised at
 * most once even if the timer fires twice.
 */
final class Deadlines {
    private Deadlines() {
    }

    /** The deadline timers a run holds: its own until settled, and each unfinished dispatched task's until raised. */
    static List<DueTimer> timers(RunState run, PipelineRevision revision) {
        List<DueTimer> out = new ArrayList<>();
        if (run.status() != RunStatus.RUNNING) {
            return out;
        }
        runDeadline(run, revision).ifPresent(due -> out.add(new DueTimer(due, DueTimer.Kind.RUN_DEADLINE,
                run.pipelineId(), run.runId(), "", 0)));
        for (TaskState t : run.tasks().values()) {
            taskDeadline(t, revision).ifPresent(due -> out.add(new DueTimer(due, DueTimer.Kind.TASK_DEADLINE,
                    run.pipelineId(), run.runId(), t.taskId(), 0)));
        }
        return out;
    }

    /** When the run's deadline falls, if it has one that still needs watching. */
    static Optional<Instant> runDeadline(RunState run, PipelineRevision revision) {
        Duration deadline = revision.spec().options().deadline();
        if (deadline == null || run.deadlineSettled()) {
            return Optional.empty();
        }
        return Optional.of(run.startedAt().plus(deadline));
    }

    /** When the task's deadline falls, if it has one that still needs watching. */
    static Optional<Instant> taskDeadline(TaskState task, PipelineRevision revision) {
        Duration deadline = revision.spec().task(task.taskId()).map(TaskSpec::options).map(o -> o.deadline())
                .orElse(null);
        if (deadline == null || task.deadlineMissed() || task.firstDispatchedAt() == null
                || task.status().finished()) {
            return Optional.empty();
        }
        return Optional.of(task.firstDispatchedAt().plus(deadline));
    }

    /** Raises the run's alert if it is still running past its deadline and was not raised before. */
    static Decision checkRun(SchedulerState state, CheckRunDeadline c, Instant now) {
        Optional<RunState> active = state.activeRun(c.runId());
        if (active.isEmpty()) {
            return Decision.nothing(); // finished in time (or long gone): nothing to say
        }
        RunState run = active.get();
        PipelineRevision revision = state.revisionOf(run);
        Optional<Instant> due = runDeadline(run, revision);
        if (due.isEmpty() || now.isBefore(due.get())) {
            return Decision.nothing();
        }
        return Decision.of(List.of(new RunDeadlineMissed(run.pipelineId(), run.runId(),
                revision.spec().options().deadline().toMillis(), now)));
    }

    /** Raises the task's alert if it is still unfinished past its deadline and was not raised before. */
    static Decision checkTask(SchedulerState state, CheckTaskDeadline c, Instant now) {
        Optional<RunState> active = state.activeRun(c.runId());
        if (active.isEmpty()) {
            return Decision.nothing();
        }
        RunState run = active.get();
        TaskState task = run.tasks().get(c.taskId());
        if (task == null) {
            return Decision.nothing();
        }
        PipelineRevision revision = state.revisionOf(run);
        Optional<Instant> due = taskDeadline(task, revision);
        if (due.isEmpty() || now.isBefore(due.get())) {
            return Decision.nothing();
        }
        Duration deadline = revision.spec().task(c.taskId()).orElseThrow().options().deadline();
        return Decision.of(List.of(new TaskDeadlineMissed(run.pipelineId(), run.runId(), c.taskId(),
                deadline.toMillis(), now)));
    }
}
