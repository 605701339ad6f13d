package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerCommand.CancelRun;
import dev.drover.scheduler.core.SchedulerCommand.DispatchRetry;
import dev.drover.scheduler.core.SchedulerCommand.ExpireTaskLease;
import dev.drover.scheduler.core.SchedulerCommand.RegisterPipeline;
import dev.drover.scheduler.core.SchedulerCommand.ReportTaskFailed;
import dev.drover.scheduler.core.SchedulerCommand.ReportTaskHeartbeat;
import dev.drover.scheduler.core.SchedulerCommand.ReportTaskStarted;
import dev.drover.scheduler.core.SchedulerCommand.ReportTaskSucceeded;
import dev.drover.scheduler.core.SchedulerCommand.RequestRun;
import dev.drover.scheduler.core.SchedulerCommand.TimeOutTask;
import dev.drover.scheduler.core.SchedulerEvent.PipelineRegistered;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.core.SchedulerEvent.TaskCanceled;
import dev.drover.scheduler.core.SchedulerEvent.TaskDispatched;
import dev.drover.scheduler.core.SchedulerEvent.TaskFailed;
import dev.drover.scheduler.core.SchedulerEvent.TaskFailedFinally;
import dev.drover.scheduler.core.SchedulerEvent.TaskLeaseRenewed;
import dev.drover.scheduler.core.SchedulerEvent.TaskLost;
import dev.drover.scheduler.core.SchedulerEvent.TaskRetryScheduled;
import dev.drover.scheduler.core.SchedulerEvent.TaskStarted;
import dev.drover.scheduler.core.SchedulerEvent.TaskSucceeded;
import dev.drover.scheduler.core.SchedulerEvent.TaskTimedOut;
import dev.drover.scheduler.core.SchedulerEvent.TaskUpstreamFailed;
import dev.drover.scheduler.pipeline.ParameterSpec;
import dev.drover.scheduler.pipeline.ParameterType;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.RetryPolicy;
import dev.drover.scheduler.pipeline.TaskSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nouns of the scheduler's given/when/then tests: pipeline specs built straight from their records, and one
 * short factory per event (past tense) and per command (imperative), filled with the defaults every test shares.
 * Every task is a {@code shell} task on queue {@code default} with a {@link #TIMEOUT} timeout unless a test says
 * otherwise.
 */
final class SchedulerFixtures {
    static final String PIPELINE = "train";
    static final String RUN = "train.1";
    static final String EXECUTOR = "exec-1";
    static final String OTHER_EXECUTOR = "exec-2";
    static final String USER = "alice";
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final Duration LEASE = SchedulerSettings.defaults().leaseDuration();
    static final Duration TIMEOUT = Duration.ofMinutes(10);
    /** The scheduler's start timeout in every decider test (tasks set none unless a test says otherwise). */
    static final Duration START_TIMEOUT = SchedulerSettings.defaults().startTimeout();

    private SchedulerFixtures() {
    }

    // ---- time

    static Instant at(Duration sinceT0) {
        return T0.plus(sinceT0);
    }

    static Instant seconds(long s) {
        return T0.plusSeconds(s);
    }

    // ---- specs

    /** A shell task with no config, no retries, depending on {@code dependsOn}. */
    static TaskSpec task(String id, String... dependsOn) {
        return new TaskSpec(id, "shell", List.of(dependsOn), Map.of(), RetryPolicy.NONE, TIMEOUT, "default");
    }

    static TaskSpec withRetry(TaskSpec t, RetryPolicy retry) {
        return new TaskSpec(t.id(), t.type(), t.dependsOn(), t.config(), retry, t.timeout(), t.queue(),
                t.startTimeout());
    }

    static TaskSpec withConfig(TaskSpec t, Map<String, Object> config) {
        return new TaskSpec(t.id(), t.type(), t.dependsOn(), config, t.retry(), t.timeout(), t.queue(),
                t.startTimeout());
    }

    /** The task on another executor queue. */
    static TaskSpec onQueue(TaskSpec t, String queue) {
        return new TaskSpec(t.id(), t.type(), t.dependsOn(), t.config(), t.retry(), t.timeout(), queue,
                t.startTimeout());
    }

    /** The task with its own start timeout instead of the scheduler's. */
    static TaskSpec withStartTimeout(TaskSpec t, Duration startTimeout) {
        return new TaskSpec(t.id(), t.type(), t.dependsOn(), t.config(), t.retry(), t.timeout(), t.queue(),
                startTimeout);
    }

    /** {@code retries} retries without jitter, so due times are exact. */
    static RetryPolicy retries(int retries, Duration initialDelay, double backoff, Duration maxDelay) {
        return new RetryPolicy(retries, initialDelay, backoff, maxDelay, 0.0);
    }

    static PipelineSpec pipeline(TaskSpec... tasks) {
        return new PipelineSpec(PIPELINE, "", Map.of(), List.of(tasks));
    }

    static PipelineSpec pipeline(Map<String, ParameterSpec> parameters, TaskSpec... tasks) {
        return new PipelineSpec(PIPELINE, "", parameters, List.of(tasks));
    }

    static ParameterSpec required(ParameterType type) {
        return new ParameterSpec(type, null, "");
    }

    static ParameterSpec optional(ParameterType type, Object defaultValue) {
        return new ParameterSpec(type, defaultValue, "");
    }

    /** Declared parameters from alternating names and {@link ParameterSpec}s, in declaration order. */
    static Map<String, ParameterSpec> parameters(Object... namesAndSpecs) {
        Map<String, ParameterSpec> m = new LinkedHashMap<>();
        map(namesAndSpecs).forEach((name, spec) -> m.put(name, (ParameterSpec) spec));
        return m;
    }

    /** An ordered map from alternating keys and values. */
    static Map<String, Object> map(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("odd number of keys and values: " + Arrays.toString(keysAndValues));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    // ---- events (past tense)

    static PipelineRegistered registered(PipelineSpec spec) {
        return registered(spec, 1);
    }

    static PipelineRegistered registered(PipelineSpec spec, int revision) {
        return new PipelineRegistered(PIPELINE, revision, spec, "hash-" + revision, USER, T0);
    }

    static RunStarted runStarted(String runId) {
        return runStarted(runId, 1, Map.of(), T0);
    }

    static RunStarted runStarted(String runId, int revision, Map<String, Object> parameters, Instant at) {
        return new RunStarted(PIPELINE, runId, revision, parameters, "manual", USER, at);
    }

    /** A dispatch of a task without config (what {@link #task} declares). */
    static TaskDispatched dispatched(String runId, String taskId, int attempt, Instant at) {
        return dispatched(runId, taskId, attempt, Map.of(), at);
    }

    static TaskDispatched dispatched(String runId, String taskId, int attempt, Map<String, Object> config,
                                     Instant at) {
        return new TaskDispatched(PIPELINE, runId, taskId, attempt, "shell", "default", config, TIMEOUT.toMillis(), at);
    }

    /** A dispatch of a task without config to another queue than {@code default}. */
    static TaskDispatched dispatchedOn(String queue, String runId, String taskId, int attempt, Instant at) {
        return new TaskDispatched(PIPELINE, runId, taskId, attempt, "shell", queue, Map.of(), TIMEOUT.toMillis(), at);
    }

    /** A start at {@code at}: the lease and the timeout both run from it. */
    static TaskStarted started(String runId, String taskId, int attempt, String executorId, Instant at) {
        return new TaskStarted(PIPELINE, runId, taskId, attempt, executorId, at.plus(LEASE), at.plus(TIMEOUT), at);
    }

    static TaskLeaseRenewed leaseRenewed(String runId, String taskId, int attempt, Instant leaseExpiresAt) {
        return new TaskLeaseRenewed(PIPELINE, runId, taskId, attempt, leaseExpiresAt);
    }

    static TaskSucceeded succeeded(String runId, String taskId, int attempt, Instant at) {
        return succeeded(runId, taskId, attempt, Map.of(), at);
    }

    static TaskSucceeded succeeded(String runId, String taskId, int attempt, Map<String, Object> outputs, Instant at) {
        return new TaskSucceeded(PIPELINE, runId, taskId, attempt, outputs, at);
    }

    static TaskFailed failed(String runId, String taskId, int attempt, String message, Integer exitCode, Instant at) {
        return new TaskFailed(PIPELINE, runId, taskId, attempt, message, exitCode, at);
    }

    static TaskTimedOut timedOut(String runId, String taskId, int attempt, Instant at) {
        return new TaskTimedOut(PIPELINE, runId, taskId, attempt, at);
    }

    static TaskLost lost(String runId, String taskId, int attempt, String executorId, Instant at) {
        return new TaskLost(PIPELINE, runId, taskId, attempt, executorId, at);
    }

    static TaskRetryScheduled retryScheduled(String runId, String taskId, int nextAttempt, Instant dueAt) {
        return new TaskRetryScheduled(PIPELINE, runId, taskId, nextAttempt, dueAt);
    }

    static TaskFailedFinally failedFinally(String runId, String taskId, int attempt, String reason) {
        return new TaskFailedFinally(PIPELINE, runId, taskId, attempt, reason);
    }

    static TaskUpstreamFailed upstreamFailed(String runId, String taskId, String upstreamTaskId) {
        return new TaskUpstreamFailed(PIPELINE, runId, taskId, upstreamTaskId);
    }

    static TaskCanceled canceled(String runId, String taskId, int attempt) {
        return new TaskCanceled(PIPELINE, runId, taskId, attempt);
    }

    static RunFinished runFinished(String runId, RunStatus status, String reason, Instant at) {
        return new RunFinished(PIPELINE, runId, status, reason, at);
    }

    static RunFinished runSucceeded(String runId, Instant at) {
        return runFinished(runId, RunStatus.SUCCEEDED, "all tasks succeeded", at);
    }

    // ---- commands (imperative)

    static RegisterPipeline register(PipelineSpec spec, String specHash) {
        return new RegisterPipeline("register-" + specHash, spec.id(), spec, specHash, USER);
    }

    /** A run with a numbered id and no parameters. */
    static RequestRun requestRun() {
        return requestRun(null, Map.of());
    }

    static RequestRun requestRun(String runId) {
        return requestRun(runId, Map.of());
    }

    static RequestRun requestRun(String runId, Map<String, Object> parameters) {
        return new RequestRun("request-" + runId, PIPELINE, runId, parameters, "manual", USER);
    }

    static CancelRun cancelRun(String runId, String reason) {
        return new CancelRun("cancel-" + runId, PIPELINE, runId, reason, USER);
    }

    static ReportTaskStarted reportStarted(String runId, String taskId, int attempt, String executorId) {
        return new ReportTaskStarted("started-" + taskId + "-" + attempt, PIPELINE, runId, taskId, attempt,
                executorId);
    }

    static ReportTaskHeartbeat reportHeartbeat(String runId, String taskId, int attempt, String executorId) {
        return new ReportTaskHeartbeat("heartbeat-" + taskId + "-" + attempt, PIPELINE, runId, taskId, attempt,
                executorId);
    }

    static ReportTaskSucceeded reportSucceeded(String runId, String taskId, int attempt, String executorId) {
        return reportSucceeded(runId, taskId, attempt, executorId, Map.of());
    }

    static ReportTaskSucceeded reportSucceeded(String runId, String taskId, int attempt, String executorId,
                                               Map<String, Object> outputs) {
        return new ReportTaskSucceeded("succeeded-" + taskId + "-" + attempt, PIPELINE, runId, taskId, attempt,
                executorId, outputs);
    }

    static ReportTaskFailed reportFailed(String runId, String taskId, int attempt, String executorId, String message,
                                         Integer exitCode) {
        return new ReportTaskFailed("failed-" + taskId + "-" + attempt, PIPELINE, runId, taskId, attempt, executorId,
                message, exitCode);
    }

    static TimeOutTask timeOut(String runId, String taskId, int attempt) {
        return new TimeOutTask("timeout-" + taskId + "-" + attempt, PIPELINE, runId, taskId, attempt);
    }

    static ExpireTaskLease expireLease(String runId, String taskId, int attempt) {
        return new ExpireTaskLease("lease-" + taskId + "-" + attempt, PIPELINE, runId, taskId, attempt);
    }

    static DispatchRetry dispatchRetry(String runId, String taskId, int attempt) {
        return new DispatchRetry("retry-" + taskId + "-" + attempt, PIPELINE, runId, taskId, attempt);
    }

    // ---- control flow (trigger rules and when)

    /** The task with a trigger rule other than the default {@code all_success}. */
    static TaskSpec withTriggerRule(TaskSpec t, dev.drover.scheduler.pipeline.TriggerRule rule) {
        return t.withOptions(t.options().withTriggerRule(rule));
    }

    /** The task with a {@code when} condition. */
    static TaskSpec withWhen(TaskSpec t, String when) {
        return t.withOptions(t.options().withWhen(when));
    }

    static SchedulerEvent.TaskSkipped skipped(String runId, String taskId, String reason) {
        return new SchedulerEvent.TaskSkipped(PIPELINE, runId, taskId, reason);
    }
}
