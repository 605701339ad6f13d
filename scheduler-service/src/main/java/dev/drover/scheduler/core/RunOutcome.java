package dev.drover.scheduler.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a run whose tasks are all final ended, by Airflow's rule ({@code DagRun.update_state}): it failed if any
 * <em>leaf</em> task — one no other task depends on — ended {@code FAILED} or {@code UPSTREAM_FAILED}; otherwise it
 * succeeded. Skipped tasks never fail a run, and a failure that a downstream task handled (an {@code all_done} or
 * {@code all_failed} clean-up task at the end of the pipeline that succeeded) does not either.
 *
 * <p>With the default trigger rule ({@code all_success}) everywhere this is the same as "any task failed": a failed
 * task is a leaf or makes every leaf below it upstream-failed.
 *
 * @param status {@link RunStatus#SUCCEEDED} or {@link RunStatus#FAILED}
 * @param reason a sentence for people: which tasks failed, or which were skipped
 */
record RunOutcome(RunStatus status, String reason) {

    static RunOutcome of(RunState run, PipelineRevision revision) {
        Set<String> upstreamOfSomething = new HashSet<>();
        revision.spec().tasks().forEach(t -> upstreamOfSomething.addAll(t.dependsOn()));
        boolean leafFailed = run.tasks().values().stream()
                .filter(t -> !upstreamOfSomething.contains(t.taskId()))
                .anyMatch(t -> t.status() == TaskStatus.FAILED || t.status() == TaskStatus.UPSTREAM_FAILED);
        List<String> failed = ids(run, TaskStatus.FAILED);
        List<String> skipped = ids(run, TaskStatus.SKIPPED);
        if (leafFailed) {
            // the failed leaves trace back to failed tasks; those are what to look at
            return new RunOutcome(RunStatus.FAILED, "task(s) failed: " + String.join(", ",
                    failed.isEmpty() ? ids(run, TaskStatus.UPSTREAM_FAILED) : failed));
        }
        if (failed.isEmpty() && skipped.isEmpty()) {
            return new RunOutcome(RunStatus.SUCCEEDED, "all tasks succeeded");
        }
        List<String> details = new ArrayList<>();
        if (!failed.isEmpty()) {
            details.add("failed but handled downstream: " + String.join(", ", failed));
        }
        if (!skipped.isEmpty()) {
            details.add("skipped: " + String.join(", ", skipped));
        }
        return new RunOutcome(RunStatus.SUCCEEDED, "no final task failed (" + String.join("; ", details) + ")");
    }

    private static List<String> ids(RunState run, TaskStatus status) {
        return run.tasks().values().stream().filter(t -> t.status() == status).map(TaskState::taskId).toList();
    }
}
