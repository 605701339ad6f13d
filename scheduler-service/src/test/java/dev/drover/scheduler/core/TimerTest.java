package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.LEASE;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.TIMEOUT;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.expireLease;
import static dev.drover.scheduler.core.SchedulerFixtures.failedFinally;
import static dev.drover.scheduler.core.SchedulerFixtures.leaseRenewed;
import static dev.drover.scheduler.core.SchedulerFixtures.lost;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.retries;
import static dev.drover.scheduler.core.SchedulerFixtures.retryScheduled;
import static dev.drover.scheduler.core.SchedulerFixtures.runFinished;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.succeeded;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerFixtures.timeOut;
import static dev.drover.scheduler.core.SchedulerFixtures.timedOut;
import static dev.drover.scheduler.core.SchedulerFixtures.upstreamFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.withRetry;
import static dev.drover.scheduler.core.SchedulerScenario.given;

/** The scheduler's own timers: attempt timeouts, leases, and timers whose moment has passed. */
class TimerTest {
    /** a retries once after 30 s; z never retries; b needs both. */
    static final PipelineSpec SPEC = pipeline(
            withRetry(task("a"), retries(1, Duration.ofSeconds(30), 2.0, Duration.ofMinutes(5))), task("z"),
            task("b", "a", "z"));
    static final Instant A_LEASE_DUE = T0.plus(LEASE);
    static final Instant A_TIMEOUT_DUE = T0.plus(TIMEOUT);

    static SchedulerEvent[] running() {
        return new SchedulerEvent[] {registered(SPEC), runStarted(RUN), dispatched(RUN, "a", 1, T0),
                dispatched(RUN, "z", 1, T0), started(RUN, "a", 1, EXECUTOR, T0), started(RUN, "z", 1, EXECUTOR, T0)};
    }

    // ---- timeout

    @Test
    void a_timed_out_attempt_with_retries_left_is_retried() {
        given(running())
                .when(timeOut(RUN, "a", 1), A_TIMEOUT_DUE)
                .then(timedOut(RUN, "a", 1, A_TIMEOUT_DUE), retryScheduled(RUN, "a", 2, A_TIMEOUT_DUE.plusSeconds(30)));
    }

    @Test
    void a_timed_out_attempt_without_retries_fails_for_good() {
        given(running())
                .when(timeOut(RUN, "z", 1), A_TIMEOUT_DUE)
                .then(timedOut(RUN, "z", 1, A_TIMEOUT_DUE), failedFinally(RUN, "z", 1, "timed out after PT10M"),
                        upstreamFailed(RUN, "b", "z"));
    }

    @Test
    void a_timeout_before_its_due_time_does_nothing() {
        given(running())
                .when(timeOut(RUN, "a", 1), A_TIMEOUT_DUE.minusMillis(1))
                .thenNothing();
    }

    @Test
    void a_timeout_of_an_attempt_that_already_succeeded_does_nothing() {
        given(running()).and(succeeded(RUN, "a", 1, seconds(5)))
                .when(timeOut(RUN, "a", 1), A_TIMEOUT_DUE)
                .thenNothing();
    }

    @Test
    void a_timeout_of_an_attempt_that_is_already_being_retried_does_nothing() {
        given(running()).and(lost(RUN, "a", 1, EXECUTOR, A_LEASE_DUE), retryScheduled(RUN, "a", 2, seconds(60)))
                .when(timeOut(RUN, "a", 1), A_TIMEOUT_DUE)
                .thenNothing();
    }

    // ---- lease

    @Test
    void an_expired_lease_loses_the_attempt_and_retries_it() {
        given(running())
                .when(expireLease(RUN, "a", 1), A_LEASE_DUE)
                .then(lost(RUN, "a", 1, EXECUTOR, A_LEASE_DUE), retryScheduled(RUN, "a", 2, A_LEASE_DUE.plusSeconds(30)));
    }

    @Test
    void an_expired_lease_without_retries_fails_the_task_for_good() {
        given(running())
                .when(expireLease(RUN, "z", 1), A_LEASE_DUE)
                .then(lost(RUN, "z", 1, EXECUTOR, A_LEASE_DUE),
                        failedFinally(RUN, "z", 1, "executor exec-1 stopped renewing its lease"),
                        upstreamFailed(RUN, "b", "z"));
    }

    @Test
    void a_late_success_from_a_lost_attempt_is_rejected() {
        given(running()).and(lost(RUN, "a", 1, EXECUTOR, A_LEASE_DUE),
                        retryScheduled(RUN, "a", 2, A_LEASE_DUE.plusSeconds(30)))
                .when(reportSucceeded(RUN, "a", 1, EXECUTOR), A_LEASE_DUE.plusSeconds(1))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    @Test
    void a_late_success_from_a_lost_attempt_that_failed_for_good_is_rejected() {
        given(running()).and(lost(RUN, "z", 1, EXECUTOR, A_LEASE_DUE),
                        failedFinally(RUN, "z", 1, "executor exec-1 stopped renewing its lease"),
                        upstreamFailed(RUN, "b", "z"))
                .when(reportSucceeded(RUN, "z", 1, EXECUTOR), A_LEASE_DUE.plusSeconds(1))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    @Test
    void a_lease_timer_for_a_renewed_lease_does_nothing() {
        given(running()).and(leaseRenewed(RUN, "a", 1, seconds(10).plus(LEASE)))
                .when(expireLease(RUN, "a", 1), A_LEASE_DUE)
                .thenNothing();
    }

    @Test
    void a_lease_timer_before_its_due_time_does_nothing() {
        given(running())
                .when(expireLease(RUN, "a", 1), A_LEASE_DUE.minusMillis(1))
                .thenNothing();
    }

    @Test
    void a_lease_timer_of_a_finished_attempt_does_nothing() {
        given(running()).and(succeeded(RUN, "a", 1, seconds(5)))
                .when(expireLease(RUN, "a", 1), A_LEASE_DUE)
                .thenNothing();
    }

    @Test
    void a_lease_timer_of_an_older_attempt_does_nothing() {
        given(running()).and(lost(RUN, "a", 1, EXECUTOR, A_LEASE_DUE), retryScheduled(RUN, "a", 2, seconds(45)),
                        dispatched(RUN, "a", 2, seconds(45)), started(RUN, "a", 2, EXECUTOR, seconds(46)))
                .when(expireLease(RUN, "a", 1), seconds(100))
                .thenNothing();
    }

    // ---- timers of runs that are gone

    @Test
    void a_timer_of_a_finished_run_does_nothing() {
        given(running()).and(runFinished(RUN, RunStatus.CANCELED, "stop", seconds(1)))
                .when(expireLease(RUN, "a", 1), A_LEASE_DUE)
                .thenNothing();
    }

    @Test
    void a_timer_of_an_unknown_run_does_nothing() {
        given(running())
                .when(timeOut("train.42", "a", 1), A_TIMEOUT_DUE)
                .thenNothing();
    }

    @Test
    void a_timer_of_an_unknown_task_does_nothing() {
        given(running())
                .when(timeOut(RUN, "zzz", 1), A_TIMEOUT_DUE)
                .thenNothing();
    }
}
