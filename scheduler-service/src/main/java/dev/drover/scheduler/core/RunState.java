package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.RunEvent;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.core.SchedulerEvent.TaskCanceled;
import dev.drover.scheduler.core.SchedulerEvent.TaskDispatched;
import dev.drover.scheduler.core.SchedulerEvent.TaskFailed;
import dev.drover.scheduler.core.SchedulerEvent.TaskFailedFinally;
import dev.drover.scheduler.core.SchedulerEvent.TaskLeaseRenewed;
import dev.drover.scheduler.core.SchedulerEvent.TaskLost;
import dev.drover.scheduler.core.SchedulerEvent.TaskRetryScheduled;
import dev.drover.scheduler.core.SchedulerEvent.TaskStarted;
import dev.drover.scheduler.core.SchedulerEvent.TaskSucceeded;
import dev.drover.scheduler.core.SchedulerEvent.TaskTimedOut;
import dev.drover.scheduler.core.SchedulerEvent.TaskUpstreamFailed;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An active run: its fixed revision, parameters and every task's state. {@link #apply} is the only place a run
 * changes, live and during replay alike.
 */
public final class RunState {
    final String pipelineId;
    final String runId;
    final int revision;
    final Map<String, Object> parameters;
    final Instant startedAt;
    RunStatus status = RunStatus.RUNNING;
    final Map<String, TaskState> tasks = new LinkedHashMap<>();
    /** Whether the run's deadline is settled: its alert was raised, or the run finished once (and was reopened). */
    boolean deadlineSettled;
    /** The data interval of a scheduled or backfilled run, or null. */
    dev.drover.scheduler.schedule.DataInterval interval;

    RunState(String pipelineId, String runId, int revision, Map<String, Object> parameters, Instant startedAt) {
        this.pipelineId = pipelineId;
        this.runId = runId;
        this.revision = revision;
        this.parameters = parameters;
        this.startedAt = startedAt;
    }

    static RunState started(RunStarted e, PipelineRevision revision) {
        RunState run = new RunState(e.pipelineId(), e.runId(), e.revision(), e.parameters(), e.at());
        run.interval = e.interval();
        revision.spec().tasks().forEach(t -> run.tasks.put(t.id(), new TaskState(t.id())));
        return run;
    }

    /** Rebuilds a run from a snapshot. */
    public static RunState restore(String pipelineId, String runId, int revision, Map<String, Object> parameters,
                                   Instant startedAt, RunStatus status, Collection<TaskState> tasks) {
        RunState run = new RunState(pipelineId, runId, revision, parameters, startedAt);
        run.status = status;
        tasks.forEach(t -> run.tasks.put(t.taskId(), t));
        return run;
    }

    RunState copy() {
        RunState c = new RunState(pipelineId, runId, revision, parameters, startedAt);
        c.status = status;
        c.deadlineSettled = deadlineSettled;
        c.interval = interval;
        tasks.forEach((id, t) -> c.tasks.put(id, t.copy()));
        return c;
    }

    /** Applies one event of this run. */
    void apply(RunEvent event) {
        if (event instanceof TaskDispatched e) {
            TaskState t = task(e.taskId());
            t.status = TaskStatus.DISPATCHED;
            t.attempt = e.attempt();
            t.dispatchedAt = e.at();
            if (t.firstDispatchedAt == null) {
                t.firstDispatchedAt = e.at();
            }
            t.executorId = null;
            t.leaseExpiresAt = null;
            t.timeoutAt = null;
            t.retryAt = null;
            Sensors.dispatched(t, e);
            t.awaitingPool = null;
        } else if (event instanceof TaskStarted e) {
            TaskState t = task(e.taskId());
            t.status = TaskStatus.RUNNING;
            t.executorId = e.executorId();
            t.leaseExpiresAt = e.leaseExpiresAt();
            t.timeoutAt = e.timeoutAt();
        } else if (event instanceof TaskLeaseRenewed e) {
            task(e.taskId()).leaseExpiresAt = e.leaseExpiresAt();
        } else if (event instanceof TaskSucceeded e) {
            TaskState t = task(e.taskId());
            t.status = TaskStatus.SUCCEEDED;
            t.outputs = e.outputs();
            clearLease(t);
        } else if (event instanceof TaskFailed || event instanceof TaskTimedOut || event instanceof TaskLost) {
            // the attempt is over; whether the task retries or fails for good is the next event
            clearLease(task(taskIdOf(event)));
        } else if (event instanceof TaskRetryScheduled e) {
            TaskState t = task(e.taskId());
            t.status = TaskStatus.RETRY_WAIT;
            t.attempt = e.nextAttempt();
            t.retryAt = e.dueAt();
        } else if (event instanceof TaskFailedFinally e) {
            TaskState t = task(e.taskId());
            t.status = TaskStatus.FAILED;
            clearLease(t);
        } else if (event instanceof TaskUpstreamFailed e) {
            task(e.taskId()).status = TaskStatus.UPSTREAM_FAILED;
        } else if (event instanceof TaskCanceled e) {
            TaskState t = task(e.taskId());
            t.status = TaskStatus.CANCELED;
            clearLease(t);
            t.retryAt = null;
        } else if (event instanceof SchedulerEvent.TaskSkipped e) {
            task(e.taskId()).status = TaskStatus.SKIPPED;
        } else if (event instanceof SchedulerEvent.TaskRescheduled e) {
            Sensors.rescheduled(task(e.taskId()), e);
        } else if (event instanceof SchedulerEvent.TaskExpanded e) {
            TaskState t = task(e.taskId());
            t.status = TaskStatus.MAPPED;
            t.mapItems = e.items();
            for (int i = 0; i < e.items().size(); i++) {
                String id = TaskInstances.instanceId(e.taskId(), i);
                tasks.put(id, new TaskState(id));
            }
        } else if (event instanceof SchedulerEvent.TaskQueued e) {
            queue(task(e.taskId()), e.attempt(), null);
        } else if (event instanceof SchedulerEvent.TaskAwaitingPool e) {
            queue(task(e.taskId()), e.attempt(), e.pool());
        } else if (event instanceof RunFinished e) {
            status = e.status();
        } else if (event instanceof SchedulerEvent.TasksCleared e) {
            for (String taskId : e.taskIds()) {
                TaskState t = task(taskId);
                t.status = TaskStatus.PENDING;
                t.attemptBase = t.attempt;
                t.firstDispatchedAt = null;
                t.deadlineMissed = false;
                t.executorId = null;
                t.retryAt = null;
                t.outputs = Map.of();
                clearLease(t);
            }
        } else if (event instanceof SchedulerEvent.RunReopened) {
            status = RunStatus.RUNNING;
            deadlineSettled = true;
        } else if (event instanceof SchedulerEvent.TaskMarked e) {
            TaskState t = task(e.taskId());
            t.status = e.status();
            t.outputs = Map.of();
            t.retryAt = null;
            clearLease(t);
        } else if (event instanceof SchedulerEvent.RunDeadlineMissed) {
            deadlineSettled = true;
        } else if (event instanceof SchedulerEvent.TaskDeadlineMissed e) {
            task(e.taskId()).deadlineMissed = true;
        } else if (!(event instanceof RunStarted)) {
            // RunStarted created this run; anything else unknown is a programming error
            throw new IllegalStateException("no applier for " + event.getClass().getSimpleName());
        }
    }

    private static String taskIdOf(RunEvent event) {
        if (event instanceof TaskFailed e) {
            return e.taskId();
        } else if (event instanceof TaskTimedOut e) {
            return e.taskId();
        } else if (event instanceof TaskLost e) {
            return e.taskId();
        }
        throw new IllegalArgumentException("not an attempt-ending event: " + event);
    }

    private static void clearLease(TaskState t) {
        t.leaseExpiresAt = null;
        t.timeoutAt = null;
        t.awaitingPool = null;
    }

    private static void queue(TaskState t, int attempt, String pool) {
        t.status = TaskStatus.QUEUED;
        t.attempt = attempt;
        t.retryAt = null;
        t.awaitingPool = pool;
    }

    private TaskState task(String taskId) {
        TaskState t = tasks.get(taskId);
        if (t == null) {
            throw new IllegalStateException("run " + runId + " has no task " + taskId);
        }
        return t;
    }

    /** Rebuilds a scheduled or backfilled run from a snapshot. */
    public static RunState restore(String pipelineId, String runId, int revision, Map<String, Object> parameters,
                                   Instant startedAt, RunStatus status, Collection<TaskState> tasks,
                                   dev.drover.scheduler.schedule.DataInterval interval) {
        RunState run = restore(pipelineId, runId, revision, parameters, startedAt, status, tasks);
        run.interval = interval;
        return run;
    }

    /** The data interval of a scheduled or backfilled run, or null. */
    public dev.drover.scheduler.schedule.DataInterval interval() {
        return interval;
    }

    public String pipelineId() {
        return pipelineId;
    }

    public String runId() {
        return runId;
    }

    public int revision() {
        return revision;
    }

    public Map<String, Object> parameters() {
        return parameters;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public RunStatus status() {
        return status;
    }

    /** Tasks by id, in spec order, then the instances of mapped tasks in the order they were expanded. */
    public Map<String, TaskState> tasks() {
        return java.util.Collections.unmodifiableMap(tasks);
    }

    /** Whether every task has reached a final status. */
    public boolean allTasksFinished() {
        return tasks.values().stream().allMatch(t -> t.status.finished());
    }

    /** Whether the run's deadline needs no more watching: its alert was raised, or the run has finished before. */
    public boolean deadlineSettled() {
        return deadlineSettled;
    }

    /** Puts back the deadline field of a run read from a snapshot; returns this run. */
    public RunState restoreDeadlineSettled(boolean deadlineSettled) {
        this.deadlineSettled = deadlineSettled;
        return this;
    }
}
