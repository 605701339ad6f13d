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
import dev.drover.scheduler.core.SchedulerEvent.TaskSkipped;
import dev.drover.scheduler.core.SchedulerEvent.TaskUpstreamFailed;
import dev.drover.scheduler.pipeline.Durations;
import dev.drover.scheduler.pipeline.ParameterBinding;
import dev.drover.scheduler.pipeline.TaskSpec;
import dev.drover.scheduler.pipeline.TriggerRule;

import dev.drover.platform.security.secrets.SecretReferences;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides what a command means for the current state: {@code decide(state, command, now) → events | rejection}.
 *
 * <p>Pure: it never changes {@code state} (it settles a run on a private copy, through the same
 * {@link RunState#apply} that evolves the real state) and uses no clock but {@code now}, the time the scheduler
 * took the command. Follow-on decisions are made in the same step: the success of a task dispatches the tasks that
 * were waiting for it, the final failure of a task marks what depends on it {@code UPSTREAM_FAILED}, and the last
 * task to settle finishes the run. Which waiting task runs, is skipped or is upstream-failed is its trigger rule's
 * call ({@link TriggerRules}), then its {@code when} condition's ({@link WhenCondition}); how a finished run ended is
 * {@link RunOutcome}'s.
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
        } else if (command instanceof SchedulerCommand.RecordAssetUpdate c) {
            return AssetTriggering.record(state, c, now, run -> requestRun(state, run, now));
        } else if (command instanceof SchedulerCommand.PublishAssetUpdate c) {
            return AssetTriggering.publish(c, now);
        } else if (command instanceof SchedulerCommand.ClearTasks c) {
            return new Reruns(this).clear(state, c, now);
        } else if (command instanceof SchedulerCommand.MarkTask c) {
            return new Reruns(this).mark(state, c, now);
        } else if (command instanceof SchedulerCommand.CheckRunDeadline c) {
            return Deadlines.checkRun(state, c, now);
        } else if (command instanceof SchedulerCommand.CheckTaskDeadline c) {
            return Deadlines.checkTask(state, c, now);
        } else if (command instanceof SchedulerCommand.PoolCommand c) {
            return PoolDecider.decide(state, (SchedulerCommand) c, now);
        } else if (command instanceof SchedulerCommand.GrantPoolSlot c) {
            return poolAnswer(state, c.runId(), c.taskId(), c.attempt(), c.pool(), null, now);
        } else if (command instanceof SchedulerCommand.DenyPoolSlot c) {
            return poolAnswer(state, c.runId(), c.taskId(), c.attempt(), c.pool(), c.reason(), now);
        } else if (command instanceof SchedulerCommand.FireSchedule || command instanceof SchedulerCommand.PausePipeline
                || command instanceof SchedulerCommand.ResumePipeline
                || command instanceof SchedulerCommand.RequestBackfill
                || command instanceof SchedulerCommand.CancelBackfill) {
            return scheduling.decide(state, command, now);
        }
        throw new IllegalArgumentException("no decision for " + command.getClass().getSimpleName());
    }

    /**
     * A pool's answer to an attempt waiting for it: a grant dispatches the attempt, a denial ({@code denied} is the
     * reason) fails it under its retry policy. An answer for an attempt that no longer waits (canceled, or its run
     * finished) decides nothing here; {@link PoolProtocol} gives a granted slot back.
     */
    private Decision poolAnswer(SchedulerState state, String runId, String taskId, int attempt, String pool,
                                String denied, Instant now) {
        Optional<RunState> active = state.activeRun(runId);
        if (active.isEmpty()) {
            return Decision.nothing();
        }
        RunState run = active.get();
        TaskState task = run.tasks().get(taskId);
        if (task == null || task.status() != TaskStatus.QUEUED || task.attempt() != attempt
                || !pool.equals(task.awaitingPool())) {
            return Decision.nothing();
        }
        PipelineRevision revision = state.revisionOf(run);
        TaskSpec spec = revision.spec().task(taskId).orElseThrow();
        Settlement s = new Settlement(run.copy(), revision, now);
        if (denied == null) {
            s.dispatch(spec, attempt);
        } else {
            s.emit(new TaskFailed(run.pipelineId(), runId, taskId, attempt, denied, null, now));
            s.retryOrFail(spec, attempt, denied);
        }
        s.settle();
        return Decision.of(s.events);
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
        if (task.poke() != r.poke()) {
            return Decision.reject(c, RejectionCode.STALE_ATTEMPT, "poke " + r.poke() + " of attempt " + r.attempt()
                    + " of " + r.runId() + "/" + r.taskId() + " is not live (the sensor is at poke " + task.poke()
                    + "); stop working on it");
        }
        PipelineRevision revision = state.revisionOf(run);
        TaskSpec spec = revision.taskSpec(r.taskId()).orElseThrow();
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
            s.events.addAll(AssetTriggering.outletsUpdated(run.pipelineId(), run.runId(), spec, r.attempt(), now));
        } else if (c instanceof ReportTaskFailed failed) {
            s.emit(new TaskFailed(run.pipelineId(), run.runId(), r.taskId(), r.attempt(), failed.message(),
                    failed.exitCode(), now));
            s.retryOrFail(r.taskId(), spec, r.attempt(), failed.message());
        } else if (c instanceof SchedulerCommand.ReportTaskRescheduled notYet) {
            if (!Sensors.pokedByExecutor(spec.type())) {
                return Decision.reject(c, RejectionCode.INVALID_OUTPUT, "task " + r.taskId() + " is a "
                        + spec.type() + " task, not a sensor: only sensors may ask to be poked again; report it "
                        + "succeeded or failed");
            }
            Sensors.notYet(s.run, task, spec, r.attempt(), r.poke(), notYet.reason(), now).forEach(s::emit);
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
        TaskSpec spec = revision.taskSpec(taskId).orElseThrow();
        Settlement s = new Settlement(run.copy(), revision, now);
        switch (kind) {
            case TIMEOUT -> {
                if (task.status() != TaskStatus.RUNNING || task.timeoutAt() == null || now.isBefore(task.timeoutAt())) {
                    return Decision.nothing();
                }
                s.emit(new TaskTimedOut(run.pipelineId(), runId, taskId, attempt, now));
                s.retryOrFail(taskId, spec, attempt, "timed out after " + spec.timeout());
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
                    s.retryOrFail(taskId, spec, attempt, notStarted(spec));
                } else {
                    if (task.status() != TaskStatus.RUNNING || task.leaseExpiresAt() == null
                            || now.isBefore(task.leaseExpiresAt())) {
                        return Decision.nothing();
                    }
                    s.emit(new TaskLost(run.pipelineId(), runId, taskId, attempt, task.executorId(), now));
                    s.retryOrFail(taskId, spec, attempt, "executor " + task.executorId()
                            + " stopped renewing its lease");
                }
            }
            case RETRY -> {
                if (task.status() == TaskStatus.UP_FOR_RESCHEDULE) {
                    // DueTimer.Kind.POKE: a sensor's next poke of the same attempt
                    if (task.rescheduleAt() == null || now.isBefore(task.rescheduleAt())) {
                        return Decision.nothing();
                    }
                    s.dispatch(spec, attempt);
                    break;
                }
                if (task.status() != TaskStatus.RETRY_WAIT || now.isBefore(task.retryAt())) {
                    return Decision.nothing();
                }
                s.limit(taskId, spec, attempt);
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

    /** A settlement of {@code run}, a private copy the caller owns (for deciders of other commands in this package). */
    Settlement settlement(RunState run, PipelineRevision revision, Instant now) {
        return new Settlement(run, revision, now);
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
    final class Settlement {
        final RunState run;
        final PipelineRevision revision;
        final Instant now;
        final List<SchedulerEvent> events = new ArrayList<>();
        /** Tasks that became ready in this step and wait for {@link #admit()} (runs with maxActiveTasks). */
        final List<RunSlots.Ready> ready = new ArrayList<>();

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
            retryOrFail(spec.id(), spec, attempt, reason);
        }

        /** As above for {@code taskId}, the task itself or an instance of it (mapping). */
        void retryOrFail(String taskId, TaskSpec spec, int attempt, String reason) {
            // attempt numbers carry on after a task is cleared; its retry budget counts from the clear
            int tries = attempt - run.tasks().get(taskId).attemptBase();
            if (tries < spec.retry().maxAttempts()) {
                Instant due = now.plus(Backoff.delay(spec.retry(), run.runId(), taskId, tries + 1));
                emit(new TaskRetryScheduled(run.pipelineId(), run.runId(), taskId, attempt + 1, due));
            } else {
                emit(new TaskFailedFinally(run.pipelineId(), run.runId(), taskId, attempt,
                        tries > 1 ? reason + " (attempt " + tries + " of " + spec.retry().maxAttempts() + ")"
                                : reason));
            }
        }

        /**
         * The attempt may go out: straight away when nothing limits it, else through its run's slots
         * ({@link #admit()}) and its pool (a {@code TaskAwaitingPool}, which asks the pool for a slot).
         */
        void limit(String taskId, TaskSpec spec, int attempt) {
            if (!taskId.equals(spec.id())) {
                // an instance of a mapped task: limits apply to whole tasks only (docs/limits.md)
                dispatch(taskId, spec, attempt);
            } else if (revision.spec().options().maxActiveTasks() != null) {
                ready.add(new RunSlots.Ready(spec.id(), attempt));
            } else {
                goOut(spec, attempt);
            }
        }

        private void goOut(TaskSpec spec, int attempt) {
            if (spec.options().pool() != null) {
                emit(new SchedulerEvent.TaskAwaitingPool(run.pipelineId(), run.runId(), spec.id(), attempt,
                        spec.options().pool(), spec.options().priority()));
            } else {
                dispatch(spec, attempt);
            }
        }

        /** Fills the run's free maxActiveTasks slots, highest priority first; the rest wait QUEUED. */
        void admit() {
            Integer max = revision.spec().options().maxActiveTasks();
            if (max == null) {
                return;
            }
            RunSlots.Plan plan = RunSlots.plan(run, revision, max, ready);
            ready.clear();
            plan.admitted().forEach(r -> goOut(revision.spec().task(r.taskId()).orElseThrow(), r.attempt()));
            plan.queued().forEach(r -> emit(new SchedulerEvent.TaskQueued(run.pipelineId(), run.runId(), r.taskId(),
                    r.attempt(), "waiting for one of the run's " + max + " task slots (maxActiveTasks)")));
        }

        void dispatch(TaskSpec spec, int attempt) {
            dispatch(spec.id(), spec, attempt);
        }

        /** As above for {@code taskId}, the task itself or an instance of it (mapping). */
        void dispatch(String taskId, TaskSpec spec, int attempt) {
            Set<String> secrets = SecretReferences.names(spec.config());
            TaskConfigRenderer.Rendered rendered = renderer.render(spec.config(),
                    templateContext(taskId, attempt, secrets));
            if (!rendered.ok()) {
                // A template that cannot be resolved fails the same way every time: not worth a retry.
                // No TaskDispatched: the loop hands every TaskDispatched to executors, who would run the raw config.
                emit(new TaskFailed(run.pipelineId(), run.runId(), taskId, attempt, rendered.error(), null, now));
                emit(new TaskFailedFinally(run.pipelineId(), run.runId(), taskId, attempt, rendered.error()));
                return;
            }
            TaskState task = run.tasks().get(taskId);
            if (Sensors.decidedByScheduler(spec.type())) {
                Sensors.waitForTime(run, task, spec, rendered.config(), attempt, now).forEach(this::emit);
                return;
            }
            emit(new TaskDispatched(run.pipelineId(), run.runId(), taskId, attempt, spec.type(), spec.queue(),
                    Sensors.dispatchConfig(spec, rendered.config(), run), spec.timeout().toMillis(), now,
                    Sensors.nextPoke(spec, task), List.copyOf(secrets)));
        }

        private Map<String, Object> templateContext(String taskId, int attempt, Set<String> secrets) {
            Map<String, Object> ctx = new LinkedHashMap<>();
            if (!secrets.isEmpty()) {
                ctx.put("secrets", SecretReferences.placeholders(secrets)); // filled in by the executor
            }
            ctx.put("params", run.parameters());
            ctx.put("tasks", TaskMapping.upstreamTasks(run));
            ctx.put("run", runContext(run));
            ctx.put("attempt", attempt);
            Map<String, Object> map = TaskMapping.mapValues(run, taskId);
            if (map != null) {
                ctx.put("map", map);
            }
            return ctx;
        }

        /** Dispatches a ready task, or, for a mapped task, evaluates its list and dispatches one instance each. */
        void dispatchOrExpand(TaskSpec spec) {
            if (spec.options().mapOver() == null) {
                limit(spec.id(), spec, run.tasks().get(spec.id()).attempt() + 1); // 1, or the next after a clear
                return;
            }
            TaskMapping.Outcome outcome = TaskMapping.evaluate(spec, run);
            if (outcome instanceof TaskMapping.Skip skip) {
                emit(new SchedulerEvent.TaskSkipped(run.pipelineId(), run.runId(), spec.id(), skip.reason()));
            } else if (outcome instanceof TaskMapping.Fail fail) {
                emit(new TaskFailedFinally(run.pipelineId(), run.runId(), spec.id(), 0, fail.reason()));
            } else if (outcome instanceof TaskMapping.Expand expand) {
                emit(new SchedulerEvent.TaskExpanded(run.pipelineId(), run.runId(), spec.id(), expand.items()));
                for (int i = 0; i < expand.items().size(); i++) {
                    dispatch(TaskInstances.instanceId(spec.id(), i), spec, 1);
                }
                finishIfMapped(spec.id());
            }
        }

        /** A mapped task finishes when its last instance has: FAILED if any instance failed, else SUCCEEDED. */
        void finishIfMapped(String taskId) {
            List<String> failed = TaskMapping.failedInstancesIfDone(run, taskId);
            if (failed == null) {
                return;
            }
            if (failed.isEmpty()) {
                emit(new TaskSucceeded(run.pipelineId(), run.runId(), taskId, 0, Map.of(), now));
            } else {
                emit(new TaskFailedFinally(run.pipelineId(), run.runId(), taskId, 0, failed.size() + " of "
                        + run.tasks().get(taskId).mapItems().size() + " mapped instance(s) failed: "
                        + String.join(", ", failed)));
            }
        }

        /**
         * Judges every waiting task by its trigger rule ({@link TriggerRules}), in dependency order so that a skip or
         * an upstream failure travels down the whole graph in one pass; starts what may run; and finishes the run
         * when every task is final.
         */
        void settle() {
            for (String taskId : revision.topologicalOrder()) {
                TaskState task = run.tasks().get(taskId);
                if (task.status() == TaskStatus.MAPPED) {
                    finishIfMapped(taskId);
                    continue;
                }
                if (task.status() != TaskStatus.PENDING) {
                    continue;
                }
                TaskSpec spec = revision.spec().task(taskId).orElseThrow();
                Map<String, TaskStatus> upstream = new LinkedHashMap<>();
                spec.dependsOn().forEach(d -> upstream.put(d, run.tasks().get(d).status()));
                TriggerRule rule = spec.options().triggerRule();
                switch (TriggerRules.judge(rule, upstream.values())) {
                    case RUN -> ready(spec);
                    case SKIP -> emit(new TaskSkipped(run.pipelineId(), run.runId(), taskId,
                            TriggerRules.skipReason(rule, upstream)));
                    case UPSTREAM_FAILED -> emit(new TaskUpstreamFailed(run.pipelineId(), run.runId(), taskId,
                            TriggerRules.failedUpstream(upstream)));
                    case WAIT -> {
                        // an upstream task is still to finish
                    }
                }
            }
            admit();
            if (run.status() == RunStatus.RUNNING && run.allTasksFinished()) {
                RunOutcome outcome = RunOutcome.of(run, revision);
                emit(new RunFinished(run.pipelineId(), run.runId(), outcome.status(), outcome.reason(), now));
            }
        }

        /**
         * A task whose trigger rule is met, before its first attempt: its {@code when} condition decides whether it
         * runs at all. (The hook for whatever may hold a ready task back or expand it.)
         */
        void ready(TaskSpec spec) {
            String when = spec.options().when();
            if (when != null) {
                WhenCondition.Result result = WhenCondition.evaluate(when, whenContext(spec));
                if (result instanceof WhenCondition.Result.False f) {
                    emit(new TaskSkipped(run.pipelineId(), run.runId(), spec.id(), f.reason()));
                    return;
                }
                if (result instanceof WhenCondition.Result.Error e) {
                    // Same inputs, same error: a retry could not help, so the task fails for good at once. No
                    // TaskDispatched, as for a template that cannot be rendered.
                    int attempt = run.tasks().get(spec.id()).attempt() + 1;
                    emit(new TaskFailed(run.pipelineId(), run.runId(), spec.id(), attempt, e.message(), null, now));
                    emit(new TaskFailedFinally(run.pipelineId(), run.runId(), spec.id(), attempt, e.message()));
                    return;
                }
            }
            dispatchOrExpand(spec);
        }

        /** What a {@code when} condition sees: parameters, outputs of upstream tasks that succeeded, the run. */
        private Map<String, Object> whenContext(TaskSpec spec) {
            Map<String, Object> tasks = new LinkedHashMap<>();
            for (String id : WhenCondition.upstreamOf(spec.id(), revision.spec())) {
                TaskState t = run.tasks().get(id);
                if (t.status() == TaskStatus.SUCCEEDED) {
                    tasks.put(id, Map.of("outputs", t.outputs()));
                }
            }
            Map<String, Object> ctx = new LinkedHashMap<>();
            ctx.put("params", run.parameters());
            ctx.put("tasks", tasks);
            ctx.put("run", Map.of("id", run.runId(), "pipeline", run.pipelineId()));
            return ctx;
        }
    }
}
