package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerCommand.CancelBackfill;
import dev.drover.scheduler.core.SchedulerCommand.RequestBackfill;
import dev.drover.scheduler.core.SchedulerEvent.BackfillFinished;
import dev.drover.scheduler.core.SchedulerEvent.BackfillIntervalSkipped;
import dev.drover.scheduler.core.SchedulerEvent.BackfillRequested;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.pipeline.PipelineOptions;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.schedule.DataInterval;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.drover.scheduler.core.ScheduleTickTest.daily;
import static dev.drover.scheduler.core.ScheduleTickTest.registeredAt;
import static dev.drover.scheduler.core.ScheduleTickTest.scheduled;
import static dev.drover.scheduler.core.ScheduleTickTest.t;
import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.USER;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Backfills: intervals in order, concurrency, existing runs skipped, completion, cancel, and a whole run of one. */
class BackfillTest {
    static final Instant REG = t("2026-01-01T00:00:00Z");
    static final Instant NOW = t("2026-11-23T12:00:00Z");
    static final String BF = "train.backfill-1";

    static RequestBackfill backfill(String start, String end, int concurrency) {
        return new RequestBackfill("bf-" + start, PIPELINE, t(start), t(end), concurrency, Map.of(), USER);
    }

    static BackfillRequested requested(String start, String end, int concurrency, int intervals) {
        return new BackfillRequested(PIPELINE, BF, t(start), t(end), concurrency, Map.of(), 1, t(start), intervals,
                USER, NOW);
    }

    static RunStarted run(String day, Instant at) {
        Instant start = t(day + "T00:00:00Z");
        return new RunStarted(PIPELINE, "train." + day + "T00-00Z", 1, Map.of(), "backfill", USER, at,
                new DataInterval(start, start.plusSeconds(86_400)), BF);
    }

    @Test
    void aBackfillStartsItsFirstIntervalsUpToItsConcurrency() {
        given(registeredAt(scheduled(daily("UTC")), REG))
                .when(backfill("2026-10-01T00:00:00Z", "2026-10-05T00:00:00Z", 2), NOW)
                .then(requested("2026-10-01T00:00:00Z", "2026-10-05T00:00:00Z", 2, 4),
                        run("2026-10-01", NOW), dispatched("train.2026-10-01T00-00Z", "a", 1, NOW),
                        run("2026-10-02", NOW), dispatched("train.2026-10-02T00-00Z", "a", 1, NOW));
    }

    @Test
    void anIntervalThatAlreadyHasARunIsSkippedAndReported() {
        RunStarted scheduledBefore = new RunStarted(PIPELINE, "train.2026-10-01T00-00Z", 1, Map.of(), "schedule",
                "scheduler", t("2026-10-02T00:00:00Z"),
                new DataInterval(t("2026-10-01T00:00:00Z"), t("2026-10-02T00:00:00Z")), null);
        given(registeredAt(scheduled(daily("UTC")), REG), scheduledBefore,
                dispatched(scheduledBefore.runId(), "a", 1, scheduledBefore.at()))
                .when(backfill("2026-10-01T00:00:00Z", "2026-10-03T00:00:00Z", 1), NOW)
                .then(requested("2026-10-01T00:00:00Z", "2026-10-03T00:00:00Z", 1, 2),
                        new BackfillIntervalSkipped(PIPELINE, BF, "train.2026-10-01T00-00Z",
                                new DataInterval(t("2026-10-01T00:00:00Z"), t("2026-10-02T00:00:00Z")),
                                "run train.2026-10-01T00-00Z already exists"),
                        run("2026-10-02", NOW), dispatched("train.2026-10-02T00-00Z", "a", 1, NOW));
    }

    @Test
    void badRequestsSayWhatToFix() {
        given(registered(pipeline(task("a"))))
                .when(backfill("2026-10-01T00:00:00Z", "2026-10-05T00:00:00Z", 2), NOW)
                .thenRejected(RejectionCode.INVALID_BACKFILL).rejection().message().contains("schedule");
        given(registeredAt(scheduled(daily("UTC")), REG))
                .when(backfill("2026-10-05T00:00:00Z", "2026-10-01T00:00:00Z", 2), NOW)
                .thenRejected(RejectionCode.INVALID_BACKFILL);
        given(registeredAt(scheduled(daily("UTC")), REG))
                .when(backfill("2026-10-01T01:00:00Z", "2026-10-01T02:00:00Z", 2), NOW)
                .thenRejected(RejectionCode.INVALID_BACKFILL);
        given(registeredAt(scheduled(daily("UTC")), REG))
                .when(backfill("2026-10-01T00:00:00Z", "2026-10-05T00:00:00Z", 0), NOW)
                .thenRejected(RejectionCode.INVALID_BACKFILL);
        given().when(backfill("2026-10-01T00:00:00Z", "2026-10-05T00:00:00Z", 1), NOW)
                .thenRejected(RejectionCode.UNKNOWN_PIPELINE);
    }

    @Test
    void cancelingDropsWhatHasNotStarted() {
        given(registeredAt(scheduled(daily("UTC")), REG), requested("2026-10-01T00:00:00Z", "2026-10-05T00:00:00Z", 1, 4),
                run("2026-10-01", NOW), dispatched("train.2026-10-01T00-00Z", "a", 1, NOW))
                .when(new CancelBackfill("c", PIPELINE, BF, null, USER), NOW.plusSeconds(1))
                .then(new BackfillFinished(PIPELINE, BF, "CANCELED", "canceled by " + USER, NOW.plusSeconds(1)));
        given(registeredAt(scheduled(daily("UTC")), REG))
                .when(new CancelBackfill("c", PIPELINE, BF, null, USER), NOW)
                .thenRejected(RejectionCode.UNKNOWN_BACKFILL);
    }

    /**
     * A 30-day backfill with concurrency 4, driven to its end by finishing the oldest active run each step: every
     * logical date runs exactly once, in order, never more than 4 at once, and the backfill completes.
     */
    @Test
    void thirtyDaysWithConcurrencyFourRunEachDayOnceInOrder() {
        SchedulerDecider decider = new SchedulerDecider(SchedulerSettings.defaults());
        SchedulerState state = new SchedulerState();
        List<SchedulerEvent> log = new ArrayList<>();
        java.util.function.BiConsumer<SchedulerCommand, Instant> decide = (c, at) -> {
            for (SchedulerEvent e : decider.decide(state, c, at).events()) {
                state.apply(e);
                log.add(e);
            }
        };
        PipelineSpec spec = scheduled(daily("UTC"));
        state.apply(registeredAt(spec, REG));
        decide.accept(backfill("2026-10-01T00:00:00Z", "2026-10-31T00:00:00Z", 4), NOW);
        int maxActive = 0;
        for (int step = 1; step < 100 && !state.activeRuns().isEmpty(); step++) {
            maxActive = Math.max(maxActive, state.activeRuns().size());
            RunState oldest = state.activeRuns().stream().min(java.util.Comparator.comparing(RunState::runId))
                    .orElseThrow();
            Instant at = NOW.plusSeconds(step);
            decide.accept(SchedulerFixtures.reportStarted(oldest.runId(), "a", 1, "e"), at);
            decide.accept(SchedulerFixtures.reportSucceeded(oldest.runId(), "a", 1, "e"), at);
        }
        List<String> started = log.stream().filter(RunStarted.class::isInstance).map(e -> ((RunStarted) e).runId())
                .toList();
        assertThat(started).hasSize(30).doesNotHaveDuplicates().isSorted();
        assertThat(started.get(0)).isEqualTo("train.2026-10-01T00-00Z");
        assertThat(started.get(29)).isEqualTo("train.2026-10-30T00-00Z");
        assertThat(maxActive).isEqualTo(4);
        Set<String> finished = new HashSet<>();
        log.stream().filter(RunFinished.class::isInstance).forEach(e -> finished.add(((RunFinished) e).runId()));
        assertThat(finished).hasSize(30);
        assertThat(log).last().isEqualTo(new BackfillFinished(PIPELINE, BF, "COMPLETED",
                "all 30 intervals started or skipped, and their runs finished", NOW.plusSeconds(30)));
        assertThat(state.scheduling(PIPELINE).backfills()).isEmpty();
        // and the log folds to the same state
        SchedulerState replayed = new SchedulerState();
        replayed.apply(registeredAt(spec, REG));
        log.forEach(replayed::apply);
        assertThat(StateView.of(replayed)).isEqualTo(StateView.of(state));
    }

    @Test
    void aPausedPipelineHoldsItsBackfillUntilResumed() {
        SchedulerScenario s = given(registeredAt(scheduled(daily("UTC")), REG),
                new SchedulerEvent.PipelinePaused(PIPELINE, null, USER, NOW))
                .when(backfill("2026-10-01T00:00:00Z", "2026-10-05T00:00:00Z", 2), NOW);
        assertThat(s.events()).singleElement().isInstanceOf(BackfillRequested.class);
        given(registeredAt(scheduled(daily("UTC")), REG), new SchedulerEvent.PipelinePaused(PIPELINE, null, USER, NOW),
                requested("2026-10-01T00:00:00Z", "2026-10-05T00:00:00Z", 2, 4))
                .when(PauseAndQueueTest.resume(), NOW.plusSeconds(1))
                .then(new SchedulerEvent.PipelineResumed(PIPELINE, USER, NOW.plusSeconds(1)),
                        run("2026-10-01", NOW.plusSeconds(1)),
                        dispatched("train.2026-10-01T00-00Z", "a", 1, NOW.plusSeconds(1)),
                        run("2026-10-02", NOW.plusSeconds(1)),
                        dispatched("train.2026-10-02T00-00Z", "a", 1, NOW.plusSeconds(1)));
    }
}
