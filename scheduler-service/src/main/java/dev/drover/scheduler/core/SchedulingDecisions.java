package dev.drover.scheduler.core;

import dev.drover.scheduler.core.PipelineScheduling.Backfill;
import dev.drover.scheduler.core.SchedulerCommand.CancelBackfill;
import dev.drover.scheduler.core.SchedulerCommand.FireSchedule;
import dev.drover.scheduler.core.SchedulerCommand.PausePipeline;
import dev.drover.scheduler.core.SchedulerCommand.RequestBackfill;
import dev.drover.scheduler.core.SchedulerCommand.ResumePipeline;
import dev.drover.scheduler.core.SchedulerEvent.BackfillFinished;
import dev.drover.scheduler.core.SchedulerEvent.BackfillIntervalSkipped;
import dev.drover.scheduler.core.SchedulerEvent.BackfillRequested;
import dev.drover.scheduler.core.SchedulerEvent.PipelinePaused;
import dev.drover.scheduler.core.SchedulerEvent.PipelineRegistered;
import dev.drover.scheduler.core.SchedulerEvent.PipelineResumed;
import dev.drover.scheduler.core.SchedulerEvent.RunQueued;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.core.SchedulerEvent.ScheduledRunSkipped;
import dev.drover.scheduler.pipeline.ParameterBinding;
import dev.drover.scheduler.pipeline.Schedule;
import dev.drover.scheduler.schedule.CronCalendar;
import dev.drover.scheduler.schedule.DataInterval;
import dev.drover.scheduler.schedule.ScheduleClock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The decisions of clock- and limit-driven scheduling (see {@code docs/scheduling.md}): schedule ticks, pause and
 * resume, backfills, and — after any decision — starting queued runs and backfill intervals that now have a slot.
 *
 * <p>Pure like {@link SchedulerDecider}, which it is part of: it works on a private copy of the pipeline's
 * {@link PipelineScheduling}, evolved by the same {@code apply} as the real state.
 */
final class SchedulingDecisions {
    /** Most intervals a backfill may hold. */
    static final int MAX_BACKFILL_INTERVALS = 100_000;
    static final int MAX_BACKFILL_CONCURRENCY = 1_000;
    /** Who the schedule's runs are requested by. */
    static final String SCHEDULER = "scheduler";

    private final SchedulerDecider decider;

    SchedulingDecisions(SchedulerDecider decider) {
        this.decider = decider;
    }

    Decision decide(SchedulerState state, SchedulerCommand command, Instant now) {
        if (command instanceof FireSchedule c) {
            return fire(state, c, now);
        } else if (command instanceof PausePipeline c) {
            return pause(state, c, now);
        } else if (command instanceof ResumePipeline c) {
            return resume(state, c, now);
        } else if (command instanceof RequestBackfill c) {
            return backfill(state, c, now);
        } else if (command instanceof CancelBackfill c) {
            return cancelBackfill(state, c, now);
        }
        throw new IllegalArgumentException("no scheduling decision for " + command.getClass().getSimpleName());
    }

    /** Why a new run of the pipeline must wait in the queue, or empty if it can start now. */
    static Optional<String> mustWait(PipelineScheduling s, PipelineRevision latest) {
        if (s.paused) {
            return Optional.of("pipeline is paused");
        }
        if (!s.queue.isEmpty()) {
            return Optional.of("earlier runs are queued");
        }
        Integer max = latest.spec().options().maxActiveRuns();
        if (max != null && s.activeRunIds.size() >= max) {
            return Optional.of(s.activeRunIds.size() + " runs active (maxActiveRuns " + max + ")");
        }
        return Optional.empty();
    }

    // ---- the schedule's ticks -------------------------------------------------------------------------------

    /** When the pipeline's schedule began; the latest revision's registration if unknown (an older snapshot). */
    static Instant since(PipelineScheduling s, PipelineState p) {
        return s.scheduledSince != null ? s.scheduledSince : p.latest().registeredAt();
    }

    private Decision fire(SchedulerState state, FireSchedule c, Instant now) {
        Optional<PipelineState> pipeline = state.pipelineState(c.pipelineId());
        if (pipeline.isEmpty() || pipeline.get().latest().spec().options().schedule() == null) {
            return Decision.nothing();
        }
        PipelineState p = pipeline.get();
        PipelineRevision revision = p.latest();
        Schedule schedule = revision.spec().options().schedule();
        PipelineScheduling before = state.scheduling(c.pipelineId());
        int limit = !before.paused && schedule.catchup() ? schedule.maxCatchupRuns() : 1;
        ScheduleClock.Due due = ScheduleClock.due(schedule, before.cursor, since(before, p), now, limit);
        if (due.intervals().isEmpty()) {
            return Decision.nothing(); // a repeated or stale tick: the intervals it was for are handled
        }
        Plan plan = new Plan(state, c.pipelineId(), before, List.of());
        for (DataInterval interval : due.intervals()) {
            String runId = ScheduleClock.runId(c.pipelineId(), interval.start());
            if (plan.s.paused) {
                plan.emit(new ScheduledRunSkipped(c.pipelineId(), runId, interval, "pipeline paused"
                        + (plan.s.pausedBy == null ? "" : " by " + plan.s.pausedBy)
                        + (due.olderLeftOut() ? " (earlier intervals missed while the scheduler was down were not "
                        + "run either)" : ""), now));
                continue;
            }
            if (plan.taken(runId)) {
                plan.emit(new ScheduledRunSkipped(c.pipelineId(), runId, interval, "run " + runId
                        + " already exists", now));
                continue;
            }
            ParameterBinding.BindResult bound = ParameterBinding.bind(revision.spec(), Map.of());
            if (!bound.ok()) {
                plan.emit(new ScheduledRunSkipped(c.pipelineId(), runId, interval, "parameters without defaults: "
                        + bound.problems().stream().map(pr -> pr.path() + ": " + pr.message())
                        .collect(Collectors.joining("; ")) + "; give every parameter a default to schedule the "
                        + "pipeline", now));
                continue;
            }
            Optional<String> wait = mustWait(plan.s, revision);
            if (wait.isPresent()) {
                plan.emit(new RunQueued(c.pipelineId(), runId, revision.revision(), bound.parameters(),
                        PipelineScheduling.SCHEDULE, SCHEDULER, interval, wait.get(), now));
            } else {
                plan.start(new RunStarted(c.pipelineId(), runId, revision.revision(), bound.parameters(),
                        PipelineScheduling.SCHEDULE, SCHEDULER, now, interval, null), revision, now);
            }
        }
        return Decision.of(plan.out);
    }

    // ---- pause and resume -----------------------------------------------------------------------------------

    private Decision pause(SchedulerState state, PausePipeline c, Instant now) {
        if (state.pipelineState(c.pipelineId()).isEmpty()) {
            return unknown(c);
        }
        PipelineScheduling s = state.scheduling(c.pipelineId());
        if (s.paused) {
            return Decision.reject(c, RejectionCode.ALREADY_IN_STATE, "pipeline " + c.pipelineId()
                    + " is already paused (by " + s.pausedBy + " at " + s.pausedAt + "); resume it with POST "
                    + "/api/v1/pipelines/" + c.pipelineId() + "/resume");
        }
        return Decision.of(List.of(new PipelinePaused(c.pipelineId(), c.reason(), c.requestedBy(), now)));
    }

    private Decision resume(SchedulerState state, ResumePipeline c, Instant now) {
        if (state.pipelineState(c.pipelineId()).isEmpty()) {
            return unknown(c);
        }
        if (!state.scheduling(c.pipelineId()).paused) {
            return Decision.reject(c, RejectionCode.ALREADY_IN_STATE, "pipeline " + c.pipelineId()
                    + " is not paused; nothing to resume");
        }
        return Decision.of(List.of(new PipelineResumed(c.pipelineId(), c.requestedBy(), now)));
    }

    private static Decision unknown(SchedulerCommand c) {
        return Decision.reject(c, RejectionCode.UNKNOWN_PIPELINE, "pipeline " + c.pipelineId()
                + " is not registered; register it first (POST /api/v1/pipelines)");
    }

    // ---- backfills ------------------------------------------------------------------------------------------

    private Decision backfill(SchedulerState state, RequestBackfill c, Instant now) {
        Optional<PipelineState> pipeline = state.pipelineState(c.pipelineId());
        if (pipeline.isEmpty()) {
            return unknown(c);
        }
        PipelineRevision revision = pipeline.get().latest();
        Schedule schedule = revision.spec().options().schedule();
        if (schedule == null) {
            return Decision.reject(c, RejectionCode.INVALID_BACKFILL, "pipeline " + c.pipelineId() + " has no "
                    + "schedule: a backfill runs the schedule's data intervals; add `schedule:` (e.g. schedule: "
                    + "\"@daily\") to the pipeline and register it again");
        }
        if (c.start() == null || c.end() == null || !c.start().isBefore(c.end())) {
            return Decision.reject(c, RejectionCode.INVALID_BACKFILL, "a backfill needs start before end (logical "
                    + "dates in [start, end) are run), got start " + c.start() + " and end " + c.end());
        }
        if (c.maxConcurrency() < 1 || c.maxConcurrency() > MAX_BACKFILL_CONCURRENCY) {
            return Decision.reject(c, RejectionCode.INVALID_BACKFILL, "maxConcurrency must be from 1 to "
                    + MAX_BACKFILL_CONCURRENCY + ", got " + c.maxConcurrency());
        }
        ParameterBinding.BindResult bound = ParameterBinding.bind(revision.spec(),
                c.parameters() == null ? Map.of() : c.parameters());
        if (!bound.ok()) {
            return Decision.reject(c, RejectionCode.INVALID_PARAMETERS, bound.problems().stream()
                    .map(p -> p.path() + ": " + p.message()).collect(Collectors.joining("; ")));
        }
        CronCalendar calendar = ScheduleClock.calendar(schedule);
        Instant first = calendar.nextOrSame(c.start());
        int intervals = 0;
        for (Instant t = first; t != null && t.isBefore(c.end()); t = calendar.next(t)) {
            if (++intervals > MAX_BACKFILL_INTERVALS) {
                return Decision.reject(c, RejectionCode.INVALID_BACKFILL, "the range holds more than "
                        + MAX_BACKFILL_INTERVALS + " intervals of `" + schedule.cron() + "`; split it into "
                        + "several backfills");
            }
        }
        if (intervals == 0) {
            return Decision.reject(c, RejectionCode.INVALID_BACKFILL, "no interval of `" + schedule.cron() + "` ("
                    + schedule.timezone() + ") has its logical date in [" + c.start() + ", " + c.end()
                    + "); widen the range");
        }
        String backfillId = c.pipelineId() + ".backfill-" + (state.scheduling(c.pipelineId()).backfillsRequested + 1);
        return Decision.of(List.of(new BackfillRequested(c.pipelineId(), backfillId, c.start(), c.end(),
                c.maxConcurrency(), bound.parameters(), revision.revision(), first, intervals, c.requestedBy(), now)));
    }

    private Decision cancelBackfill(SchedulerState state, CancelBackfill c, Instant now) {
        PipelineScheduling s = state.scheduling(c.pipelineId());
        if (!s.backfills.containsKey(c.backfillId())) {
            return Decision.reject(c, RejectionCode.UNKNOWN_BACKFILL, "pipeline " + c.pipelineId()
                    + " has no active backfill " + c.backfillId() + " (it finished, was canceled, or never existed;"
                    + " GET /api/v1/pipelines/" + c.pipelineId() + "/backfills lists them)");
        }
        String reason = c.reason() == null || c.reason().isBlank() ? "canceled by " + c.requestedBy() : c.reason();
        return Decision.of(List.of(new BackfillFinished(c.pipelineId(), c.backfillId(), "CANCELED", reason, now)));
    }

    // ---- after every decision: start what has a slot now ----------------------------------------------------

    /**
     * Adds to {@code decision} the starts that its events make possible: queued runs (in request order) and
     * backfill intervals (in order, within each backfill's concurrency), while the pipeline is not paused and has
     * fewer than {@code maxActiveRuns} active runs; and the end of backfills that have nothing left.
     */
    Decision followUp(SchedulerState state, String pipelineId, Decision decision, Instant now) {
        if (decision.events().isEmpty() || decision.rejection().isPresent()
                || state.pipelineState(pipelineId).isEmpty()) {
            return decision;
        }
        PipelineScheduling before = state.scheduling(pipelineId);
        boolean relevant = !before.queue.isEmpty() || !before.backfills.isEmpty() || decision.events().stream()
                .anyMatch(e -> e instanceof RunQueued || e instanceof BackfillRequested);
        if (!relevant) {
            return decision;
        }
        Plan plan = new Plan(state, pipelineId, before, decision.events());
        while (true) {
            Optional<Backfill> done = plan.s.backfills.values().stream()
                    .filter(b -> b.next == null && b.activeRunIds.isEmpty()).findFirst();
            if (done.isPresent()) {
                BackfillRequested r = done.get().request;
                plan.emit(new BackfillFinished(pipelineId, r.backfillId(), "COMPLETED", "all " + r.intervals()
                        + " intervals started or skipped, and their runs finished", now));
                continue;
            }
            PipelineRevision latest = plan.latest();
            Integer max = latest.spec().options().maxActiveRuns();
            if (plan.s.paused || (max != null && plan.s.activeRunIds.size() >= max)) {
                break;
            }
            if (!plan.s.queue.isEmpty()) {
                RunQueued q = plan.s.queue.values().iterator().next();
                plan.start(new RunStarted(pipelineId, q.runId(), q.revision(), q.parameters(), q.trigger(),
                        q.requestedBy(), now, q.interval(), null), plan.revision(q.revision()), now);
                continue;
            }
            Optional<Backfill> next = plan.s.backfills.values().stream()
                    .filter(b -> b.next != null && b.activeRunIds.size() < b.request.maxConcurrency()).findFirst();
            if (next.isEmpty()) {
                break;
            }
            Backfill b = next.get();
            BackfillRequested r = b.request;
            PipelineRevision revision = plan.revision(r.revision());
            Instant end = ScheduleClock.calendar(revision.spec().options().schedule()).next(b.next);
            DataInterval interval = new DataInterval(b.next, end);
            String runId = ScheduleClock.runId(pipelineId, b.next);
            if (plan.taken(runId)) {
                plan.emit(new BackfillIntervalSkipped(pipelineId, r.backfillId(), runId, interval, "run " + runId
                        + " already exists"));
            } else {
                plan.start(new RunStarted(pipelineId, runId, r.revision(), r.parameters(), PipelineScheduling.BACKFILL,
                        r.requestedBy(), now, interval, r.backfillId()), revision, now);
            }
        }
        return plan.out.size() == decision.events().size() ? decision : Decision.of(plan.out);
    }

    /** Events decided so far for one pipeline, and its scheduling state as they leave it. */
    private final class Plan {
        final SchedulerState state;
        final PipelineState pipeline;
        final PipelineScheduling s;
        final List<SchedulerEvent> out = new ArrayList<>();
        final Set<String> takenNow = new HashSet<>();
        PipelineRevision registeredNow;

        Plan(SchedulerState state, String pipelineId, PipelineScheduling before, List<SchedulerEvent> decided) {
            this.state = state;
            this.pipeline = state.pipelineState(pipelineId).orElseThrow();
            this.s = before.copy();
            decided.forEach(this::emit);
        }

        void emit(SchedulerEvent e) {
            out.add(e);
            s.apply(e);
            if (e instanceof RunStarted r) {
                takenNow.add(r.runId());
            } else if (e instanceof RunQueued q) {
                takenNow.add(q.runId());
            } else if (e instanceof PipelineRegistered r) {
                registeredNow = PipelineRevision.of(r.revision(), r.spec(), r.specHash(), r.at());
            }
        }

        void start(RunStarted started, PipelineRevision revision, Instant now) {
            decider.start(started, revision, now).forEach(this::emit);
        }

        boolean taken(String runId) {
            return pipeline.runIds().contains(runId) || takenNow.contains(runId);
        }

        PipelineRevision latest() {
            return registeredNow != null ? registeredNow : pipeline.latest();
        }

        PipelineRevision revision(int n) {
            if (registeredNow != null && registeredNow.revision() == n) {
                return registeredNow;
            }
            return pipeline.revision(n).orElseThrow(() -> new IllegalStateException("unknown revision " + n));
        }
    }
}
