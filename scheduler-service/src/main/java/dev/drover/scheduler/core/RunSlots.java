package dev.drover.scheduler.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A run's {@code maxActiveTasks} (Airflow's {@code max_active_tasks}): which ready tasks go out now and which wait.
 *
 * <p>A task takes one of its run's slots from the moment it goes out until its attempt ends: while it waits for a
 * pool slot ({@code QUEUED} with a pool), is dispatched, or runs. A task waiting for a retry's backoff
 * ({@code RETRY_WAIT}) holds none; its retry comes back through here. Waiting tasks go out highest
 * {@code priority} first, then in the run's topological order (spec order among independent tasks).
 */
final class RunSlots {

    /** An attempt of a task that may go out. */
    record Ready(String taskId, int attempt) {
    }

    /** What {@link #plan} decided: tasks to send out now, and newly ready tasks that must wait. */
    record Plan(List<Ready> admitted, List<Ready> queued) {
    }

    private RunSlots() {
    }

    /** Tasks of {@code run} holding a run slot now. */
    static long active(RunState run) {
        return run.tasks().values().stream().filter(t -> t.status().inFlight()
                || (t.status() == TaskStatus.QUEUED && t.awaitingPool() != null)).count();
    }

    /**
     * @param fresh tasks that became ready in this step (not yet QUEUED); tasks already QUEUED for a run slot are
     *              taken from the run
     */
    static Plan plan(RunState run, PipelineRevision revision, int max, List<Ready> fresh) {
        List<Ready> waiting = new ArrayList<>();
        for (TaskState t : run.tasks().values()) {
            if (t.status() == TaskStatus.QUEUED && t.awaitingPool() == null) {
                waiting.add(new Ready(t.taskId(), t.attempt()));
            }
        }
        waiting.addAll(fresh);
        List<String> order = revision.topologicalOrder();
        waiting.sort(Comparator.comparingInt((Ready r) -> -priority(revision, r))
                .thenComparingInt(r -> order.indexOf(r.taskId())));
        long free = Math.max(0, max - active(run));
        List<Ready> admitted = new ArrayList<>();
        List<Ready> queued = new ArrayList<>();
        for (Ready r : waiting) {
            if (admitted.size() < free) {
                admitted.add(r);
            } else if (fresh.contains(r)) {
                queued.add(r);
            }
        }
        return new Plan(admitted, queued);
    }

    private static int priority(PipelineRevision revision, Ready r) {
        return revision.spec().task(r.taskId()).orElseThrow().options().priority();
    }
}
