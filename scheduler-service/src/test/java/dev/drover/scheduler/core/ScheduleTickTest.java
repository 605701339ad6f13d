package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerCommand.FireSchedule;
import dev.drover.scheduler.core.SchedulerEvent.PipelineRegistered;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.core.SchedulerEvent.ScheduledRunSkipped;
import dev.drover.scheduler.pipeline.PipelineOptions;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.Schedule;
import dev.drover.scheduler.schedule.DataInterval;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.USER;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.optional;
import static dev.drover.scheduler.core.SchedulerFixtures.parameters;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.required;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The schedule's ticks: deterministic run ids, repeated ticks, catch-up, start/end dates and DST, as decisions. */
class ScheduleTickTest {

    static Instant t(String iso) {
        return Instant.parse(iso);
    }

    static PipelineSpec scheduled(Schedule schedule) {
        return pipeline(task("a")).withOptions(PipelineOptions.DEFAULTS.withSchedule(schedule));
    }

    static Schedule daily(String zone) {
        return new Schedule("@daily", zone, null, null, false, 50);
    }

    static PipelineRegistered registeredAt(PipelineSpec spec, Instant at) {
        return new PipelineRegistered(PIPELINE, 1, spec, "hash-1", USER, at);
    }

    static FireSchedule fire(Instant dueAt) {
        return new FireSchedule("timer:schedule:" + PIPELINE + ":" + dueAt.toEpochMilli(), PIPELINE, dueAt);
    }

    static RunStarted scheduledRun(String runId, Instant start, Instant end, Instant at) {
        return new RunStarted(PIPELINE, runId, 1, Map.of(), "schedule", "scheduler", at, new DataInterval(start, end),
                null);
    }

    static Instant due(SchedulerState state) {
        return DueTimer.ofPipeline(state, PIPELINE).orElseThrow().dueAt();
    }

    @Test
    void aTickStartsTheRunOfTheIntervalThatEndedWithADeterministicId() {
        Instant reg = t("2026-11-22T10:30:00Z");
        SchedulerScenario s = given(registeredAt(scheduled(daily("UTC")), reg));
        // the first interval is the one in progress at registration; it runs when it ends
        SchedulerState before = new SchedulerState();
        before.apply(registeredAt(scheduled(daily("UTC")), reg));
        assertThat(due(before)).isEqualTo(t("2026-11-23T00:00:00Z"));

        Instant now = t("2026-11-23T00:00:00.040Z");
        s.when(fire(t("2026-11-23T00:00:00Z")), now).then(
                scheduledRun("train.2026-11-22T00-00Z", t("2026-11-22T00:00:00Z"), t("2026-11-23T00:00:00Z"), now),
                dispatched("train.2026-11-22T00-00Z", "a", 1, now));
        assertThat(due(s.stateAfter())).isEqualTo(t("2026-11-24T00:00:00Z"));
    }

    @Test
    void aRepeatedTickStartsNothingAndSaysNothing() {
        Instant now = t("2026-11-23T00:00:01Z");
        given(registeredAt(scheduled(daily("UTC")), t("2026-11-22T10:30:00Z")),
                scheduledRun("train.2026-11-22T00-00Z", t("2026-11-22T00:00:00Z"), t("2026-11-23T00:00:00Z"), now))
                .when(fire(t("2026-11-23T00:00:00Z")), now.plusSeconds(5))
                .thenNothing();
    }

    @Test
    void anIntervalWhoseRunAlreadyExistsIsRecordedNotDuplicated() {
        Instant now = t("2026-11-23T00:00:01Z");
        RunStarted byBackfill = new RunStarted(PIPELINE, "train.2026-11-22T00-00Z", 1, Map.of(), "backfill", USER,
                t("2026-11-20T00:00:00Z"), new DataInterval(t("2026-11-22T00:00:00Z"), t("2026-11-23T00:00:00Z")),
                "train.backfill-1");
        given(registeredAt(scheduled(daily("UTC")), t("2026-11-22T10:30:00Z")), byBackfill)
                .when(fire(t("2026-11-23T00:00:00Z")), now)
                .then(new ScheduledRunSkipped(PIPELINE, "train.2026-11-22T00-00Z",
                        new DataInterval(t("2026-11-22T00:00:00Z"), t("2026-11-23T00:00:00Z")),
                        "run train.2026-11-22T00-00Z already exists", now));
    }

    @Test
    void withoutCatchUpOnlyTheLatestMissedIntervalRuns() {
        Instant now = t("2026-11-27T09:00:00Z"); // the scheduler was down for four days
        SchedulerScenario s = given(registeredAt(scheduled(daily("UTC")), t("2026-11-22T10:30:00Z")))
                .when(fire(t("2026-11-23T00:00:00Z")), now);
        assertThat(s.events()).filteredOn(RunStarted.class::isInstance).extracting(e -> ((RunStarted) e).runId())
                .containsExactly("train.2026-11-26T00-00Z");
        assertThat(due(s.stateAfter())).isEqualTo(t("2026-11-28T00:00:00Z"));
    }

    @Test
    void withCatchUpMissedIntervalsRunInOrderUpToTheLimit() {
        Schedule catchup = new Schedule("@daily", "UTC", t("2026-11-01T00:00:00Z"), null, true, 3);
        Instant now = t("2026-11-06T09:00:00Z");
        SchedulerScenario s = given(registeredAt(scheduled(catchup), t("2026-11-01T12:00:00Z")))
                .when(fire(t("2026-11-02T00:00:00Z")), now);
        // five intervals ended (Nov 1..5); the newest three run, oldest first
        assertThat(s.events()).filteredOn(RunStarted.class::isInstance).extracting(e -> ((RunStarted) e).runId())
                .containsExactly("train.2026-11-03T00-00Z", "train.2026-11-04T00-00Z", "train.2026-11-05T00-00Z");
        assertThat(due(s.stateAfter())).isEqualTo(t("2026-11-07T00:00:00Z"));
    }

    @Test
    void withCatchUpAndAStartDateInThePastEveryIntervalFromItRuns() {
        Schedule catchup = new Schedule("0 6 * * *", "UTC", t("2026-11-01T00:00:00Z"), t("2026-11-03T23:00:00Z"),
                true, 50);
        Instant now = t("2026-11-10T00:00:00Z");
        SchedulerScenario s = given(registeredAt(scheduled(catchup), t("2026-11-09T00:00:00Z")))
                .when(fire(t("2026-11-02T06:00:00Z")), now);
        // intervals start Nov 1, 2, 3 at 06:00 (none starts after the end date)
        assertThat(s.events()).filteredOn(RunStarted.class::isInstance).extracting(e -> ((RunStarted) e).runId())
                .containsExactly("train.2026-11-01T06-00Z", "train.2026-11-02T06-00Z", "train.2026-11-03T06-00Z");
        assertThat(DueTimer.ofPipeline(s.stateAfter(), PIPELINE)).as("past the end date: no more ticks").isEmpty();
    }

    @Test
    void aStartDateInTheFutureHoldsTheFirstTick() {
        Schedule later = new Schedule("@hourly", "UTC", t("2027-01-01T00:00:00Z"), null, false, 50);
        SchedulerState state = new SchedulerState();
        state.apply(registeredAt(scheduled(later), t("2026-11-22T10:30:00Z")));
        assertThat(due(state)).isEqualTo(t("2027-01-01T01:00:00Z"));
        given(registeredAt(scheduled(later), t("2026-11-22T10:30:00Z")))
                .when(fire(t("2026-11-22T11:00:00Z")), t("2026-11-22T11:00:00Z")).thenNothing();
    }

    @Test
    void scheduledRunsOfAPipelineWithRequiredParametersAreSkippedWithTheReason() {
        PipelineSpec spec = pipeline(parameters("dataset", required(dev.drover.scheduler.pipeline.ParameterType.STRING),
                "epochs", optional(dev.drover.scheduler.pipeline.ParameterType.INTEGER, 3L)), task("a"))
                .withOptions(PipelineOptions.DEFAULTS.withSchedule(daily("UTC")));
        Instant now = t("2026-11-23T00:00:00Z");
        SchedulerScenario s = given(registeredAt(spec, t("2026-11-22T10:30:00Z"))).when(fire(now), now);
        assertThat(s.events()).singleElement().isInstanceOf(ScheduledRunSkipped.class);
        assertThat(((ScheduledRunSkipped) s.events().get(0)).reason()).contains("dataset", "give every parameter a default");
    }

    // ---- daylight-saving time, through the decider --------------------------------------------------------

    /** Fires every tick from registration to {@code until}, as the loop would, and returns the run ids started. */
    static List<String> runsUntil(Schedule schedule, Instant registered, Instant until) {
        SchedulerDecider decider = new SchedulerDecider(SchedulerSettings.defaults());
        SchedulerState state = new SchedulerState();
        state.apply(registeredAt(scheduled(schedule), registered));
        List<String> runs = new java.util.ArrayList<>();
        for (Instant due = due(state); !due.isAfter(until); due = due(state)) {
            List<SchedulerEvent> events = decider.decide(state, fire(due), due).events();
            events.forEach(state::apply);
            for (SchedulerEvent e : events) {
                if (e instanceof RunStarted r) {
                    runs.add(r.runId() + "@" + r.at());
                    // finish it, so that runs never pile up
                    state.apply(new SchedulerEvent.RunFinished(PIPELINE, r.runId(), RunStatus.SUCCEEDED, "ok", due));
                }
            }
        }
        return runs;
    }

    @Test
    void berlinSpringForwardDailyAt0230RunsOnceAt0330Cest() {
        List<String> runs = runsUntil(new Schedule("30 2 * * *", "Europe/Berlin", null, null, false, 50),
                t("2026-03-27T12:00:00Z"), t("2026-03-30T12:00:00Z"));
        assertThat(runs).containsExactly(
                "train.2026-03-27T01-30Z@2026-03-28T01:30:00Z",  // 02:30 CET
                "train.2026-03-28T01-30Z@2026-03-29T01:30:00Z",  // 02:30 does not exist: 03:30 CEST
                "train.2026-03-29T01-30Z@2026-03-30T00:30:00Z"); // 02:30 CEST
    }

    @Test
    void newYorkFallBackHourlyRunsEveryRealHourWithDistinctIds() {
        List<String> runs = runsUntil(new Schedule("@hourly", "America/New_York", null, null, false, 50),
                t("2026-11-01T04:30:00Z"), t("2026-11-01T07:00:00Z"));
        // 00:00 EDT, 01:00 EDT, 01:00 EST (the repeated hour), 02:00 EST: hour-long intervals, no doubles
        assertThat(runs).containsExactly(
                "train.2026-11-01T04-00Z@2026-11-01T05:00:00Z",
                "train.2026-11-01T05-00Z@2026-11-01T06:00:00Z",
                "train.2026-11-01T06-00Z@2026-11-01T07:00:00Z");
    }

    @Test
    void berlinFallBackDailyRunsOnceAndNewYorkSpringForwardHourlySkipsTheMissingHour() {
        assertThat(runsUntil(new Schedule("30 2 * * *", "Europe/Berlin", null, null, false, 50),
                t("2026-10-24T12:00:00Z"), t("2026-10-26T12:00:00Z"))).containsExactly(
                "train.2026-10-24T00-30Z@2026-10-25T00:30:00Z", // 02:30 CEST, the first 02:30 of the day
                "train.2026-10-25T00-30Z@2026-10-26T01:30:00Z"); // 02:30 CET, 25 hours later
        assertThat(runsUntil(new Schedule("@hourly", "America/New_York", null, null, false, 50),
                t("2026-03-08T05:30:00Z"), t("2026-03-08T08:00:00Z"))).containsExactly(
                "train.2026-03-08T05-00Z@2026-03-08T06:00:00Z", // [00:00, 01:00) EST
                "train.2026-03-08T06-00Z@2026-03-08T07:00:00Z", // [01:00 EST, 03:00 EDT): one real hour
                "train.2026-03-08T07-00Z@2026-03-08T08:00:00Z");
    }

    @Test
    void templatesSeeTheLogicalDateAndDataInterval() {
        PipelineSpec spec = pipeline(SchedulerFixtures.withConfig(task("a"), Map.of("command",
                "train --day {{ run.logicalDate }} --until {{ run.dataIntervalEnd }}")))
                .withOptions(PipelineOptions.DEFAULTS.withSchedule(daily("UTC")));
        Instant now = t("2026-11-23T00:00:00Z");
        SchedulerScenario s = given(registeredAt(spec, t("2026-11-22T10:30:00Z"))).when(fire(now), now);
        assertThat(s.events()).filteredOn(SchedulerEvent.TaskDispatched.class::isInstance).singleElement()
                .extracting(e -> ((SchedulerEvent.TaskDispatched) e).config().get("command"))
                .isEqualTo("train --day 2026-11-22T00:00:00Z --until 2026-11-23T00:00:00Z");
    }
}
