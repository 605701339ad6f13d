package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerCommand.AttemptReport;
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
import dev.drover.scheduler.pipeline.Durations;
import dev.drover.scheduler.pipeline.ParameterBinding;
import dev.drover.scheduler.pipeline.TaskSpec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides what a command means for the current state: {@code decide(state, command, now) → events | rejection}.
 *
 * <p>Pure: it never changes {@code state} (it settles a run on a private copy, through the same
 * {@link RunState#apply} that evolves the real state) and uses no clock but {@code now}, the time the scheduler
 * took the command. Follow-on decisions are made in the same step: the success of a task dispatches the tasks that
 * were waiting for it, the final failure of a task marks what depends on it {@code UPSTREAM_FAILED}, and the last
 * task to settle finishes the run.
 *
 * <p>An attempt is fenced by its number: a report about any attempt but the task's live one is rejected as
 * {@link RejectionCode#STALE_ATTEMPT}, which covers attempts the scheduler gave up on — timed out, lost by their
 * executor, or never started before their start deadline.
 */
public final class SchedulerDecider {
    private final SchedulerSettings settings;
    private final TaskConfigRenderer renderer = new TaskConfigRenderer();
    private final SchedulingDecisions scheduling = new SchedulingDecisions(this);

    public SchedulerDecider(SchedulerSettings settings) {
        this.settings = settings;
    }

    /** The tunables this decider decides with (the loop needs them to know when timers are due). */
    public SchedulerSettings settings() {
        return settings;
    }

    /**
     * Decides one command, then starts what its events make room for: queued runs and backfill intervals
     * ({@link SchedulingDecisions#followUp}).
     */
    public Decision decide(SchedulerState state, SchedulerCommand command, Instant now) {
        return scheduling.followUp(state, command.pipelineId(), decideCommand(state, command, now), now);
    }

    private Decision decideCommand(SchedulerState state, SchedulerCommand command, Instant now) {
        if (command instanceof RegisterPipeline c) {
            return register(state, c, now);
        } else if (command instanceof RequestRun c) {
            return requestRun(state, c, now);
        } else if (command instanceof CancelRun c) {
            return cancel(state, c, now);
        } else if (command instanceof AttemptReport r) {
            return report(state, (SchedulerCommand) r, r, now);
        } else if (command instanceof TimeOutTask c) {
            return timer(state, c.runId(), c.taskId(), c.attempt(), now, Timer.TIMEOUT);
        } else if (command instanceof ExpireTaskLease c) {
            return timer(state, c.runId(), c.taskId(), c.attempt(), now, Timer.LEASE);
        } else if (command instanceof DispatchRetry c) {
            return timer(state, c.runId(), c.taskId(), c.attempt(), now, Timer.RETRY);
        } else if (command instanceof SchedulerCommand.FireSchedule || command instanceof SchedulerCommand.PausePipeline
                || command instanceof SchedulerCommand.ResumePipeline
                || command instanceof SchedulerCommand.RequestBackfill
                || command instanceof SchedulerCommand.CancelBackfill) {
            return scheduling.decide(state, command, now);
        }
        throw new IllegalArgumentException("no decision for " + command.getClass().getSimpleName());
    }

    private Decision register(SchedulerState state, RegisterPipeline c, Instant now) {
        Optional<PipelineState> existing = state.pipelineState(c.pipelineId());
        if (existing.isPresent() && existing.get().latest().specHash().equals(c.specHash())) {
            PipelineRevision latest = existing.get().latest();
            return Decision.reject(c, RejectionCode.UNCHANGED,
                    "pipeline " + c.pipelineId() + " is identical to its revision " + latest.revision()
                            + "; nothing to register");
        }
        int revision = existing.map(p -> p.latest().revision() + 1).orElse(1);
        return Decision.of(List.of(new PipelineRegistered(c.pipelineId(), revision, c.spec(), c.specHash(),
                c.requestedBy(), now)));
    }

    private Decision requestRun(SchedulerState state, RequestRun c, Instant now) {
        Optional<PipelineState> pipeline = state.pipelineState(c.pipelineId());
        if (pipeline.isEmpty()) {
            return Decision.reject(c, RejectionCode.UNKNOWN_PIPELINE, "pipeline " + c.pipelineId()
                    + " is not registered; register it first (POST /api/v1/pipelines)");
        }
        PipelineRevision revision = pipeline.get().latest();
        ParameterBinding.BindResult bound = ParameterBinding.bind(revision.spec(), c.parameters());
        if (!bound.ok()) {
            return Decision.reject(c, RejectionCode.INVALID_PARAMETERS, bound.problems().stream()
                    .map(p -> p.path() + ": " + p.message()).collect(Collectors.joining("; ")));
        }
        String runId = c.runId();
        if (runId == null) {
            long n = pipeline.get().runsStarted() + 1;
            while (pipeline.get().runIds().contains(c.pipelineId() + "." + n)) {
                n++;
            }
            runId = c.pipelineId() + "." + n;
        } else if (pipeline.get().runIds().contains(runId)) {
            return Decision.reject(c, RejectionCode.RUN_EXISTS, "run " + runId
                    + " already exists; choose another run id or omit it to get a numbered one");
        }
        Optional<String> wait = SchedulingDecisions.mustWait(state.scheduling(c.pipelineId()), revision);
        if (wait.isPresent()) {
            return Decision.of(List.of(new SchedulerEvent.RunQueued(c.pipelineId(), runId, revision.revision(),
                    bound.parameters(), c.trigger(), c.requestedBy(), null, wait.get(), now)));
        }
        RunStarted started = new RunStarted(c.pipelineId(), runId, revision.revision(), bound.parameters(),
                c.trigger(), c.requestedBy(), now);
        return Decision.of(start(started, revision, now));
    }

    /** The events of starting a run: {@code started}, then the dispatch of its ready tasks (and so on). */
    List<SchedulerEvent> start(RunStarted started, PipelineRevision revision, Instant now) {
        Settlement s = new Settlement(RunState.started(started, revision), revision, now);
        s.events.add(started);
        s.settle();
        return s.events;
    }

    private Decision cancel(SchedulerState state, CancelRun c, Instant now) {
        Optional<RunState> active = state.activeRun(c.runId());
        if (active.isEmpty()) {
            return rejectInactive(state, c, c.runId());
        }
        RunState run = active.get();
        List<SchedulerEvent> events = new ArrayList<>();
        run.tasks().values().stream().filter(t -> !t.status().finished()).forEach(t -> events.add(
                new TaskCanceled(run.pipelineId(), run.runId(), t.taskId(), t.status().inFlight() ? t.attempt() : 0)));
        String reason = c.reason() == null || c.reason().isBlank() ? "canceled by " + c.requestedBy() : c.reason();
        events.add(new RunFinished(run.pipelineId(), run.runId(), RunStatus.CANCELED, reason, now));
        return Decision.of(events);
    }

    private Decision report(SchedulerState state, SchedulerCommand c, AttemptReport r, Instant now) {
        Optional<RunState> active = state.activeRun(r.runId());
        if (active.isEmpty()) {
            return rejectInactive(state, c, r.runId());
        }
        RunState run = active.get();
        TaskState task = run.tasks().get(r.taskId());
        if (task == null) {
            return Decision.reject(c, RejectionCode.UNKNOWN_TASK, "run " + run.runId() + " has no task " + r.taskId());
        }
        if (task.attempt() != r.attempt() || !task.status().inFlight()) {
            return Decision.reject(c, RejectionCode.STALE_ATTEMPT, "attempt " + r.attempt() + " of " + r.runId() + "/"
                    + r.taskId() + " is not live (task is " + task.status() + " at attempt " + task.attempt()
                    + "); stop working on it");
        }
        PipelineRevision revision = state.revisionOf(run);
        TaskSpec spec = revision.spec().task(r.taskId()).orElseThrow();
        if (c instanceof ReportTaskStarted started) {
            if (task.status() == TaskStatus.RUNNING) {
                return task.executorId().equals(started.executorId()) ? Decision.nothing()
                        : Decision.reject(c, RejectionCode.WRONG_EXECUTOR, "attempt " + r.attempt() + " of "
                        + r.runId() + "/" + r.taskId() + " is already running on executor " + task.executorId());
            }
            return Decision.of(List.of(new TaskStarted(run.pipelineId(), run.runId(), r.taskId(), r.attempt(),
                    started.executorId(), now.plus(settings.leaseDuration()), now.plus(spec.timeout()), now)));
        }
        if (task.status() != TaskStatus.RUNNING) {
            return Decision.reject(c, RejectionCode.STALE_ATTEMPT, "attempt " + r.attempt() + " of " + r.runId() + "/"
                    + r.taskId() + " was never reported started");
        }
        if (!task.executorId().equals(r.executorId())) {
            return Decision.reject(c, RejectionCode.WRONG_EXECUTOR, "attempt " + r.attempt() + " of " + r.runId()
                    + "/" + r.taskId() + " belongs to executor " + task.executorId() + ", not " + r.executorId());
        }
        if (c instanceof ReportTaskHeartbeat) {
            Instant renewed = now.plus(settings.leaseDuration());
            boolean due = task.leaseExpiresAt() == null
                    || task.leaseExpiresAt().isBefore(now.plus(settings.leaseDuration().dividedBy(2)));
            return due ? Decision.of(List.of(new TaskLeaseRenewed(run.pipelineId(), run.runId(), r.taskId(),
                    r.attempt(), renewed))) : Decision.nothing();
        }
        Settlement s = new Settlement(run.copy(), revision, now);
        if (c instanceof ReportTaskSucceeded ok) {
            s.emit(new TaskSucceeded(run.pipelineId(), run.runId(), r.taskId(), r.attempt(),
                    ok.outputs() == null ? Map.of() : ok.outputs(), now));
        } else if (c instanceof ReportTaskFailed failed) {
            s.emit(new TaskFailed(run.pipelineId(), run.runId(), r.taskId(), r.attempt(), failed.message(),
                    failed.exitCode(), now));
            s.retryOrFail(spec, r.attempt(), failed.message());
        }
        s.settle();
        return Decision.of(s.events);
    }

    private enum Timer { TIMEOUT, LEASE, RETRY }

    private Decision timer(SchedulerState state, String runId, String taskId, int attempt, Instant now, Timer kind) {
        // Timers are appended for due times the state once had; any that no longer apply are dropped silently.
        Optional<RunState> active = state.activeRun(runId);
        if (active.isEmpty()) {
            return Decision.nothing();
        }
        RunState run = active.get();
        TaskState task = run.tasks().get(taskId);
        if (task == null || task.attempt() != attempt) {
            return Decision.nothing();
        }
        PipelineRevision revision = state.revisionOf(run);
        TaskSpec spec = revision.spec().task(taskId).orElseThrow();
        Settlement s = new Settlement(run.copy(), revision, now);
        switch (kind) {
            case TIMEOUT -> {
                if (task.status() != TaskStatus.RUNNING || task.timeoutAt() == null || now.isBefore(task.timeoutAt())) {
                    return Decision.nothing();
                }
                s.emit(new TaskTimedOut(run.pipelineId(), runId, taskId, attempt, now));
                s.retryOrFail(spec, attempt, "timed out after " + spec.timeout());
            }
            case LEASE -> {
                if (task.status() == TaskStatus.DISPATCHED) {
                    // The start deadline (DueTimer.Kind.START). The dispatch record may have been archived by the
                    // share group, or no executor serves the queue: a new attempt is a new record, so retry it.
                    Optional<Instant> deadline = DueTimer.startDeadline(task, revision, settings);
                    if (deadline.isEmpty() || now.isBefore(deadline.get())) {
                        return Decision.nothing();
                    }
                    s.emit(new TaskLost(run.pipelineId(), runId, taskId, attempt, null, now));
                    s.retryOrFail(spec, attempt, notStarted(spec));
                } else {
                    if (task.status() != TaskStatus.RUNNING || task.leaseExpiresAt() == null
                            || now.isBefore(task.leaseExpiresAt())) {
                        return Decision.nothing();
                    }
                    s.emit(new TaskLost(run.pipelineId(), runId, taskId, attempt, task.executorId(), now));
                    s.retryOrFail(spec, attempt, "executor " + task.executorId() + " stopped renewing its lease");
                }
            }
            case RETRY -> {
                if (task.status() != TaskStatus.RETRY_WAIT || now.isBefore(task.retryAt())) {
                    return Decision.nothing();
                }
                s.dispatch(spec, attempt);
            }
        }
        s.settle();
        return Decision.of(s.events);
    }

    private String notStarted(TaskSpec spec) {
        return "not started within " + Durations.format(settings.startTimeoutOf(spec)) + ": no executor took it from "
                + "queue `" + spec.queue() + "` — is an executor serving that queue? (If its executors were only busy, "
                + "give the task a longer startTimeout.)";
    }

    private Decision rejectInactive(SchedulerState state, SchedulerCommand c, String runId) {
        boolean known = state.pipelineState(c.pipelineId()).map(p -> p.runIds().contains(runId)).orElse(false);
        return known
                ? Decision.reject(c, RejectionCode.RUN_FINISHED, "run " + runId + " has already finished")
                : Decision.reject(c, RejectionCode.UNKNOWN_RUN, "pipeline " + c.pipelineId() + " has no run " + runId);
    }

    /**
     * {@code run.*} in templates: ids, and the logical date and data interval (ISO-8601, UTC) of scheduled and
     * backfilled runs.
     */
    private static Map<String, Object> runContext(RunState run) {
        Map<String, Object> ctx = new LinkedHashMap<>();
        ctx.put("id", run.runId());
        ctx.put("pipeline", run.pipelineId());
        // a run that is not about an interval (manual, API, triggers) is about the moment it started, as in Airflow
        Instant start = run.interval() != null ? run.interval().start() : run.startedAt();
        Instant end = run.interval() != null ? run.interval().end() : run.startedAt();
        ctx.put("logicalDate", start.toString());
        ctx.put("dataIntervalStart", start.toString());
        ctx.put("dataIntervalEnd", end.toString());
        return ctx;
    }

    /** Works out the consequences of an event on a private copy of a run, collecting the events decided. */
    private final class Settlement {
        final RunState run;
        final PipelineRevision revision;
        final Instant now;
        final List<SchedulerEvent> events = new ArrayList<>();

        Settlement(RunState run, PipelineRevision revision, Instant now) {
            this.run = run;
            this.revision = revision;
            this.now = now;
        }

        void emit(SchedulerEvent.RunEvent event) {
            events.add((SchedulerEvent) event);
            run.apply(event);
        }

        /** After an attempt ended badly: schedule the next attempt, or fail the task for good. */
        void retryOrFail(TaskSpec spec, int attempt, String reason) {
            if (attempt < spec.retry().maxAttempts()) {
                Instant due = now.plus(Backoff.delay(spec.retry(), run.runId(), spec.id(), attempt + 1));
                emit(new TaskRetryScheduled(run.pipelineId(), run.runId(), spec.id(), attempt + 1, due));
            } else {
                emit(new TaskFailedFinally(run.pipelineId(), run.runId(), spec.id(), attempt,
                        attempt > 1 ? reason + " (attempt " + attempt + " of " + spec.retry().maxAttempts() + ")"
                                : reason));
            }
        }

        void dispatch(TaskSpec spec, int attempt) {
            TaskConfigRenderer.Rendered rendered = renderer.render(spec.config(), templateContext(attempt));
            if (!rendered.ok()) {
                // A template that cannot be resolved fails the same way every time: not worth a retry.
                // No TaskDispatched: the loop hands every TaskDispatched to executors, who would run the raw config.
                emit(new TaskFailed(run.pipelineId(), run.runId(), spec.id(), attempt, rendered.error(), null, now));
                emit(new TaskFailedFinally(run.pipelineId(), run.runId(), spec.id(), attempt, rendered.error()));
                return;
            }
            emit(new TaskDispatched(run.pipelineId(), run.runId(), spec.id(), attempt, spec.type(), spec.queue(),
                    rendered.config(), spec.timeout().toMillis(), now));
        }

        private Map<String, Object> templateContext(int attempt) {
            Map<String, Object> tasks = new HashMap<>();
            run.tasks().forEach((id, t) -> {
                if (t.status() == TaskStatus.SUCCEEDED) {
                    tasks.put(id, Map.of("outputs", t.outputs()));
                }
            });
            Map<String, Object> ctx = new LinkedHashMap<>();
            ctx.put("params", run.parameters());
            ctx.put("tasks", tasks);
            ctx.put("run", runContext(run));
            ctx.put("attempt", attempt);
            return ctx;
        }

        /** Dispatches what became ready, propagates final failures downstream, and finishes the run when settled. */
        void settle() {
            for (String taskId : revision.topologicalOrder()) {
                TaskState task = run.tasks().get(taskId);
                if (task.status() != TaskStatus.PENDING) {
                    continue;
                }
                TaskSpec spec = revision.spec().task(taskId).orElseThrow();
                Optional<String> failedUpstream = spec.dependsOn().stream().filter(d -> {
                    TaskStatus st = run.tasks().get(d).status();
                    return st == TaskStatus.FAILED || st == TaskStatus.UPSTREAM_FAILED || st == TaskStatus.CANCELED;
                }).findFirst();
                if (failedUpstream.isPresent()) {
                    emit(new TaskUpstreamFailed(run.pipelineId(), run.runId(), taskId, failedUpstream.get()));
                } else if (spec.dependsOn().stream()
                        .allMatch(d -> run.tasks().get(d).status() == TaskStatus.SUCCEEDED)) {
                    dispatch(spec, 1);
                }
            }
            if (run.status() == RunStatus.RUNNING && run.allTasksFinished()) {
                List<String> failed = run.tasks().values().stream()
                        .filter(t -> t.status() == TaskStatus.FAILED).map(TaskState::taskId).toList();
                if (failed.isEmpty()) {
                    emit(new RunFinished(run.pipelineId(), run.runId(), RunStatus.SUCCEEDED, "all tasks succeeded", now));
                } else {
                    emit(new RunFinished(run.pipelineId(), run.runId(), RunStatus.FAILED,
                            "task(s) failed: " + String.join(", ", failed), now));
                }
            }
        }
    }
}
