package dev.drover.scheduler.core;

import java.time.Instant;
import java.util.Map;

/**
 * Where one task of an active run stands. Mutable, but changed only by {@link RunState#apply}; the decider reads it.
 */
public final class TaskState {
    String taskId;
    TaskStatus status = TaskStatus.PENDING;
    /** The current attempt (0 before the first dispatch; the next attempt while in RETRY_WAIT). */
    int attempt;
    /** When the current attempt was dispatched; its start deadline runs from here while it is DISPATCHED. */
    Instant dispatchedAt;
    String executorId;
    Instant leaseExpiresAt;
    Instant timeoutAt;
    Instant retryAt;
    Map<String, Object> outputs = Map.of();
    /** The last attempt before the task was last cleared (0 if never): retries count from here. */
    int attemptBase;
    /** When the first attempt since the task was last cleared was dispatched; its deadline runs from here. */
    Instant firstDispatchedAt;
    /** Whether {@code TaskDeadlineMissed} was raised since the task was last cleared. */
    boolean deadlineMissed;

    TaskState() {
        // for snapshot readers
    }

    TaskState(String taskId) {
        this.taskId = taskId;
    }

    TaskState copy() {
        TaskState c = new TaskState(taskId);
        c.status = status;
        c.attempt = attempt;
        c.dispatchedAt = dispatchedAt;
        c.executorId = executorId;
        c.leaseExpiresAt = leaseExpiresAt;
        c.timeoutAt = timeoutAt;
        c.retryAt = retryAt;
        c.outputs = outputs;
        c.attemptBase = attemptBase;
        c.firstDispatchedAt = firstDispatchedAt;
        c.deadlineMissed = deadlineMissed;
        return c;
    }

    public String taskId() {
        return taskId;
    }

    public TaskStatus status() {
        return status;
    }

    public int attempt() {
        return attempt;
    }

    /** When the current attempt was handed to its queue, or null before the first dispatch. */
    public Instant dispatchedAt() {
        return dispatchedAt;
    }

    public String executorId() {
        return executorId;
    }

    public Instant leaseExpiresAt() {
        return leaseExpiresAt;
    }

    public Instant timeoutAt() {
        return timeoutAt;
    }

    public Instant retryAt() {
        return retryAt;
    }

    public Map<String, Object> outputs() {
        return outputs;
    }

    /** Rebuilds a task from a snapshot. */
    public static TaskState restore(String taskId, TaskStatus status, int attempt, Instant dispatchedAt,
                                    String executorId, Instant leaseExpiresAt, Instant timeoutAt, Instant retryAt,
                                    Map<String, Object> outputs) {
        TaskState t = new TaskState(taskId);
        t.status = status;
        t.attempt = attempt;
        t.dispatchedAt = dispatchedAt;
        t.executorId = executorId;
        t.leaseExpiresAt = leaseExpiresAt;
        t.timeoutAt = timeoutAt;
        t.retryAt = retryAt;
        t.outputs = outputs == null ? Map.of() : outputs;
        return t;
    }

    /** The last attempt before the task was last cleared, 0 if it never was: its retry budget counts from here. */
    public int attemptBase() {
        return attemptBase;
    }

    /** When the task was first dispatched since it was last cleared, or null: its deadline runs from here. */
    public Instant firstDispatchedAt() {
        return firstDispatchedAt;
    }

    /** Whether the task's deadline alert was raised (since it was last cleared). */
    public boolean deadlineMissed() {
        return deadlineMissed;
    }

    /** Puts back the rerun and deadline fields of a task read from a snapshot; returns this task. */
    public TaskState restoreRerun(int attemptBase, Instant firstDispatchedAt, boolean deadlineMissed) {
        this.attemptBase = attemptBase;
        this.firstDispatchedAt = firstDispatchedAt;
        this.deadlineMissed = deadlineMissed;
        return this;
    }
}
