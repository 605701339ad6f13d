package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.PipelineSpec;

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
