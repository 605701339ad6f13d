package dev.drover.scheduler.core;

/** The life of a task within a run. */
public enum TaskStatus {
    /** Waiting for its dependencies. */
    PENDING,
    /** Handed to a queue, not yet started by an executor. */
    DISPATCHED,
    /** An executor holds the current attempt's lease. */
    RUNNING,
    /** The last attempt failed; the next one is due at a known time. */
    RETRY_WAIT,
    SUCCEEDED,
    /** Failed for good. */
    FAILED,
    /** Will not run because a dependency failed for good. */
    UPSTREAM_FAILED,
    CANCELED,
    /** Will not run, and that is not a failure ({@code when} was false, trigger rule, empty mapping). */
    SKIPPED,
    /**
     * A sensor whose condition did not hold yet: no executor holds it (its slot is free) until its next poke is due
     * (Airflow's {@code up_for_reschedule}).
     */
    UP_FOR_RESCHEDULE,
    /**
     * A mapped task ({@code mapOver}) expanded into instances {@code <task>[<index>]}, which run on their own; it
     * finishes (SUCCEEDED or FAILED) when every instance has.
     */
    MAPPED,
    /**
     * Ready, but waiting for a slot: one of its run's {@code maxActiveTasks}, or (when {@link TaskState#awaitingPool()}
     * is set) a slot of its pool. Goes out highest priority first.
     */
    QUEUED;

    /** Whether the task can no longer change within its run. */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == UPSTREAM_FAILED || this == CANCELED || this == SKIPPED;
    }

    /** Whether an attempt is with an executor (queued or running). */
    public boolean inFlight() {
        return this == DISPATCHED || this == RUNNING;
    }
}
