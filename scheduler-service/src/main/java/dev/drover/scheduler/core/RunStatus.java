package dev.drover.scheduler.core;

/** The life of a run. */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED, CANCELED;

    /** Whether the run can no longer change. */
    public boolean finished() {
        return this != RUNNING;
    }
}
