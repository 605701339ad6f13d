package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.PipelineSpec;

import dev.drover.scheduler.schedule.DataInterval;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything that has happened in the scheduler: the past-tense half of its vocabulary. Events are appended to
 * {@code drover.run.events} (same partition as the command that caused them) and are the only input of
 * {@link SchedulerState#apply}. The envelope (event id, timestamp, causation and correlation ids) is added by the
 * loop that appends them.
 */
public sealed interface SchedulerEvent {

    /** The pipeline this event belongs to: the partition key. */
    String pipelineId();

    /** A new revision of a pipeline spec was registered. */
    record PipelineRegistered(String pipelineId, int revision, PipelineSpec spec, String specHash,
                              String registeredBy, Instant at) implements SchedulerEvent {
    }

    /**
     * A run started with its parameters (defaults applied) on a fixed revision.
     *
     * @param interval   the data interval of a scheduled or backfilled run (its start is the logical date), or null
     * @param backfillId the backfill the run belongs to, or null
     */
    record RunStarted(String pipelineId, String runId, int revision, Map<String, Object> parameters,
                      String trigger, String requestedBy, Instant at, DataInterval interval, String backfillId)
            implements SchedulerEvent, RunEvent {

        /** A run that is not about a data interval (manual, API, triggers). */
        public RunStarted(String pipelineId, String runId, int revision, Map<String, Object> parameters,
                          String trigger, String requestedBy, Instant at) {
            this(pipelineId, runId, revision, parameters, trigger, requestedBy, at, null, null);
        }
    }

    /**
     * An attempt was handed to executors of a queue. The dispatch carries the task with every template resolved.
     *
     * @param config    the task's config with templates rendered
     * @param timeoutMs timeout of this attempt
     * @param poke      for a sensor, the number of this dispatch among the task's pokes (1, 2, …; reports must carry
     *                  it); 0 for every other task
     * @param secrets   the secrets the task's spec refers to: the config holds their placeholders, which the executor
     *                  fills in, for these names only (never a value: values are never on a topic in clear)
     */
    record TaskDispatched(String pipelineId, String runId, String taskId, int attempt, String type, String queue,
                          Map<String, Object> config, long timeoutMs, Instant at, int poke, List<String> secrets)
            implements SchedulerEvent, RunEvent {

        public TaskDispatched {
            secrets = secrets == null ? List.of() : List.copyOf(secrets);
        }

        /** A dispatch whose config uses no secret. */
        public TaskDispatched(String pipelineId, String runId, String taskId, int attempt, String type, String queue,
                              Map<String, Object> config, long timeoutMs, Instant at, int poke) {
            this(pipelineId, runId, taskId, attempt, type, queue, config, timeoutMs, at, poke, List.of());
        }

        /** A dispatch of a task that is not a sensor (poke 0). */
        public TaskDispatched(String pipelineId, String runId, String taskId, int attempt, String type, String queue,
                              Map<String, Object> config, long timeoutMs, Instant at) {
            this(pipelineId, runId, taskId, attempt, type, queue, config, timeoutMs, at, 0);
        }
    }

    /** An executor started the attempt; it holds the lease until {@code leaseExpiresAt} unless it renews it. */
    record TaskStarted(String pipelineId, String runId, String taskId, int attempt, String executorId,
                       Instant leaseExpiresAt, Instant timeoutAt, Instant at) implements SchedulerEvent, RunEvent {
    }

    /** The running attempt's executor proved it is alive. */
    record TaskLeaseRenewed(String pipelineId, String runId, String taskId, int attempt, Instant leaseExpiresAt)
            implements SchedulerEvent, RunEvent {
    }

    /** The attempt succeeded. */
    record TaskSucceeded(String pipelineId, String runId, String taskId, int attempt, Map<String, Object> outputs,
                         Instant at) implements SchedulerEvent, RunEvent {
    }

    /** The attempt failed as its executor reported. */
    record TaskFailed(String pipelineId, String runId, String taskId, int attempt, String message, Integer exitCode,
                      Instant at) implements SchedulerEvent, RunEvent {
    }

    /** The attempt ran longer than its timeout. */
    record TaskTimedOut(String pipelineId, String runId, String taskId, int attempt, Instant at)
            implements SchedulerEvent, RunEvent {
    }

    /**
     * The attempt's executor stopped proving it is alive, or, with {@code executorId} null, no executor started the
     * attempt before its start deadline. Its later reports are rejected.
     */
    record TaskLost(String pipelineId, String runId, String taskId, int attempt, String executorId, Instant at)
            implements SchedulerEvent, RunEvent {
    }

    /** The task will get another attempt at {@code dueAt}. */
    record TaskRetryScheduled(String pipelineId, String runId, String taskId, int nextAttempt, Instant dueAt)
            implements SchedulerEvent, RunEvent {
    }

    /** The task failed for good (no attempts left, or not retryable). */
    record TaskFailedFinally(String pipelineId, String runId, String taskId, int attempt, String reason)
            implements SchedulerEvent, RunEvent {
    }

    /** The task will not run because an upstream task failed for good. */
    record TaskUpstreamFailed(String pipelineId, String runId, String taskId, String upstreamTaskId)
            implements SchedulerEvent, RunEvent {
    }

    /** The task was canceled with its run; {@code attempt} is the attempt that was running, or 0. */
    record TaskCanceled(String pipelineId, String runId, String taskId, int attempt)
            implements SchedulerEvent, RunEvent {
    }

    /** The run reached a final status. */
    record RunFinished(String pipelineId, String runId, RunStatus status, String reason, Instant at)
            implements SchedulerEvent, RunEvent {
    }

    /**
     * A command was not carried out; {@code code} says why in one word and {@code message} in a sentence that says how
     * to fix it. Changes no state; it is logged so that the caller (and anyone reading the history) learns the outcome.
     */
    record CommandRejected(String pipelineId, String commandId, RejectionCode code, String message)
            implements SchedulerEvent {
    }

    /**
     * The task will not run, and that is not a failure: its {@code when} condition was false, its trigger rule says
     * so given its upstream tasks' outcomes (e.g. an upstream task was skipped), or it was mapped over an empty list.
     */
    record TaskSkipped(String pipelineId, String runId, String taskId, String reason)
            implements SchedulerEvent, RunEvent {
    }

    /**
     * A sensor's condition did not hold yet: the poke is over (the executor slot is free again) and the next poke of
     * the same attempt is due at {@code nextPokeAt}. For a scheduler-decided sensor ({@code wait_for_time}) no
     * executor was involved and {@code poke} is 0.
     *
     * @param poke   the poke that found the condition false (fencing: a report about any other poke is stale)
     * @param reason what the sensor is waiting for, in a sentence
     */
    record TaskRescheduled(String pipelineId, String runId, String taskId, int attempt, int poke, String reason,
                           Instant nextPokeAt, Instant at) implements SchedulerEvent, RunEvent {
    }

    /**
     * An asset was updated: a task that lists it in {@code outlets} succeeded (in that task's pipeline), or an
     * external system published an update (pipeline {@link AssetTriggering#EXTERNAL_PIPELINE}, no run or task). The
     * asset router hands it to every pipeline that consumes the asset. Changes no state.
     *
     * @param runId    the producing run, or null for an external update
     * @param taskId   the producing task, or null
     * @param updateId unique id of this update (see {@link AssetTriggering#updateId})
     * @param extra    details an external publisher attached; empty for task updates
     */
    record AssetUpdated(String pipelineId, String runId, String taskId, String uri, String updateId,
                        Map<String, Object> extra, Instant at) implements SchedulerEvent {
    }

    /**
     * A pipeline that consumes the asset took note of an update: it counts towards each of the pipeline's
     * {@code assets} triggers that lists the URI until that trigger next starts a run.
     */
    record AssetUpdateRecorded(String pipelineId, String uri, String updateId, String producerPipeline,
                               String producerRunId, String producerTaskId, Instant updatedAt, Instant at)
            implements SchedulerEvent {
    }

    /**
     * An {@code assets} trigger of the pipeline fired: the run {@code runId} (started right after) consumes these
     * updates, and the trigger starts counting again from none.
     *
     * @param trigger the trigger, as {@code all:[uri, …]} or {@code any:[uri, …]} with the URIs sorted
     * @param updates the updates consumed, in the order they were recorded
     */
    record AssetRunTriggered(String pipelineId, String runId, String trigger, java.util.List<AssetRef> updates)
            implements SchedulerEvent {
        public AssetRunTriggered {
            updates = java.util.List.copyOf(updates);
        }
    }

    /**
     * A mapped task ({@code mapOver}) became ready and its list was evaluated: the run now holds one instance per
     * element, {@code <taskId>[<index>]}, each dispatched with its element as {@code map.item}.
     *
     * @param items the list's elements (JSON-like values), at most {@link TaskMapping#MAX_INSTANCES}
     */
    record TaskExpanded(String pipelineId, String runId, String taskId, java.util.List<Object> items)
            implements SchedulerEvent, RunEvent {
        public TaskExpanded {
            // elements may be null (JSON null), which List.copyOf refuses
            items = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(items));
        }
    }

    /**
     * Tasks were cleared by hand (Airflow: Clear): each is {@code PENDING} again with a fresh retry budget and a fresh
     * deadline; its next attempt is numbered after its last one, so reports from earlier attempts are stale.
     *
     * @param taskIds    the tasks cleared, in the pipeline's order
     * @param downstream whether the request included the tasks downstream of the ones named
     */
    record TasksCleared(String pipelineId, String runId, List<String> taskIds, boolean downstream, String requestedBy,
                        Instant at) implements SchedulerEvent, RunEvent {
        public TasksCleared {
            taskIds = List.copyOf(taskIds);
        }
    }

    /** A finished run is running again because some of its tasks were cleared or marked by hand. */
    record RunReopened(String pipelineId, String runId, String requestedBy, Instant at)
            implements SchedulerEvent, RunEvent {
    }

    /**
     * A task's outcome was set by hand (Airflow: Mark Success / Mark Failed).
     *
     * @param status  {@code SUCCEEDED} or {@code FAILED}
     * @param attempt the attempt in flight that this ended (its later reports are stale), or 0
     */
    record TaskMarked(String pipelineId, String runId, String taskId, TaskStatus status, int attempt,
                      String requestedBy, Instant at) implements SchedulerEvent, RunEvent {
    }

    /** The run was still unfinished when its deadline passed; it keeps running. Raised at most once per run. */
    record RunDeadlineMissed(String pipelineId, String runId, long deadlineMs, Instant at)
            implements SchedulerEvent, RunEvent {
    }

    /**
     * The task was still unfinished when its deadline (counted from its first dispatch) passed; it keeps running.
     * Raised at most once per task, again after the task is cleared.
     */
    record TaskDeadlineMissed(String pipelineId, String runId, String taskId, long deadlineMs, Instant at)
            implements SchedulerEvent, RunEvent {
    }

    /**
     * The task is ready but waits for one of its run's {@code maxActiveTasks} slots; it goes out, highest priority
     * first, when one frees.
     */
    record TaskQueued(String pipelineId, String runId, String taskId, int attempt, String reason)
            implements SchedulerEvent, RunEvent {
    }

    /**
     * The task's attempt asked its pool for a slot (an {@code AcquirePoolSlot} was sent with this event) and waits
     * for the grant; it holds one of its run's {@code maxActiveTasks} slots meanwhile.
     */
    record TaskAwaitingPool(String pipelineId, String runId, String taskId, int attempt, String pool, int priority)
            implements SchedulerEvent, RunEvent {
    }

    /** A pool was created or resized. */
    record PoolDefined(String pool, int slots, String description, String definedBy, Instant at)
            implements SchedulerEvent, PoolEvent {
        @Override
        public String pipelineId() {
            return Pools.key(pool);
        }
    }

    /** An attempt waits for a slot of the pool (all are held). */
    record PoolSlotQueued(String pool, String holderPipelineId, String runId, String taskId, int attempt,
                          int priority, Instant at) implements SchedulerEvent, PoolEvent {
        @Override
        public String pipelineId() {
            return Pools.key(pool);
        }
    }

    /** An attempt holds a slot of the pool (a {@code GrantPoolSlot} was sent to its run with this event). */
    record PoolSlotGranted(String pool, String holderPipelineId, String runId, String taskId, int attempt,
                           int priority, Instant at) implements SchedulerEvent, PoolEvent {
        @Override
        public String pipelineId() {
            return Pools.key(pool);
        }
    }

    /** An attempt gave its slot back ({@code held}), or its queued request was withdrawn (not {@code held}). */
    record PoolSlotReleased(String pool, String holderPipelineId, String runId, String taskId, int attempt,
                            boolean held, String reason, Instant at) implements SchedulerEvent, PoolEvent {
        @Override
        public String pipelineId() {
            return Pools.key(pool);
        }
    }

    /** An event of a pool aggregate; its partition key ({@code pipelineId()}) is {@link Pools#key(String)}. */
    sealed interface PoolEvent permits PoolDefined, PoolSlotQueued, PoolSlotGranted, PoolSlotReleased {
        String pool();
    }

    /**
     * A run was requested but cannot start yet: the pipeline is paused, or has {@code maxActiveRuns} active runs, or
     * earlier requests are still queued. It starts, in request order, when it can (a {@link RunStarted} with the
     * same run id). Its run id is taken from now on.
     */
    record RunQueued(String pipelineId, String runId, int revision, Map<String, Object> parameters, String trigger,
                     String requestedBy, DataInterval interval, String reason, Instant at)
            implements SchedulerEvent, SchedulingEvent {
    }

    /** The pipeline was paused: its schedule's ticks are skipped (and recorded), and new runs are queued. */
    record PipelinePaused(String pipelineId, String reason, String pausedBy, Instant at)
            implements SchedulerEvent, SchedulingEvent {
    }

    /** The pipeline was resumed: its schedule fires again and queued runs start. */
    record PipelineResumed(String pipelineId, String resumedBy, Instant at)
            implements SchedulerEvent, SchedulingEvent {
    }

    /**
     * A tick of the schedule did not start a run: the pipeline was paused, the interval's run id already existed
     * (e.g. a backfill ran it), or its parameters have no defaults.
     */
    record ScheduledRunSkipped(String pipelineId, String runId, DataInterval interval, String reason, Instant at)
            implements SchedulerEvent, SchedulingEvent {
    }

    /**
     * A backfill of the data intervals whose logical dates lie in {@code [start, end)} was requested. Its runs start
     * in order, at most {@code maxConcurrency} at once, on the revision {@code revision} (whose schedule cuts the
     * range into intervals).
     *
     * @param firstLogicalDate the first interval's logical date, or null if the range holds none
     * @param intervals        how many intervals the range holds
     */
    record BackfillRequested(String pipelineId, String backfillId, Instant start, Instant end, int maxConcurrency,
                             Map<String, Object> parameters, int revision, Instant firstLogicalDate, int intervals,
                             String requestedBy, Instant at) implements SchedulerEvent, SchedulingEvent {
    }

    /** An interval of a backfill was not run because a run for it already exists. */
    record BackfillIntervalSkipped(String pipelineId, String backfillId, String runId, DataInterval interval,
                                   String reason) implements SchedulerEvent, SchedulingEvent {
    }

    /** A backfill ended: {@code COMPLETED} (every interval started or skipped, its runs finished) or {@code CANCELED}. */
    record BackfillFinished(String pipelineId, String backfillId, String status, String reason, Instant at)
            implements SchedulerEvent, SchedulingEvent {
    }

    /** An event about a pipeline's schedule, pause state, run queue or backfills. */
    sealed interface SchedulingEvent permits RunQueued, PipelinePaused, PipelineResumed, ScheduledRunSkipped,
            BackfillRequested, BackfillIntervalSkipped, BackfillFinished {
        String pipelineId();
    }

    /** An event about one run. */
    sealed interface RunEvent permits RunStarted, TaskDispatched, TaskStarted, TaskLeaseRenewed, TaskSucceeded,
            TaskFailed, TaskTimedOut, TaskLost, TaskRetryScheduled, TaskFailedFinally, TaskUpstreamFailed,
            TaskCanceled, RunFinished, TaskSkipped, TaskRescheduled, TaskExpanded, TasksCleared, RunReopened,
            TaskMarked, RunDeadlineMissed, TaskDeadlineMissed, TaskQueued, TaskAwaitingPool {
        String runId();
    }
}
