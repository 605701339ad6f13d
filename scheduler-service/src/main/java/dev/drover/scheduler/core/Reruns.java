package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerCommand.ClearTasks;
import dev.drover.scheduler.core.SchedulerCommand.MarkTask;
import dev.drover.scheduler.core.SchedulerEvent.RunReopened;
import dev.drover.scheduler.core.SchedulerEvent.TaskMarked;
import dev.drover.scheduler.core.SchedulerEvent.TasksCleared;
import dev.drover.scheduler.pipeline.TaskSpec;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the hand-made corrections of a run: clearing tasks so they run again (Airflow: Clear) and marking a task
 * succeeded or failed (Airflow: Mark Success / Mark Failed). Both work on the active run or on one of the last
 * finished runs the state keeps (reopening it), and both settle the run afterwards through the decider's
 * {@link SchedulerDecider.Settlement}: what became ready is dispatched, and a run whose tasks are all settled finishes
 * again.
 *
 * <p>Where this differs from Airflow, and why (also in {@code docs/rerun-and-deadlines.md}):
 * <ul>
 *   <li>A task with an attempt in flight cannot be cleared (Airflow restarts it): the old attempt would keep running
 *       next to the new one. Mark it failed first — that ends the attempt — then clear it.</li>
 *   <li>Tasks downstream of a cleared task, or of a task marked succeeded, that were {@code UPSTREAM_FAILED} are
 *       always cleared with it: they never ran, their status was only a consequence of the failure just undone, and
 *       leaving them would let the run finish "succeeded" with tasks that never ran.</li>
 *   <li>A canceled run cannot be reopened: canceling is a decision about the whole run; start a new one.</li>
 * </ul>
 */
final class Reruns {
    private final SchedulerDecider decider;

    Reruns(SchedulerDecider decider) {
        this.decider = decider;
    }

    /** The run a correction is about, or the rejection to answer with. */
    private record Target(RunState run, boolean finished, Decision rejection) {
    }

    Decision clear(SchedulerState state, ClearTasks c, Instant now) {
        Target target = locate(state, c, c.runId(), "clear its tasks");
        if (target.rejection() != null) {
            return target.rejection();
        }
        RunState run = target.run();
        if (c.taskIds().isEmpty()) {
            return Decision.reject(c, RejectionCode.UNKNOWN_TASK, "name at least one task of run " + run.runId()
                    + " to clear; its tasks are: " + String.join(", ", run.tasks().keySet()));
        }
        for (String taskId : c.taskIds()) {
            Optional<Decision> unknown = unknownTask(c, run, taskId);
            if (unknown.isPresent()) {
                return unknown.get();
            }
            TaskState task = run.tasks().get(taskId);
            if (task.status().inFlight()) {
                return Decision.reject(c, RejectionCode.TASK_STATE_CONFLICT, "task " + taskId + " of run "
                        + run.runId() + " is " + task.status() + " (attempt " + task.attempt() + "); a task with an "
                        + "attempt in flight cannot be cleared: wait for it to finish, or mark it failed to end the "
                        + "attempt, then clear it");
            }
            if (task.status() == TaskStatus.PENDING) {
                return Decision.reject(c, RejectionCode.TASK_STATE_CONFLICT, "task " + taskId + " of run "
                        + run.runId() + " has not run yet (PENDING); there is nothing to clear");
            }
        }
        PipelineRevision revision = state.revisionOf(run);
        Set<String> named = new LinkedHashSet<>(c.taskIds());
        Set<String> below = downstream(revision, named);
        List<String> cleared = new ArrayList<>();
        for (TaskState task : run.tasks().values()) {
            String id = task.taskId();
            if (named.contains(id)) {
                cleared.add(id);
            } else if (below.contains(id) && (c.downstream() || task.status() == TaskStatus.UPSTREAM_FAILED)) {
                if (task.status().inFlight()) {
                    return Decision.reject(c, RejectionCode.TASK_STATE_CONFLICT, "task " + id + ", downstream of "
                            + String.join(", ", named) + " in run " + run.runId() + ", is " + task.status()
                            + " (attempt " + task.attempt() + "); wait for it to finish or mark it failed, or clear "
                            + "without downstream");
                }
                if (task.status() != TaskStatus.PENDING) {
                    cleared.add(id);
                }
            }
        }
        SchedulerDecider.Settlement s = decider.settlement(run.copy(), revision, now);
        if (target.finished()) {
            s.emit(new RunReopened(run.pipelineId(), run.runId(), c.requestedBy(), now));
        }
        s.emit(new TasksCleared(run.pipelineId(), run.runId(), cleared, c.downstream(), c.requestedBy(), now));
        s.settle();
        return Decision.of(s.events);
    }

    Decision mark(SchedulerState state, MarkTask c, Instant now) {
        Target target = locate(state, c, c.runId(), "mark its tasks");
        if (target.rejection() != null) {
            return target.rejection();
        }
        RunState run = target.run();
        Optional<Decision> unknown = unknownTask(c, run, c.taskId());
        if (unknown.isPresent()) {
            return unknown.get();
        }
        TaskState task = run.tasks().get(c.taskId());
        if (task.status() == c.status()) {
            return Decision.reject(c, RejectionCode.TASK_STATE_CONFLICT, "task " + c.taskId() + " of run "
                    + run.runId() + " is already " + c.status() + "; nothing to mark");
        }
        PipelineRevision revision = state.revisionOf(run);
        SchedulerDecider.Settlement s = decider.settlement(run.copy(), revision, now);
        if (target.finished()) {
            s.emit(new RunReopened(run.pipelineId(), run.runId(), c.requestedBy(), now));
        }
        s.emit(new TaskMarked(run.pipelineId(), run.runId(), c.taskId(), c.status(),
                task.status().inFlight() ? task.attempt() : 0, c.requestedBy(), now));
        if (c.status() == TaskStatus.SUCCEEDED) {
            // what waited on this task only because it had failed may run now
            Set<String> below = downstream(revision, Set.of(c.taskId()));
            List<String> blocked = run.tasks().values().stream()
                    .filter(t -> below.contains(t.taskId()) && t.status() == TaskStatus.UPSTREAM_FAILED)
                    .map(TaskState::taskId).toList();
            if (!blocked.isEmpty()) {
                s.emit(new TasksCleared(run.pipelineId(), run.runId(), blocked, true, c.requestedBy(), now));
            }
        }
        s.settle();
        return Decision.of(s.events);
    }

    /** The active run, or a finished one still kept; otherwise the rejection that says why not. */
    private static Target locate(SchedulerState state, SchedulerCommand c, String runId, String action) {
        Optional<RunState> active = state.activeRun(runId);
        if (active.isPresent()) {
            return new Target(active.get(), false, null);
        }
        Optional<RunState> finished = state.finishedRun(c.pipelineId(), runId);
        if (finished.isPresent()) {
            if (finished.get().status() == RunStatus.CANCELED) {
                return new Target(null, false, Decision.reject(c, RejectionCode.RUN_FINISHED, "run " + runId
                        + " was canceled; a canceled run cannot be reopened to " + action + ": start a new run"));
            }
            return new Target(finished.get(), true, null);
        }
        boolean known = state.pipelineState(c.pipelineId()).map(p -> p.runIds().contains(runId)).orElse(false);
        if (known) {
            return new Target(null, false, Decision.reject(c, RejectionCode.RUN_NOT_RETAINED, "run " + runId
                    + " finished too long ago to " + action + ": the scheduler keeps only the last "
                    + state.keepFinishedRuns() + " finished runs of each pipeline whole "
                    + "(drover.scheduler.keep-finished-runs); start a new run instead"));
        }
        return new Target(null, false, Decision.reject(c, RejectionCode.UNKNOWN_RUN, "pipeline " + c.pipelineId()
                + " has no run " + runId + "; list its runs with GET /api/v1/runs?pipeline=" + c.pipelineId()));
    }

    private static Optional<Decision> unknownTask(SchedulerCommand c, RunState run, String taskId) {
        if (run.tasks().containsKey(taskId)) {
            return Optional.empty();
        }
        return Optional.of(Decision.reject(c, RejectionCode.UNKNOWN_TASK, "run " + run.runId() + " has no task "
                + taskId + "; its tasks are: " + String.join(", ", run.tasks().keySet())));
    }

    /** Every task that depends on one of {@code from}, directly or transitively (not {@code from} itself). */
    static Set<String> downstream(PipelineRevision revision, Set<String> from) {
        Map<String, List<String>> dependents = new HashMap<>();
        for (TaskSpec t : revision.spec().tasks()) {
            t.dependsOn().forEach(d -> dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(t.id()));
        }
        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(from);
        while (!todo.isEmpty()) {
            for (String d : dependents.getOrDefault(todo.poll(), List.of())) {
                if (!from.contains(d) && out.add(d)) {
                    todo.add(d);
                }
            }
        }
        return out;
    }
}
