package dev.drover.scheduler.core;

/** Why a command was not carried out. The REST API maps each to an HTTP status (see {@code docs/api.md}). */
public enum RejectionCode {
    /** The spec is identical to the latest revision: nothing changed (not an error). */
    UNCHANGED,
    UNKNOWN_PIPELINE,
    INVALID_PARAMETERS,
    RUN_EXISTS,
    UNKNOWN_RUN,
    RUN_FINISHED,
    UNKNOWN_TASK,
    /** A report about an attempt that is not the task's current, live attempt (fencing). */
    STALE_ATTEMPT,
    /** A report from an executor that does not hold the attempt's lease (fencing). */
    WRONG_EXECUTOR,
    INVALID_OUTPUT,
    /** The run finished too long ago: the scheduler no longer keeps it (see {@code keepFinishedRuns}). */
    RUN_NOT_RETAINED,
    /** The task's status does not allow what was asked (e.g. clearing a running task). */
    TASK_STATE_CONFLICT,
    /** A pool command names a pool that was never defined. */
    UNKNOWN_POOL,
    /** A pool definition that cannot be (bad name, size out of range). */
    INVALID_POOL,
    /** Pause of a paused pipeline, resume of a running one (nothing to do; not an error). */
    ALREADY_IN_STATE,
    /** A backfill that cannot be carried out (no schedule, empty or inverted range, bad concurrency). */
    INVALID_BACKFILL,
    UNKNOWN_BACKFILL
}
