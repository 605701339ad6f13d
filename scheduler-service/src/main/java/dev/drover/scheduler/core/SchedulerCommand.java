package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.PipelineSpec;

import java.time.Instant;
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
