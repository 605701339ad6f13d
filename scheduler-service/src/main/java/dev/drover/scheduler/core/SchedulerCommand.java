package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.PipelineSpec;

import java.util.Map;

/**
 * Everything the scheduler can be asked to do: the imperative half of its vocabulary (events are in
 * {@link SchedulerEvent}). Commands arrive on {@code drover.run.commands}, keyed by pipeline id, from the REST API,
 * from executors (the {@code Report*} commands) and from the scheduler's own timers (the timer commands).
 *
 * <p>Every command has an id, which becomes the causation id of the events decided from it.
 */
public sealed interface SchedulerCommand {

    /** Unique id of this command (also the idempotency key of a REST write). */
    String commandId();

    /** The pipeline this command concerns: the partition key. */
    String pipelineId();

    /** Register a pipeline spec; an identical spec is a no-op, a changed one becomes a new revision. */
    record RegisterPipeline(String commandId, String pipelineId, PipelineSpec spec, String specHash,
                            String requestedBy) implements SchedulerCommand {
    }

    /**
     * Start a run of the pipeline's latest revision.
     *
     * @param runId      the full run id ({@code <pipelineId>.<suffix>}), or null to number it
     * @param parameters supplied parameter values (checked and completed with defaults by the decider)
     * @param trigger    what asked for it ({@code manual}, {@code api}, …)
     */
    record RequestRun(String commandId, String pipelineId, String runId, Map<String, Object> parameters,
                      String trigger, String requestedBy) implements SchedulerCommand {
    }

    /** Cancel an active run and every task in it. */
    record CancelRun(String commandId, String pipelineId, String runId, String reason, String requestedBy)
            implements SchedulerCommand {
    }

    /** An executor has started an attempt. */
    record ReportTaskStarted(String commandId, String pipelineId, String runId, String taskId, int attempt,
                             String executorId) implements SchedulerCommand, AttemptReport {
    }

    /** An executor is still running an attempt (renews its lease). */
    record ReportTaskHeartbeat(String commandId, String pipelineId, String runId, String taskId, int attempt,
                               String executorId) implements SchedulerCommand, AttemptReport {
    }

    /** An attempt finished successfully with the outputs the task published. */
    record ReportTaskSucceeded(String commandId, String pipelineId, String runId, String taskId, int attempt,
                               String executorId, Map<String, Object> outputs)
            implements SchedulerCommand, AttemptReport {
    }

    /** An attempt failed (non-zero exit, error, or killed by the executor's own timeout). */
    record ReportTaskFailed(String commandId, String pipelineId, String runId, String taskId, int attempt,
                            String executorId, String message, Integer exitCode)
            implements SchedulerCommand, AttemptReport {
    }

    /** Timer: the attempt's timeout is due. */
    record TimeOutTask(String commandId, String pipelineId, String runId, String taskId, int attempt)
            implements SchedulerCommand, TimerCommand {
    }

    /**
     * Timer: the attempt's lease is due; unless renewed meanwhile, the attempt is lost. For an attempt still
     * dispatched (not started), the lease is its start deadline: unless an executor started it meanwhile, it is lost.
     */
    record ExpireTaskLease(String commandId, String pipelineId, String runId, String taskId, int attempt)
            implements SchedulerCommand, TimerCommand {
    }

    /** Timer: a retry's backoff is over; dispatch the attempt. */
    record DispatchRetry(String commandId, String pipelineId, String runId, String taskId, int attempt)
            implements SchedulerCommand, TimerCommand {
    }

    /**
     * Create a pool, or change its size and description (keyed {@code pool:<name>}, see {@link Pools}). A smaller
     * size takes no slot back: holders keep theirs, and no new grant is made until fewer than {@code slots} are held.
     */
    record DefinePool(String commandId, String pool, int slots, String description, String requestedBy)
            implements SchedulerCommand, PoolCommand {
        @Override
        public String pipelineId() {
            return Pools.key(pool);
        }
    }

    /**
     * Ask a pool for a slot for one attempt of a task (sent by the scheduler to itself, from the run's partition to
     * the pool's, in the same transaction as the {@code TaskAwaitingPool} that caused it).
     */
    record AcquirePoolSlot(String commandId, String pool, String holderPipelineId, String runId, String taskId,
                           int attempt, int priority) implements SchedulerCommand, PoolCommand {
        @Override
        public String pipelineId() {
            return Pools.key(pool);
        }
    }

    /** Give back an attempt's slot, or withdraw its request if it is still queued; unknown holders are ignored. */
    record ReleasePoolSlot(String commandId, String pool, String holderPipelineId, String runId, String taskId,
                           int attempt, String reason) implements SchedulerCommand, PoolCommand {
        @Override
        public String pipelineId() {
            return Pools.key(pool);
        }
    }

    /** The pool granted the attempt its slot (pool partition to run partition): dispatch it. */
    record GrantPoolSlot(String commandId, String pipelineId, String runId, String taskId, int attempt, String pool)
            implements SchedulerCommand {
    }

    /** The pool refused the attempt (the pool does not exist): the attempt fails with {@code reason}. */
    record DenyPoolSlot(String commandId, String pipelineId, String runId, String taskId, int attempt, String pool,
                        String reason) implements SchedulerCommand {
    }

    /**
     * A command to a pool aggregate; its partition key ({@code pipelineId()}) is {@link Pools#key(String)}, never a
     * pipeline id.
     */
    sealed interface PoolCommand permits DefinePool, AcquirePoolSlot, ReleasePoolSlot {
        String pool();
    }

    /** A report an executor makes about one attempt; fenced by attempt number and executor id. */
    sealed interface AttemptReport permits ReportTaskStarted, ReportTaskHeartbeat, ReportTaskSucceeded,
            ReportTaskFailed {
        String runId();

        String taskId();

        int attempt();

        String executorId();
    }

    /** A command the scheduler appends to itself when a due time in its state is reached. */
    sealed interface TimerCommand permits TimeOutTask, ExpireTaskLease, DispatchRetry {
        String runId();

        String taskId();

        int attempt();
    }
}
