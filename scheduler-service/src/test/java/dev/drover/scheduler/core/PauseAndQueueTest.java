package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerCommand.PausePipeline;
import dev.drover.scheduler.core.SchedulerCommand.ResumePipeline;
import dev.drover.scheduler.core.SchedulerEvent.PipelinePaused;
import dev.drover.scheduler.core.SchedulerEvent.PipelineResumed;
import dev.drover.scheduler.core.SchedulerEvent.RunQueued;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.core.SchedulerEvent.ScheduledRunSkipped;
import dev.drover.scheduler.pipeline.PipelineOptions;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.schedule.DataInterval;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static dev.drover.scheduler.core.ScheduleTickTest.daily;
import static dev.drover.scheduler.core.ScheduleTickTest.fire;
import static dev.drover.scheduler.core.ScheduleTickTest.registeredAt;
import static dev.drover.scheduler.core.ScheduleTickTest.scheduled;
import static dev.drover.scheduler.core.ScheduleTickTest.scheduledRun;
import static dev.drover.scheduler.core.ScheduleTickTest.t;
import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.USER;
import static dev.drover.scheduler.core.SchedulerFixtures.cancelRun;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.reportStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.requestRun;
import static dev.drover.scheduler.core.SchedulerFixtures.runFinished;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Pause and resume, and {@code maxActiveRuns}: what waits, what is recorded, and the order things start in. */
class PauseAndQueueTest {
    static final PipelineSpec LIMITED = pipeline(task("a"))
            .withOptions(PipelineOptions.DEFAULTS.withMaxActiveRuns(1));

    static PausePipeline pause() {
        return new PausePipeline("pause-1", PIPELINE, "source table is being rebuilt", USER);
    }

    static ResumePipeline resume() {
        return new ResumePipeline("resume-1", PIPELINE, USER);
    }

    static PipelinePaused paused(Instant at) {
        return new PipelinePaused(PIPELINE, "source table is being rebuilt", USER, at);
    }

    @Test
    void pausingRecordsWhoAndWhy() {
        given(registered(pipeline(task("a")))).when(pause(), seconds(1)).then(paused(seconds(1)));
    }

    @Test
    void pausingTwiceOrResumingARunningPipelineIsNoChange() {
        given(registered(pipeline(task("a"))), paused(seconds(1))).when(pause(), seconds(2))
                .thenRejected(RejectionCode.ALREADY_IN_STATE);
        given(registered(pipeline(task("a")))).when(resume(), seconds(2)).thenRejected(RejectionCode.ALREADY_IN_STATE);
        given().when(pause(), seconds(2)).thenRejected(RejectionCode.UNKNOWN_PIPELINE);
    }

    @Test
    void aPausedPipelineRecordsEachTickItSkips() {
        Instant now = t("2026-11-23T00:00:00Z");
        SchedulerScenario s = given(registeredAt(scheduled(daily("UTC")), t("2026-11-22T10:30:00Z")),
                paused(t("2026-11-22T11:00:00Z")))
                .when(fire(now), now)
                .then(new ScheduledRunSkipped(PIPELINE, "train.2026-11-22T00-00Z",
                        new DataInterval(t("2026-11-22T00:00:00Z"), now), "pipeline paused by " + USER, now));
        // the next tick is the next interval: skipped ticks are not caught up on resume
        assertThat(DueTimer.ofPipeline(s.stateAfter(), PIPELINE).orElseThrow().dueAt())
                .isEqualTo(t("2026-11-24T00:00:00Z"));
    }

    @Test
    void aPausedPipelineQueuesOtherRunsAndStartsThemInOrderOnResume() {
        PipelineSpec spec = pipeline(task("a"));
        given(registered(spec), paused(seconds(1)))
                .when(requestRun("train.x"), seconds(2))
                .then(new RunQueued(PIPELINE, "train.x", 1, Map.of(), "manual", USER, null, "pipeline is paused",
                        seconds(2)));
        given(registered(spec), paused(seconds(1)),
                new RunQueued(PIPELINE, "train.x", 1, Map.of(), "manual", USER, null, "pipeline is paused", seconds(2)),
                new RunQueued(PIPELINE, "train.y", 1, Map.of(), "manual", USER, null, "pipeline is paused", seconds(3)))
                .when(resume(), seconds(4))
                .then(new PipelineResumed(PIPELINE, USER, seconds(4)),
                        new RunStarted(PIPELINE, "train.x", 1, Map.of(), "manual", USER, seconds(4)),
                        dispatched("train.x", "a", 1, seconds(4)),
                        new RunStarted(PIPELINE, "train.y", 1, Map.of(), "manual", USER, seconds(4)),
                        dispatched("train.y", "a", 1, seconds(4)));
    }

    @Test
    void aQueuedRunIdIsTaken() {
        given(registered(pipeline(task("a"))), paused(seconds(1)),
                new RunQueued(PIPELINE, "train.x", 1, Map.of(), "manual", USER, null, "pipeline is paused", seconds(2)))
                .when(requestRun("train.x"), seconds(3)).thenRejected(RejectionCode.RUN_EXISTS);
    }

    @Test
    void atMaxActiveRunsARequestIsQueued() {
        given(registered(LIMITED), runStarted("train.1"), dispatched("train.1", "a", 1, T0))
                .when(requestRun(), seconds(1))
                .then(new RunQueued(PIPELINE, "train.2", 1, Map.of(), "manual", USER, null,
                        "1 runs active (maxActiveRuns 1)", seconds(1)));
    }

    @Test
    void whenARunFinishesTheOldestQueuedRunStartsInTheSameDecision() {
        given(registered(LIMITED), runStarted("train.1"), dispatched("train.1", "a", 1, T0),
                started("train.1", "a", 1, EXECUTOR, T0),
                new RunQueued(PIPELINE, "train.2", 1, Map.of(), "manual", USER, null, "full", seconds(1)),
                new RunQueued(PIPELINE, "train.3", 1, Map.of(), "manual", USER, null, "full", seconds(2)))
                .when(reportSucceeded("train.1", "a", 1, EXECUTOR), seconds(10))
                .then(new SchedulerEvent.TaskSucceeded(PIPELINE, "train.1", "a", 1, Map.of(), seconds(10)),
                        runFinished("train.1", RunStatus.SUCCEEDED, "all tasks succeeded", seconds(10)),
                        new RunStarted(PIPELINE, "train.2", 1, Map.of(), "manual", USER, seconds(10)),
                        dispatched("train.2", "a", 1, seconds(10)));
    }

    @Test
    void aCanceledRunFreesItsSlotToo() {
        SchedulerScenario s = given(registered(LIMITED), runStarted("train.1"), dispatched("train.1", "a", 1, T0),
                new RunQueued(PIPELINE, "train.2", 1, Map.of(), "manual", USER, null, "full", seconds(1)))
                .when(cancelRun("train.1", "stop"), seconds(5));
        assertThat(s.events()).filteredOn(RunStarted.class::isInstance).extracting(e -> ((RunStarted) e).runId())
                .containsExactly("train.2");
    }

    @Test
    void newRequestsWaitBehindQueuedOnesEvenWithAFreeSlot() {
        // a free slot with a non-empty queue only happens between decisions; first come, first served
        given(registered(pipeline(task("a"))), paused(seconds(1)),
                new RunQueued(PIPELINE, "train.x", 1, Map.of(), "manual", USER, null, "pipeline is paused", seconds(2)),
                new PipelineResumed(PIPELINE, USER, seconds(3)))
                .when(requestRun("train.y"), seconds(4))
                .then(new RunQueued(PIPELINE, "train.y", 1, Map.of(), "manual", USER, null, "earlier runs are queued",
                                seconds(4)),
                        new RunStarted(PIPELINE, "train.x", 1, Map.of(), "manual", USER, seconds(4)),
                        dispatched("train.x", "a", 1, seconds(4)),
                        new RunStarted(PIPELINE, "train.y", 1, Map.of(), "manual", USER, seconds(4)),
                        dispatched("train.y", "a", 1, seconds(4)));
    }

    @Test
    void aScheduledTickAtTheLimitIsQueuedWithItsInterval() {
        PipelineSpec spec = pipeline(task("a")).withOptions(PipelineOptions.DEFAULTS.withSchedule(daily("UTC"))
                .withMaxActiveRuns(1));
        Instant now = t("2026-11-23T00:00:00Z");
        RunStarted yesterday = scheduledRun("train.2026-11-21T00-00Z", t("2026-11-21T00:00:00Z"),
                t("2026-11-22T00:00:00Z"), t("2026-11-22T00:00:00Z"));
        given(new SchedulerEvent.PipelineRegistered(PIPELINE, 1, spec, "h", USER, t("2026-11-21T10:00:00Z")),
                yesterday, dispatched(yesterday.runId(), "a", 1, yesterday.at()))
                .when(fire(now), now)
                .then(new RunQueued(PIPELINE, "train.2026-11-22T00-00Z", 1, Map.of(), "schedule", "scheduler",
                        new DataInterval(t("2026-11-22T00:00:00Z"), now), "1 runs active (maxActiveRuns 1)", now));
    }

    @Test
    void reportsOfOtherPipelinesRunsAreUnaffected() {
        // sanity: the follow-up does nothing for a pipeline without queue or backfills
        given(registered(pipeline(task("a"))), runStarted("train.1"), dispatched("train.1", "a", 1, T0))
                .when(reportStarted("train.1", "a", 1, EXECUTOR), seconds(1))
                .then(started("train.1", "a", 1, EXECUTOR, seconds(1)));
    }
}
