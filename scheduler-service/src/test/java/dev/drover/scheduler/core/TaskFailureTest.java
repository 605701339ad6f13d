package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.TaskRetryScheduled;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.OTHER_EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatchRetry;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.failed;
import static dev.drover.scheduler.core.SchedulerFixtures.failedFinally;
import static dev.drover.scheduler.core.SchedulerFixtures.map;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.reportFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.retries;
import static dev.drover.scheduler.core.SchedulerFixtures.retryScheduled;
import static dev.drover.scheduler.core.SchedulerFixtures.runFinished;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.succeeded;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerFixtures.upstreamFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.withConfig;
import static dev.drover.scheduler.core.SchedulerFixtures.withRetry;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Failed attempts: retries with backoff, final failure, and what it does to the rest of the run. */
class TaskFailureTest {
    /** a: 3 attempts, 10 s then 20 s capped to 15 s; a → b → d; c is an independent branch without retries. */
    static final RetryPolicy A_RETRIES = retries(2, Duration.ofSeconds(10), 2.0, Duration.ofSeconds(15));
    static final PipelineSpec SPEC = pipeline(
            withRetry(withConfig(task("a"), map("command", "run --attempt {{ attempt }}")), A_RETRIES),
            task("b", "a"), task("c"), task("d", "b"));

    static SchedulerEvent[] attempt1Running() {
        return new SchedulerEvent[] {registered(SPEC), runStarted(RUN),
                dispatched(RUN, "a", 1, map("command", "run --attempt 1"), T0), dispatched(RUN, "c", 1, T0),
                started(RUN, "a", 1, EXECUTOR, T0), started(RUN, "c", 1, OTHER_EXECUTOR, T0)};
    }

    static SchedulerEvent[] attempt1Failed() {
        return concat(attempt1Running(), failed(RUN, "a", 1, "boom", 1, seconds(10)),
                retryScheduled(RUN, "a", 2, seconds(20)));
    }

    static SchedulerEvent[] attempt3Running() {
        return concat(attempt1Failed(),
                dispatched(RUN, "a", 2, map("command", "run --attempt 2"), seconds(20)),
                started(RUN, "a", 2, EXECUTOR, seconds(21)), failed(RUN, "a", 2, "boom", 1, seconds(30)),
                retryScheduled(RUN, "a", 3, seconds(45)),
                dispatched(RUN, "a", 3, map("command", "run --attempt 3"), seconds(45)),
                started(RUN, "a", 3, EXECUTOR, seconds(46)));
    }

    // ---- retries

    @Test
    void a_failure_with_retries_left_schedules_the_next_attempt_after_the_initial_delay() {
        given(attempt1Running())
                .when(reportFailed(RUN, "a", 1, EXECUTOR, "boom", 1), seconds(10))
                .then(failed(RUN, "a", 1, "boom", 1, seconds(10)), retryScheduled(RUN, "a", 2, seconds(20)));
    }

    @Test
    void the_delay_grows_exponentially_up_to_the_max_delay() {
        given(attempt1Failed()).and(dispatched(RUN, "a", 2, map("command", "run --attempt 2"), seconds(20)),
                        started(RUN, "a", 2, EXECUTOR, seconds(21)))
                // 10 s * 2 = 20 s, capped to 15 s
                .when(reportFailed(RUN, "a", 2, EXECUTOR, "boom", 1), seconds(30))
                .then(failed(RUN, "a", 2, "boom", 1, seconds(30)), retryScheduled(RUN, "a", 3, seconds(45)));
    }

    @Test
    void jitter_spreads_the_delay_within_its_bound() {
        RetryPolicy jittery = new RetryPolicy(3, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5), 0.5);
        PipelineSpec spec = pipeline(withRetry(task("a"), jittery));

        List<SchedulerEvent> events = given(registered(spec), runStarted(RUN), dispatched(RUN, "a", 1, T0),
                started(RUN, "a", 1, EXECUTOR, T0))
                .when(reportFailed(RUN, "a", 1, EXECUTOR, "boom", 1), seconds(10))
                .events();

        Instant due = ((TaskRetryScheduled) events.get(1)).dueAt();
        assertThat(due).isBetween(seconds(10 + 5), seconds(10 + 15))
                .isEqualTo(seconds(10).plus(Backoff.delay(jittery, RUN, "a", 2)));
    }

    @Test
    void the_retry_is_dispatched_when_due_and_rendered_for_its_attempt() {
        given(attempt1Failed())
                .when(dispatchRetry(RUN, "a", 2), seconds(20))
                .then(dispatched(RUN, "a", 2, map("command", "run --attempt 2"), seconds(20)));
    }

    @Test
    void a_late_retry_timer_still_dispatches() {
        given(attempt1Failed())
                .when(dispatchRetry(RUN, "a", 2), seconds(25))
                .then(dispatched(RUN, "a", 2, map("command", "run --attempt 2"), seconds(25)));
    }

    @Test
    void a_retry_timer_before_its_due_time_does_nothing() {
        given(attempt1Failed())
                .when(dispatchRetry(RUN, "a", 2), seconds(20).minusMillis(1))
                .thenNothing();
    }

    @Test
    void a_retry_timer_for_another_attempt_does_nothing() {
        given(attempt1Failed())
                .when(dispatchRetry(RUN, "a", 3), seconds(60))
                .thenNothing();
    }

    @Test
    void a_retry_timer_fired_twice_dispatches_once() {
        given(attempt1Failed()).and(dispatched(RUN, "a", 2, map("command", "run --attempt 2"), seconds(20)))
                .when(dispatchRetry(RUN, "a", 2), seconds(21))
                .thenNothing();
    }

    // ---- failing for good

    @Test
    void the_last_attempt_failing_fails_the_task_and_everything_downstream_transitively() {
        given(attempt3Running())
                .when(reportFailed(RUN, "a", 3, EXECUTOR, "boom", 1), seconds(50))
                .then(failed(RUN, "a", 3, "boom", 1, seconds(50)),
                        failedFinally(RUN, "a", 3, "boom (attempt 3 of 3)"),
                        upstreamFailed(RUN, "b", "a"),
                        upstreamFailed(RUN, "d", "b"));
    }

    @Test
    void an_independent_branch_keeps_running_and_the_run_fails_when_it_settles() {
        given(attempt3Running()).and(failed(RUN, "a", 3, "boom", 1, seconds(50)),
                        failedFinally(RUN, "a", 3, "boom (attempt 3 of 3)"), upstreamFailed(RUN, "b", "a"),
                        upstreamFailed(RUN, "d", "b"))
                .when(reportSucceeded(RUN, "c", 1, OTHER_EXECUTOR), seconds(60))
                .then(succeeded(RUN, "c", 1, seconds(60)),
                        runFinished(RUN, RunStatus.FAILED, "task(s) failed: a", seconds(60)));
    }

    @Test
    void a_failure_without_retries_fails_the_task_at_once() {
        given(registered(pipeline(task("a"))), runStarted(RUN), dispatched(RUN, "a", 1, T0),
                started(RUN, "a", 1, EXECUTOR, T0))
                .when(reportFailed(RUN, "a", 1, EXECUTOR, "exit 2", 2), seconds(10))
                .then(failed(RUN, "a", 1, "exit 2", 2, seconds(10)), failedFinally(RUN, "a", 1, "exit 2"),
                        runFinished(RUN, RunStatus.FAILED, "task(s) failed: a", seconds(10)));
    }

    @Test
    void every_task_that_failed_for_good_is_named_when_the_run_fails() {
        given(attempt3Running()).and(failed(RUN, "c", 1, "c broke", 1, seconds(5)),
                        failedFinally(RUN, "c", 1, "c broke"))
                .when(reportFailed(RUN, "a", 3, EXECUTOR, "boom", 1), seconds(50))
                .then(failed(RUN, "a", 3, "boom", 1, seconds(50)),
                        failedFinally(RUN, "a", 3, "boom (attempt 3 of 3)"),
                        upstreamFailed(RUN, "b", "a"),
                        upstreamFailed(RUN, "d", "b"),
                        runFinished(RUN, RunStatus.FAILED, "task(s) failed: a, c", seconds(50)));
    }

    @Test
    void a_pending_retry_keeps_the_run_going_although_another_task_failed_for_good() {
        given(attempt1Running()).and(failed(RUN, "c", 1, "c broke", 1, seconds(5)),
                        failedFinally(RUN, "c", 1, "c broke"))
                .when(reportFailed(RUN, "a", 1, EXECUTOR, "boom", 1), seconds(10))
                .then(failed(RUN, "a", 1, "boom", 1, seconds(10)), retryScheduled(RUN, "a", 2, seconds(20)));
    }

    static SchedulerEvent[] concat(SchedulerEvent[] first, SchedulerEvent... more) {
        SchedulerEvent[] out = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, out, first.length, more.length);
        return out;
    }
}
