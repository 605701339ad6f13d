package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.drover.scheduler.core.RerunFixtures.clear;
import static dev.drover.scheduler.core.RerunFixtures.cleared;
import static dev.drover.scheduler.core.RerunFixtures.mark;
import static dev.drover.scheduler.core.RerunFixtures.marked;
import static dev.drover.scheduler.core.RerunFixtures.reopened;
import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.canceled;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.failed;
import static dev.drover.scheduler.core.SchedulerFixtures.failedFinally;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.reportFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.reportStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.retries;
import static dev.drover.scheduler.core.SchedulerFixtures.retryScheduled;
import static dev.drover.scheduler.core.SchedulerFixtures.runFinished;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.runSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.succeeded;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerFixtures.upstreamFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.withRetry;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Clearing tasks and marking them by hand (Airflow: Clear, Mark Success / Mark Failed). */
class RerunTest {
    /** a → b → c, and d on its own. */
    static final PipelineSpec SPEC = pipeline(task("a"), task("b", "a"), task("c", "b"), task("d"));

    /** A run where a failed for good (b, c upstream-failed) while d is still running. */
    static List<SchedulerEvent> aFailedDRunning() {
        return List.of(registered(SPEC), runStarted(RUN), dispatched(RUN, "a", 1, T0), dispatched(RUN, "d", 1, T0),
                started(RUN, "a", 1, EXECUTOR, seconds(1)), started(RUN, "d", 1, EXECUTOR, seconds(1)),
                failed(RUN, "a", 1, "exit 1", 1, seconds(2)), failedFinally(RUN, "a", 1, "exit 1"),
                upstreamFailed(RUN, "b", "a"), upstreamFailed(RUN, "c", "b"));
    }

    /** The same run once d succeeded too: finished as failed. */
    static List<SchedulerEvent> finishedFailed() {
        List<SchedulerEvent> out = new ArrayList<>(aFailedDRunning());
        out.add(succeeded(RUN, "d", 1, seconds(3)));
        out.add(runFinished(RUN, RunStatus.FAILED, "task(s) failed: a", seconds(3)));
        return out;
    }

    /** Every task succeeded; the run finished. */
    static List<SchedulerEvent> allSucceeded() {
        return List.of(registered(SPEC), runStarted(RUN), dispatched(RUN, "a", 1, T0), dispatched(RUN, "d", 1, T0),
                started(RUN, "a", 1, EXECUTOR, seconds(1)), started(RUN, "d", 1, EXECUTOR, seconds(1)),
                succeeded(RUN, "a", 1, seconds(2)), succeeded(RUN, "d", 1, seconds(2)), dispatched(RUN, "b", 1, seconds(2)),
                started(RUN, "b", 1, EXECUTOR, seconds(3)), succeeded(RUN, "b", 1, seconds(4)),
                dispatched(RUN, "c", 1, seconds(4)), started(RUN, "c", 1, EXECUTOR, seconds(5)),
                succeeded(RUN, "c", 1, seconds(6)), runSucceeded(RUN, seconds(6)));
    }

    @Test
    void clearingAFailedTaskRunsItAgainWithTheNextAttemptNumberAndBringsBackWhatItBlocked() {
        given(aFailedDRunning())
                .when(clear(RUN, "a", false), seconds(10))
                .then(cleared(RUN, List.of("a", "b", "c"), false, seconds(10)),
                        dispatched(RUN, "a", 2, seconds(10)));
    }

    @Test
    void clearingWithDownstreamClearsTasksThatRanToo() {
        given(allSucceeded())
                .when(clear(RUN, "b", true), seconds(10))
                .then(reopened(RUN, seconds(10)), cleared(RUN, List.of("b", "c"), true, seconds(10)),
                        dispatched(RUN, "b", 2, seconds(10)));
    }

    @Test
    void clearingWithoutDownstreamLeavesTasksThatRanAlone() {
        given(allSucceeded())
                .when(clear(RUN, "b", false), seconds(10))
                .then(reopened(RUN, seconds(10)), cleared(RUN, List.of("b"), false, seconds(10)),
                        dispatched(RUN, "b", 2, seconds(10)));
    }

    @Test
    void clearingATaskOfAFinishedRunReopensItAndTheRunFinishesAgainWhenSettled() {
        SchedulerScenario s = given(finishedFailed())
                .when(clear(RUN, "a", false), seconds(10))
                .then(reopened(RUN, seconds(10)), cleared(RUN, List.of("a", "b", "c"), false, seconds(10)),
                        dispatched(RUN, "a", 2, seconds(10)));
        SchedulerState state = s.stateAfter();
        assertThat(state.activeRun(RUN)).map(RunState::status).contains(RunStatus.RUNNING);
        assertThat(state.finishedRun(SchedulerFixtures.PIPELINE, RUN)).isEmpty();

        List<SchedulerEvent> history = new ArrayList<>(finishedFailed());
        history.addAll(s.events());
        history.add(started(RUN, "a", 2, EXECUTOR, seconds(11)));
        history.add(succeeded(RUN, "a", 2, seconds(12)));
        history.add(dispatched(RUN, "b", 1, seconds(12)));
        history.add(started(RUN, "b", 1, EXECUTOR, seconds(13)));
        history.add(succeeded(RUN, "b", 1, seconds(14)));
        history.add(dispatched(RUN, "c", 1, seconds(14)));
        history.add(started(RUN, "c", 1, EXECUTOR, seconds(15)));
        given(history)
                .when(reportSucceeded(RUN, "c", 1, EXECUTOR), seconds(16))
                .then(succeeded(RUN, "c", 1, seconds(16)), runSucceeded(RUN, seconds(16)));
    }

    @Test
    void reportsFromAttemptsBeforeTheClearAreStale() {
        List<SchedulerEvent> history = new ArrayList<>(aFailedDRunning());
        history.add(cleared(RUN, List.of("a", "b", "c"), false, seconds(10)));
        history.add(dispatched(RUN, "a", 2, seconds(10)));
        given(history)
                .when(reportSucceeded(RUN, "a", 1, EXECUTOR), seconds(11))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
        given(history)
                .when(reportStarted(RUN, "a", 2, EXECUTOR), seconds(11))
                .then(started(RUN, "a", 2, EXECUTOR, seconds(11)));
    }

    @Test
    void aClearedTaskGetsAFreshRetryBudget() {
        PipelineSpec spec = pipeline(withRetry(task("a"), retries(1, Duration.ofSeconds(10), 1.0,
                Duration.ofMinutes(1))), task("z"));
        List<SchedulerEvent> history = new ArrayList<>(List.of(registered(spec), runStarted(RUN),
                dispatched(RUN, "a", 1, T0), dispatched(RUN, "z", 1, T0), started(RUN, "z", 1, EXECUTOR, T0),
                started(RUN, "a", 1, EXECUTOR, T0), failed(RUN, "a", 1, "boom", 1, seconds(1)),
                retryScheduled(RUN, "a", 2, seconds(11)), dispatched(RUN, "a", 2, seconds(11)),
                started(RUN, "a", 2, EXECUTOR, seconds(12)), failed(RUN, "a", 2, "boom", 1, seconds(13)),
                failedFinally(RUN, "a", 2, "boom (attempt 2 of 2)"),
                cleared(RUN, List.of("a"), false, seconds(20)), dispatched(RUN, "a", 3, seconds(20)),
                started(RUN, "a", 3, EXECUTOR, seconds(21))));
        SchedulerScenario first = given(history)
                .when(reportFailed(RUN, "a", 3, EXECUTOR, "boom", 1), seconds(22))
                .then(failed(RUN, "a", 3, "boom", 1, seconds(22)), retryScheduled(RUN, "a", 4, seconds(32)));
        history.addAll(first.events());
        history.add(dispatched(RUN, "a", 4, seconds(32)));
        history.add(started(RUN, "a", 4, EXECUTOR, seconds(33)));
        given(history)
                .when(reportFailed(RUN, "a", 4, EXECUTOR, "boom", 1), seconds(34))
                .then(failed(RUN, "a", 4, "boom", 1, seconds(34)), failedFinally(RUN, "a", 4, "boom (attempt 2 of 2)"));
    }

    @Test
    void aTaskWithAnAttemptInFlightCannotBeCleared() {
        given(aFailedDRunning())
                .when(clear(RUN, "d", false), seconds(10))
                .thenRejected(RejectionCode.TASK_STATE_CONFLICT);
    }

    @Test
    void clearingWithDownstreamIsRefusedWhileATaskDownstreamIsInFlight() {
        List<SchedulerEvent> history = List.of(registered(SPEC), runStarted(RUN), dispatched(RUN, "a", 1, T0),
                dispatched(RUN, "d", 1, T0), succeeded(RUN, "a", 1, seconds(1)), dispatched(RUN, "b", 1, seconds(1)));
        given(history).when(clear(RUN, "a", true), seconds(10)).thenRejected(RejectionCode.TASK_STATE_CONFLICT);
    }

    @Test
    void aTaskThatHasNotRunHasNothingToClear() {
        given(registered(SPEC), runStarted(RUN), dispatched(RUN, "a", 1, T0))
                .when(clear(RUN, "c", false), seconds(1))
                .thenRejected(RejectionCode.TASK_STATE_CONFLICT);
    }

    @Test
    void unknownRunsAndTasksAreRejected() {
        given(aFailedDRunning()).when(clear("train.99", "a", false), seconds(1))
                .thenRejected(RejectionCode.UNKNOWN_RUN);
        String message = given(aFailedDRunning()).when(clear(RUN, "nope", false), seconds(1))
                .thenRejected(RejectionCode.UNKNOWN_TASK).rejection().message();
        assertThat(message).contains("a, b, c, d");
    }

    @Test
    void aRunOlderThanTheFinishedRunsKeptCannotBeCleared() {
        List<SchedulerEvent> history = new ArrayList<>(finishedFailed());
        for (int i = 2; i <= SchedulerState.DEFAULT_KEEP_FINISHED_RUNS + 1; i++) {
            String run = "train." + i;
            history.add(runStarted(run, 1, java.util.Map.of(), seconds(i)));
            history.add(canceled(run, "a", 0));
            history.add(canceled(run, "b", 0));
            history.add(canceled(run, "c", 0));
            history.add(canceled(run, "d", 0));
            history.add(runFinished(run, RunStatus.CANCELED, "stop", seconds(i)));
        }
        String message = given(history).when(clear(RUN, "a", false), seconds(100))
                .thenRejected(RejectionCode.RUN_NOT_RETAINED).rejection().message();
        assertThat(message).contains("last " + SchedulerState.DEFAULT_KEEP_FINISHED_RUNS + " finished runs")
                .contains("start a new run");
    }

    @Test
    void aCanceledRunIsNotReopened() {
        given(registered(SPEC), runStarted(RUN), canceled(RUN, "a", 0), canceled(RUN, "b", 0), canceled(RUN, "c", 0),
                canceled(RUN, "d", 0), runFinished(RUN, RunStatus.CANCELED, "stop", seconds(1)))
                .when(clear(RUN, "a", true), seconds(2))
                .thenRejected(RejectionCode.RUN_FINISHED);
    }

    @Test
    void markingAFailedTaskSucceededLetsWhatItBlockedRun() {
        given(finishedFailed())
                .when(mark(RUN, "a", TaskStatus.SUCCEEDED), seconds(10))
                .then(reopened(RUN, seconds(10)), marked(RUN, "a", TaskStatus.SUCCEEDED, 0, seconds(10)),
                        cleared(RUN, List.of("b", "c"), true, seconds(10)), dispatched(RUN, "b", 1, seconds(10)));
    }

    @Test
    void markingARunningTaskFailedEndsItsAttemptAndFailsWhatDependsOnIt() {
        List<SchedulerEvent> history = List.of(registered(SPEC), runStarted(RUN), dispatched(RUN, "a", 1, T0),
                dispatched(RUN, "d", 1, T0), started(RUN, "a", 1, EXECUTOR, seconds(1)));
        SchedulerScenario s = given(history)
                .when(mark(RUN, "a", TaskStatus.FAILED), seconds(5))
                .then(marked(RUN, "a", TaskStatus.FAILED, 1, seconds(5)), upstreamFailed(RUN, "b", "a"),
                        upstreamFailed(RUN, "c", "b"));
        List<SchedulerEvent> after = new ArrayList<>(history);
        after.addAll(s.events());
        given(after).when(reportSucceeded(RUN, "a", 1, EXECUTOR), seconds(6))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    @Test
    void markingTheLastTaskSucceededFinishesTheRun() {
        List<SchedulerEvent> history = List.of(registered(SPEC), runStarted(RUN), dispatched(RUN, "a", 1, T0),
                dispatched(RUN, "d", 1, T0), succeeded(RUN, "d", 1, seconds(1)), succeeded(RUN, "a", 1, seconds(1)),
                dispatched(RUN, "b", 1, seconds(1)), succeeded(RUN, "b", 1, seconds(2)),
                dispatched(RUN, "c", 1, seconds(2)), started(RUN, "c", 1, EXECUTOR, seconds(3)));
        given(history)
                .when(mark(RUN, "c", TaskStatus.SUCCEEDED), seconds(4))
                .then(marked(RUN, "c", TaskStatus.SUCCEEDED, 1, seconds(4)), runSucceeded(RUN, seconds(4)));
    }

    @Test
    void markingASucceededTaskFailedFailsAFinishedRun() {
        given(allSucceeded())
                .when(mark(RUN, "c", TaskStatus.FAILED), seconds(10))
                .then(reopened(RUN, seconds(10)), marked(RUN, "c", TaskStatus.FAILED, 0, seconds(10)),
                        runFinished(RUN, RunStatus.FAILED, "task(s) failed: c", seconds(10)));
    }

    @Test
    void markingATaskWithTheStatusItHasIsRefused() {
        given(allSucceeded())
                .when(mark(RUN, "c", TaskStatus.SUCCEEDED), seconds(10))
                .thenRejected(RejectionCode.TASK_STATE_CONFLICT);
    }

    @Test
    void finishedRunsAreKeptUpToTheLimitPerPipeline() {
        SchedulerState state = new SchedulerState(2);
        state.apply(registered(SPEC));
        for (int i = 1; i <= 3; i++) {
            String run = "train." + i;
            state.apply(runStarted(run, 1, java.util.Map.of(), seconds(i)));
            state.apply(runFinished(run, RunStatus.CANCELED, "stop", seconds(i)));
        }
        assertThat(state.finishedRuns()).extracting(RunState::runId).containsExactly("train.2", "train.3");
        assertThat(new SchedulerState(0).finishedRuns()).isEmpty();
    }
}
