package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.TaskSpec;

import java.time.Duration;

/**
 * Tunables of the decider.
 *
 * @param leaseDuration how long a started attempt stays alive without a heartbeat; an executor that dies is declared
 *                      lost at most this long (plus timer latency) after its last heartbeat
 * @param startTimeout  how long a dispatched attempt may wait for an executor to start it, for tasks that set no
 *                      {@code startTimeout} of their own; past it the attempt is declared lost and retried (see
 *                      {@link #startTimeoutOf})
 * @param keepFinishedRuns how many finished runs of each pipeline the scheduler keeps whole, so that their tasks can
 *                         be cleared or marked by hand; older runs can only be read ({@code 0}: none)
 */
public record SchedulerSettings(Duration leaseDuration, Duration startTimeout, int keepFinishedRuns) {

    /** Default {@link #startTimeout}: generous, because it also counts time spent queued behind busy executors. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(10);

    public SchedulerSettings {
        requirePositiveMillis(leaseDuration, "drover.scheduler.lease-duration", "15s");
        requirePositiveMillis(startTimeout, "drover.scheduler.start-timeout", "10m");
        if (keepFinishedRuns < 0) {
            throw new IllegalArgumentException("drover.scheduler.keep-finished-runs must be 0 or more, e.g. "
                    + SchedulerState.DEFAULT_KEEP_FINISHED_RUNS + "; got " + keepFinishedRuns);
        }
    }

    /** Settings with the given lease and start timeout, keeping the default number of finished runs. */
    public SchedulerSettings(Duration leaseDuration, Duration startTimeout) {
        this(leaseDuration, startTimeout, SchedulerState.DEFAULT_KEEP_FINISHED_RUNS);
    }

    /** Settings with the given lease and the default start timeout. */
    public SchedulerSettings(Duration leaseDuration) {
        this(leaseDuration, DEFAULT_START_TIMEOUT);
    }

    /** Defaults: a 15 s lease, so with 3 s heartbeats a dead executor is detected within ~15 s (≤ 30 s promised). */
    public static SchedulerSettings defaults() {
        return new SchedulerSettings(Duration.ofSeconds(15));
    }

    /**
     * The start timeout of an attempt of {@code task}: the task's own (from its pipeline spec, so it is in the log),
     * else this scheduler's. The deadline it gives is measured from the dispatch, so it includes time spent queued
     * while every executor slot of the queue is busy — not only the time no executor exists.
     */
    public Duration startTimeoutOf(TaskSpec task) {
        return task.startTimeout() != null ? task.startTimeout() : startTimeout;
    }

    private static void requirePositiveMillis(Duration d, String property, String example) {
        if (d == null || d.isNegative() || d.isZero() || d.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(property + " must be a whole number of milliseconds longer than zero, "
                    + "e.g. " + example + "; got " + d);
        }
    }
}
