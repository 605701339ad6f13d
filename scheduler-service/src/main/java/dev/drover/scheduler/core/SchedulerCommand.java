package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.PipelineSpec;

import java.time.Instant;
import java.util.List;
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
                             String executorId, int poke) implements SchedulerCommand, AttemptReport {

        /** A report about a task that is not a sensor (poke 0). */
        public ReportTaskStarted(String commandId, String pipelineId, String runId, String taskId, int attempt,
                                 String executorId) {
            this(commandId, pipelineId, runId, taskId, attempt, executorId, 0);
        }
    }

    /** An executor is still running an attempt (renews its lease). */
    record ReportTaskHeartbeat(String commandId, String pipelineId, String runId, String taskId, int attempt,
                               String executorId, int poke) implements SchedulerCommand, AttemptReport {

        /** A report about a task that is not a sensor (poke 0). */
        public ReportTaskHeartbeat(String commandId, String pipelineId, String runId, String taskId, int attempt,
                                   String executorId) {
            this(commandId, pipelineId, runId, taskId, attempt, executorId, 0);
        }
    }

    /** An attempt finished successfully with the outputs the task published. */
    record ReportTaskSucceeded(String commandId, String pipelineId, String runId, String taskId, int attempt,
                               String executorId, Map<String, Object> outputs, int poke)
            implements SchedulerCommand, AttemptReport {

        /** A report about a task that is not a sensor (poke 0). */
        public ReportTaskSucceeded(String commandId, String pipelineId, String runId, String taskId, int attempt,
                                   String executorId, Map<String, Object> outputs) {
            this(commandId, pipelineId, runId, taskId, attempt, executorId, outputs, 0);
        }
    }

    /** An attempt failed (non-zero exit, error, or killed by the executor's own timeout). */
    record ReportTaskFailed(String commandId, String pipelineId, String runId, String taskId, int attempt,
                            String executorId, String message, Integer exitCode, int poke)
            implements SchedulerCommand, AttemptReport {

        /** A report about a task that is not a sensor (poke 0). */
        public ReportTaskFailed(String commandId, String pipelineId, String runId, String taskId, int attempt,
                                String executorId, String message, Integer exitCode) {
            this(commandId, pipelineId, runId, taskId, attempt, executorId, message, exitCode, 0);
        }
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
     * An asset this pipeline consumes was updated (sent by the asset router, keyed by the consuming pipeline; see
     * {@code docs/assets.md}). Recorded once per {@code updateId}; may start a run of an {@code assets} trigger.
     *
     * @param updateId         the update's id, unique across producers (a repeated one is not recorded again)
     * @param producerPipeline the pipeline whose task updated the asset, or null for an external update
     * @param producerRunId    that task's run, or null
     * @param producerTaskId   that task, or null
     * @param updatedAt        when the update was recorded where it happened
     */
    record RecordAssetUpdate(String commandId, String pipelineId, String uri, String updateId,
                             String producerPipeline, String producerRunId, String producerTaskId,
                             java.time.Instant updatedAt) implements SchedulerCommand {
    }

    /**
     * An external system says an asset was updated ({@code POST /api/v1/assets/updates}). Keyed by
     * {@link AssetTriggering#EXTERNAL_PIPELINE}, which no pipeline can be named; its update id is derived from the
     * command id, so a retried request is one update.
     *
     * @param extra free JSON-like details the publisher attached (kept in the log and the read model)
     */
    record PublishAssetUpdate(String commandId, String pipelineId, String uri, Map<String, Object> extra,
                              String requestedBy) implements SchedulerCommand {
    }

    /**
     * A sensor's poke found its condition false: the executor is done with this poke (its slot is free) and asks to
     * be poked again after the sensor's {@code pokeInterval}.
     *
     * @param poke   the poke reported on, from the dispatch (fencing)
     * @param reason what the sensor is still waiting for, in a sentence
     */
    record ReportTaskRescheduled(String commandId, String pipelineId, String runId, String taskId, int attempt,
                                 String executorId, int poke, String reason)
            implements SchedulerCommand, AttemptReport {
    }

    /**
     * Clear tasks of a run so that they run again within the same run (Airflow: Clear): each goes back to
     * {@code PENDING} with a fresh retry budget, its attempt numbers carry on, and a finished run is reopened.
     *
     * @param taskIds     the tasks to clear
     * @param downstream  also clear every task that depends on them, directly or transitively
     * @param requestedBy who asked
     */
    record ClearTasks(String commandId, String pipelineId, String runId, List<String> taskIds, boolean downstream,
                      String requestedBy) implements SchedulerCommand {
        public ClearTasks {
            taskIds = List.copyOf(taskIds);
        }
    }

    /**
     * Set a task's outcome by hand (Airflow: Mark Success / Mark Failed); an attempt in flight ends (its later
     * reports are stale).
     *
     * @param status {@link TaskStatus#SUCCEEDED} or {@link TaskStatus#FAILED}
     */
    record MarkTask(String commandId, String pipelineId, String runId, String taskId, TaskStatus status,
                    String requestedBy) implements SchedulerCommand {
        public MarkTask {
            if (status != TaskStatus.SUCCEEDED && status != TaskStatus.FAILED) {
                throw new IllegalArgumentException("a task can only be marked SUCCEEDED or FAILED, not " + status);
            }
        }
    }

    /** Timer: the run's deadline is due; unless it finished meanwhile, an alert is raised. */
    record CheckRunDeadline(String commandId, String pipelineId, String runId) implements SchedulerCommand {
    }

    /** Timer: the task's deadline is due; unless it finished meanwhile, an alert is raised. */
    record CheckTaskDeadline(String commandId, String pipelineId, String runId, String taskId)
            implements SchedulerCommand {
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

    /**
     * Timer: the pipeline's schedule is due at {@code dueAt}; start the runs of the intervals that have ended (or
     * record them skipped while paused). Firing it again changes nothing.
     */
    record FireSchedule(String commandId, String pipelineId, Instant dueAt) implements SchedulerCommand {
    }

    /** Pause the pipeline: skip its schedule's ticks and queue other runs until it is resumed. */
    record PausePipeline(String commandId, String pipelineId, String reason, String requestedBy)
            implements SchedulerCommand {
    }

    /** Resume a paused pipeline. */
    record ResumePipeline(String commandId, String pipelineId, String requestedBy) implements SchedulerCommand {
    }

    /**
     * Run the pipeline for every data interval of its schedule whose logical date lies in {@code [start, end)}, in
     * order, at most {@code maxConcurrency} at once.
     */
    record RequestBackfill(String commandId, String pipelineId, Instant start, Instant end, int maxConcurrency,
                           Map<String, Object> parameters, String requestedBy) implements SchedulerCommand {
    }

    /** Stop a backfill: intervals not yet started are dropped; its active runs carry on. */
    record CancelBackfill(String commandId, String pipelineId, String backfillId, String reason, String requestedBy)
            implements SchedulerCommand {
    }

    /**
     * A report an executor makes about one attempt; fenced by attempt number, poke number (sensors; 0 for other
     * tasks) and executor id.
     */
    sealed interface AttemptReport permits ReportTaskStarted, ReportTaskHeartbeat, ReportTaskSucceeded,
            ReportTaskFailed, ReportTaskRescheduled {
        String runId();

        String taskId();

        int attempt();

        String executorId();

        /** The sensor poke the report is about, or 0 for a task that is not a sensor. */
        int poke();
    }

    /** A command the scheduler appends to itself when a due time in its state is reached. */
    sealed interface TimerCommand permits TimeOutTask, ExpireTaskLease, DispatchRetry {
        String runId();

        String taskId();

        int attempt();
    }
}
