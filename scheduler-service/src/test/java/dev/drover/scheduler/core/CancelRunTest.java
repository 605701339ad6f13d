package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.cancelRun;
import static dev.drover.scheduler.core.SchedulerFixtures.canceled;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatchRetry;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.failed;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.retries;
import static dev.drover.scheduler.core.SchedulerFixtures.retryScheduled;
import static dev.drover.scheduler.core.SchedulerFixtures.runFinished;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.runSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.succeeded;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerFixtures.withRetry;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Canceling a run. */
class CancelRunTest {
    /** done succeeded, running is running, queued is dispatched, waiting is retrying, later is pending. */
    static final PipelineSpec SPEC = pipeline(task("done"), task("running"), task("queued"),
            withRetry(task("waiting"), retries(1, Duration.ofMinutes(1), 1.0, Duration.ofMinutes(1))),
            task("later", "done", "running"));

    static SchedulerEvent[] everyKindOfTask() {
        return new SchedulerEvent[] {registered(SPEC), runStarted(RUN), dispatched(RUN, "done", 1, T0),
                dispatched(RUN, "running", 1, T0), dispatched(RUN, "queued", 1, T0), dispatched(RUN, "waiting", 1, T0),
                started(RUN, "done", 1, EXECUTOR, T0), started(RUN, "running", 1, EXECUTOR, T0),
                started(RUN, "waiting", 1, EXECUTOR, T0), succeeded(RUN, "done", 1, seconds(5)),
                failed(RUN, "waiting", 1, "boom", 1, seconds(6)), retryScheduled(RUN, "waiting", 2, seconds(66))};
    }

    @Test
    void cancel_cancels_every_unfinished_task_and_finishes_the_run() {
        given(everyKindOfTask())
                .when(cancelRun(RUN, "wrong data"), seconds(10))
                .then(canceled(RUN, "running", 1), canceled(RUN, "queued", 1), canceled(RUN, "waiting", 0),
                        canceled(RUN, "later", 0), runFinished(RUN, RunStatus.CANCELED, "wrong data", seconds(10)));
    }

    @Test
    void cancel_without_a_reason_says_who_canceled() {
        given(registered(pipeline(task("a"))), runStarted(RUN), dispatched(RUN, "a", 1, T0))
                .when(cancelRun(RUN, " "), seconds(10))
                .then(canceled(RUN, "a", 1), runFinished(RUN, RunStatus.CANCELED, "canceled by alice", seconds(10)));
    }

    @Test
    void a_canceled_run_leaves_the_active_state_with_no_timers_left() {
        SchedulerState state = given(everyKindOfTask())
                .when(cancelRun(RUN, "stop"), seconds(10))
                .stateAfter();

        assertThat(state.activeRuns()).isEmpty();
    }

    @Test
    void the_retry_timer_of_a_canceled_run_does_nothing() {
        given(everyKindOfTask()).and(canceled(RUN, "running", 1), canceled(RUN, "queued", 1),
                        canceled(RUN, "waiting", 0), canceled(RUN, "later", 0),
                        runFinished(RUN, RunStatus.CANCELED, "stop", seconds(10)))
                .when(dispatchRetry(RUN, "waiting", 2), seconds(66))
                .thenNothing();
    }

    @Test
    void a_finished_run_cannot_be_canceled() {
        given(registered(pipeline(task("a"))), runStarted(RUN), runSucceeded(RUN, seconds(5)))
                .when(cancelRun(RUN, "too late"), seconds(10))
                .thenRejected(RejectionCode.RUN_FINISHED);
    }

    @Test
    void an_unknown_run_cannot_be_canceled() {
        given(registered(pipeline(task("a"))))
                .when(cancelRun("train.7", "what run?"), seconds(10))
                .thenRejected(RejectionCode.UNKNOWN_RUN);
    }
}
