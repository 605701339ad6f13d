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
    /** While QUEUED: the pool whose grant the current attempt waits for, or null (waiting for a run slot). */
    String awaitingPool;

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
        c.awaitingPool = awaitingPool;
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

    /** While {@link TaskStatus#QUEUED}: the pool the current attempt asked for a slot and waits for, else null. */
    public String awaitingPool() {
        return awaitingPool;
    }

    /** This task (restored from a snapshot) waiting for a grant of {@code pool}. */
    public TaskState awaitingPool(String pool) {
        this.awaitingPool = pool;
        return this;
    }
}
