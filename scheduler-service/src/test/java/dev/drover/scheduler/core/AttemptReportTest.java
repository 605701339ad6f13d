package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.TaskStarted;
import dev.drover.scheduler.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.LEASE;
import static dev.drover.scheduler.core.SchedulerFixtures.OTHER_EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.TIMEOUT;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.leaseRenewed;
import static dev.drover.scheduler.core.SchedulerFixtures.lost;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.reportFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.reportHeartbeat;
import static dev.drover.scheduler.core.SchedulerFixtures.reportStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.retries;
import static dev.drover.scheduler.core.SchedulerFixtures.retryScheduled;
import static dev.drover.scheduler.core.SchedulerFixtures.runFinished;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.succeeded;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerFixtures.withRetry;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** What executors report about attempts, and how reports are fenced by attempt number and executor. */
class AttemptReportTest {
    static final PipelineSpec SPEC = pipeline(
            withRetry(task("a"), retries(2, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5))), task("b", "a"));

    static SchedulerEvent[] dispatchedA() {
        return new SchedulerEvent[] {registered(SPEC), runStarted(RUN), dispatched(RUN, "a", 1, T0)};
    }

    static SchedulerEvent[] runningA() {
        return new SchedulerEvent[] {registered(SPEC), runStarted(RUN), dispatched(RUN, "a", 1, T0),
                started(RUN, "a", 1, EXECUTOR, T0)};
    }

    // ---- started

    @Test
    void a_start_takes_the_lease_and_sets_the_timeout() {
        given(dispatchedA())
                .when(reportStarted(RUN, "a", 1, EXECUTOR), seconds(2))
                .then(new TaskStarted(PIPELINE, RUN, "a", 1, EXECUTOR, seconds(2).plus(LEASE),
                        seconds(2).plus(TIMEOUT), seconds(2)));
    }

    @Test
    void a_started_task_is_running_on_its_executor_with_lease_and_timeout() {
        TaskState a = given(dispatchedA())
                .when(reportStarted(RUN, "a", 1, EXECUTOR), seconds(2))
                .stateAfter().activeRun(RUN).orElseThrow().tasks().get("a");

        assertThat(StateView.of(a)).isEqualTo(new StateView.TaskView("a", TaskStatus.RUNNING, 1, T0, EXECUTOR,
                seconds(2).plus(LEASE), seconds(2).plus(TIMEOUT), null, java.util.Map.of()));
    }

    @Test
    void a_duplicate_start_from_the_same_executor_is_ignored() {
        given(runningA())
                .when(reportStarted(RUN, "a", 1, EXECUTOR), seconds(2))
                .thenNothing();
    }

    @Test
    void a_start_from_another_executor_is_rejected() {
        given(runningA())
                .when(reportStarted(RUN, "a", 1, OTHER_EXECUTOR), seconds(2))
                .thenRejected(RejectionCode.WRONG_EXECUTOR);
    }

    @Test
    void a_start_of_an_attempt_that_was_never_dispatched_is_rejected() {
        given(dispatchedA())
                .when(reportStarted(RUN, "a", 2, EXECUTOR), seconds(2))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    @Test
    void a_start_of_a_task_that_is_not_dispatched_yet_is_rejected() {
        given(dispatchedA())
                .when(reportStarted(RUN, "b", 1, EXECUTOR), seconds(2))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    @Test
    void a_start_of_an_attempt_that_already_ended_is_rejected() {
        given(runningA()).and(succeeded(RUN, "a", 1, seconds(10)), dispatched(RUN, "b", 1, seconds(10)))
                .when(reportStarted(RUN, "a", 1, EXECUTOR), seconds(11))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    // ---- heartbeat

    @Test
    void a_heartbeat_in_the_first_half_of_the_lease_changes_nothing() {
        given(runningA())
                .when(reportHeartbeat(RUN, "a", 1, EXECUTOR), T0.plus(LEASE.dividedBy(2)))
                .thenNothing();
    }

    @Test
    void a_heartbeat_past_half_the_lease_renews_it() {
        Instant now = T0.plus(LEASE.dividedBy(2)).plusMillis(1);
        given(runningA())
                .when(reportHeartbeat(RUN, "a", 1, EXECUTOR), now)
                .then(leaseRenewed(RUN, "a", 1, now.plus(LEASE)));
    }

    @Test
    void a_renewed_lease_is_measured_from_the_renewal() {
        Instant renewedAt = seconds(10);
        given(runningA()).and(leaseRenewed(RUN, "a", 1, renewedAt.plus(LEASE)))
                .when(reportHeartbeat(RUN, "a", 1, EXECUTOR), seconds(12))
                .thenNothing();
    }

    @Test
    void a_heartbeat_from_another_executor_is_rejected() {
        given(runningA())
                .when(reportHeartbeat(RUN, "a", 1, OTHER_EXECUTOR), seconds(10))
                .thenRejected(RejectionCode.WRONG_EXECUTOR);
    }

    @Test
    void a_heartbeat_before_the_start_is_rejected() {
        given(dispatchedA())
                .when(reportHeartbeat(RUN, "a", 1, EXECUTOR), seconds(10))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    // ---- outcomes

    @Test
    void a_success_from_another_executor_is_rejected() {
        given(runningA())
                .when(reportSucceeded(RUN, "a", 1, OTHER_EXECUTOR), seconds(10))
                .thenRejected(RejectionCode.WRONG_EXECUTOR);
    }

    @Test
    void a_failure_from_another_executor_is_rejected() {
        given(runningA())
                .when(reportFailed(RUN, "a", 1, OTHER_EXECUTOR, "boom", 1), seconds(10))
                .thenRejected(RejectionCode.WRONG_EXECUTOR);
    }

    @Test
    void a_success_without_a_start_is_rejected() {
        given(dispatchedA())
                .when(reportSucceeded(RUN, "a", 1, EXECUTOR), seconds(10))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    @Test
    void a_report_about_an_older_attempt_is_rejected() {
        given(runningA()).and(lost(RUN, "a", 1, EXECUTOR, seconds(20)), retryScheduled(RUN, "a", 2, seconds(30)),
                        dispatched(RUN, "a", 2, seconds(30)), started(RUN, "a", 2, OTHER_EXECUTOR, seconds(31)))
                .when(reportSucceeded(RUN, "a", 1, EXECUTOR), seconds(40))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    @Test
    void a_second_outcome_for_a_finished_attempt_is_rejected() {
        given(runningA()).and(succeeded(RUN, "a", 1, seconds(10)), dispatched(RUN, "b", 1, seconds(10)))
                .when(reportFailed(RUN, "a", 1, EXECUTOR, "late", 1), seconds(11))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    @Test
    void a_report_about_an_undeclared_task_is_rejected() {
        given(runningA())
                .when(reportStarted(RUN, "zzz", 1, EXECUTOR), seconds(10))
                .thenRejected(RejectionCode.UNKNOWN_TASK);
    }

    @Test
    void a_report_about_a_finished_run_is_rejected() {
        given(runningA()).and(runFinished(RUN, RunStatus.CANCELED, "stop", seconds(5)))
                .when(reportSucceeded(RUN, "a", 1, EXECUTOR), seconds(10))
                .thenRejected(RejectionCode.RUN_FINISHED);
    }

    @Test
    void a_report_about_an_unknown_run_is_rejected() {
        given(runningA())
                .when(reportHeartbeat("train.99", "a", 1, EXECUTOR), seconds(10))
                .thenRejected(RejectionCode.UNKNOWN_RUN);
    }

    @Test
    void a_report_about_an_unknown_pipeline_is_an_unknown_run() {
        given()
                .when(reportStarted(RUN, "a", 1, EXECUTOR), seconds(10))
                .thenRejected(RejectionCode.UNKNOWN_RUN);
    }
}
