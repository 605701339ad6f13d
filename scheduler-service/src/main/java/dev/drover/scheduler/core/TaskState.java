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
    /** Sensors: the latest poke dispatched (0 for other tasks); reports must name it. */
    int poke;
    /** Sensors: when the sensor first began waiting (its first poke); its timeout runs from here. */
    Instant waitingSince;
    /** Sensors: when the next poke is due, while UP_FOR_RESCHEDULE. */
    Instant rescheduleAt;
    /** For a task expanded by {@code mapOver}: the elements its instances run over; null for any other task. */
    java.util.List<Object> mapItems;
    /** The last attempt before the task was last cleared (0 if never): retries count from here. */
    int attemptBase;
    /** When the first attempt since the task was last cleared was dispatched; its deadline runs from here. */
    Instant firstDispatchedAt;
    /** Whether {@code TaskDeadlineMissed} was raised since the task was last cleared. */
    boolean deadlineMissed;
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
        c.poke = poke;
        c.waitingSince = waitingSince;
        c.rescheduleAt = rescheduleAt;
        c.mapItems = mapItems;
        c.attemptBase = attemptBase;
        c.firstDispatchedAt = firstDispatchedAt;
        c.deadlineMissed = deadlineMissed;
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

    /** Sensors: the latest poke dispatched, or 0 (also for every task that is not a sensor). */
    public int poke() {
        return poke;
    }

    /** Sensors: when the sensor began waiting (its timeout runs from here), or null before its first poke. */
    public Instant waitingSince() {
        return waitingSince;
    }

    /** Sensors: when the next poke is due while {@link TaskStatus#UP_FOR_RESCHEDULE}, else null. */
    public Instant rescheduleAt() {
        return rescheduleAt;
    }

    /** Restores a sensor's progress from a snapshot (after {@link #restore}); returns this task. */
    public TaskState restoreSensor(int poke, Instant waitingSince, Instant rescheduleAt) {
        this.poke = poke;
        this.waitingSince = waitingSince;
        this.rescheduleAt = rescheduleAt;
            return this;
        }

    /** The elements a mapped task expanded over (instance {@code i} runs element {@code i}), or null. */
    public java.util.List<Object> mapItems() {
        return mapItems;
    }

    /** Puts back, from a snapshot, the elements a mapped task expanded over (null for any other task). */
    public TaskState restoreMapItems(java.util.List<Object> items) {
        this.mapItems = items == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
        return this;
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
