package dev.drover.scheduler.pipeline;

import java.time.Duration;

/**
 * A pipeline's scheduling and limit settings (see {@code docs/pipelines.md} and {@code docs/scheduling.md}). Every
 * field's default means "as before these settings existed" ({@link #DEFAULTS}).
 *
 * @param schedule       when runs start by the clock ({@code schedule}), or null
 * @param maxActiveRuns  at most this many runs active at once; more are queued and start in order
 *                       ({@code maxActiveRuns}), or null for no limit
 * @param maxActiveTasks at most this many tasks of one run dispatched or running at once ({@code maxActiveTasks}),
 *                       or null for no limit
 * @param deadline       how long after it started a run should have finished; past it an alert is raised while it
 *                       keeps running ({@code deadline}), or null
 */
public record PipelineOptions(Schedule schedule, Integer maxActiveRuns, Integer maxActiveTasks, Duration deadline) {

    /** No options set. */
    public static final PipelineOptions DEFAULTS = new PipelineOptions(null, null, null, null);

    public PipelineOptions withSchedule(Schedule v) {
        return new PipelineOptions(v, maxActiveRuns, maxActiveTasks, deadline);
    }

    public PipelineOptions withMaxActiveRuns(Integer v) {
        return new PipelineOptions(schedule, v, maxActiveTasks, deadline);
    }

    public PipelineOptions withMaxActiveTasks(Integer v) {
        return new PipelineOptions(schedule, maxActiveRuns, v, deadline);
    }

    public PipelineOptions withDeadline(Duration v) {
        return new PipelineOptions(schedule, maxActiveRuns, maxActiveTasks, v);
    }
}
