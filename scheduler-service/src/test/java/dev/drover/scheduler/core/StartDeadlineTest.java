package dev.drover.scheduler.core;

import dev.drover.scheduler.core.DueTimer.Kind;
import dev.drover.scheduler.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.LEASE;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.START_TIMEOUT;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatchedOn;
import static dev.drover.scheduler.core.SchedulerFixtures.expireLease;
import static dev.drover.scheduler.core.SchedulerFixtures.failedFinally;
import static dev.drover.scheduler.core.SchedulerFixtures.leaseRenewed;
import static dev.drover.scheduler.core.SchedulerFixtures.lost;
import static dev.drover.scheduler.core.SchedulerFixtures.onQueue;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.reportHeartbeat;
import static dev.drover.scheduler.core.SchedulerFixtures.reportStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.retries;
import static dev.drover.scheduler.core.SchedulerFixtures.retryScheduled;
import static dev.drover.scheduler.core.SchedulerFixtures.runFinished;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerFixtures.upstreamFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.withRetry;
import static dev.drover.scheduler.core.SchedulerFixtures.withStartTimeout;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start deadline: an attempt that no executor starts within its start timeout of being dispatched (no executor
 * serves the queue, or the share group archived its dispatch record) is lost and retried like any other lost attempt,
 * and fails the task once its retries are used up. The deadline is decided as {@code ExpireTaskLease} of an attempt
 * that is still {@code DISPATCHED}.
 */
class StartDeadlineTest {
    static final String GPU = "gpu";
    /** a retries once after 30 s; z never retries; b needs both. All run on queue gpu. */
    static final PipelineSpec SPEC = pipeline(
            onQueue(withRetry(task("a"), retries(1, Duration.ofSeconds(30), 2.0, Duration.ofMinutes(5))), GPU),
            onQueue(task("z"), GPU), onQueue(task("b", "a", "z"), GPU));
    static final Instant DEADLINE = T0.plus(START_TIMEOUT);
    static final String NOT_STARTED = "not started within 10m: no executor took it from queue `gpu` — is an executor "
            + "serving that queue? (If its executors were only busy, give the task a longer startTimeout.)";

    static SchedulerEvent[] queued() {
        return new SchedulerEvent[] {registered(SPEC), runStarted(RUN), dispatchedOn(GPU, RUN, "a", 1, T0),
                dispatchedOn(GPU, RUN, "z", 1, T0)};
    }

    /** a lost in the queue once, and its second attempt dispatched after the backoff. */
    static SchedulerEvent[] queuedAgain() {
        return new SchedulerEvent[] {registered(SPEC), runStarted(RUN), dispatchedOn(GPU, RUN, "a", 1, T0),
                dispatchedOn(GPU, RUN, "z", 1, T0), lost(RUN, "a", 1, null, DEADLINE),
                retryScheduled(RUN, "a", 2, DEADLINE.plusSeconds(30)),
                dispatchedOn(GPU, RUN, "a", 2, DEADLINE.plusSeconds(30))};
    }

    // ---- the deadline passes

    @Test
    void an_attempt_not_started_by_its_deadline_is_lost_without_an_executor_and_retried() {
        given(queued())
                .when(expireLease(RUN, "a", 1), DEADLINE)
                .then(lost(RUN, "a", 1, null, DEADLINE), retryScheduled(RUN, "a", 2, DEADLINE.plusSeconds(30)));
    }

    @Test
    void the_retry_is_a_new_dispatch_with_a_start_deadline_of_its_own() {
        SchedulerEvent[] lostOnce = {registered(SPEC), runStarted(RUN), dispatchedOn(GPU, RUN, "a", 1, T0),
                dispatchedOn(GPU, RUN, "z", 1, T0), lost(RUN, "a", 1, null, DEADLINE),
                retryScheduled(RUN, "a", 2, DEADLINE.plusSeconds(30))};
        DueTimer retry = timersOf(lostOnce).stream().filter(t -> t.taskId().equals("a")).findFirst().orElseThrow();
        assertThat(retry.kind()).isEqualTo(Kind.RETRY);

        given(lostOnce)
                .when(retry.toCommand(), retry.dueAt())
                .then(dispatchedOn(GPU, RUN, "a", 2, DEADLINE.plusSeconds(30)));
        assertThat(timersOf(queuedAgain())).contains(new DueTimer(DEADLINE.plusSeconds(30).plus(START_TIMEOUT),
                Kind.START, SchedulerFixtures.PIPELINE, RUN, "a", 2));
    }

    @Test
    void the_start_timer_the_loop_appends_is_the_one_that_loses_the_attempt() {
        DueTimer start = timersOf(queued()).stream().filter(t -> t.kind() == Kind.START && t.taskId().equals("a"))
                .findFirst().orElseThrow();
        assertThat(start.dueAt()).isEqualTo(DEADLINE);

        given(queued())
                .when(start.toCommand(), start.dueAt())
                .then(lost(RUN, "a", 1, null, DEADLINE), retryScheduled(RUN, "a", 2, DEADLINE.plusSeconds(30)));
    }

    @Test
    void without_retries_the_task_fails_for_good_saying_why_and_where_to_look() {
        given(queued())
                .when(expireLease(RUN, "z", 1), DEADLINE)
                .then(lost(RUN, "z", 1, null, DEADLINE), failedFinally(RUN, "z", 1, NOT_STARTED),
                        upstreamFailed(RUN, "b", "z"));
    }

    @Test
    void with_its_retries_used_up_the_task_fails_for_good_and_so_does_the_run() {
        Instant secondDeadline = DEADLINE.plusSeconds(30).plus(START_TIMEOUT);
        given(queuedAgain()).and(lost(RUN, "z", 1, null, DEADLINE), failedFinally(RUN, "z", 1, NOT_STARTED),
                        upstreamFailed(RUN, "b", "z"))
                .when(expireLease(RUN, "a", 2), secondDeadline)
                .then(lost(RUN, "a", 2, null, secondDeadline),
                        failedFinally(RUN, "a", 2, NOT_STARTED + " (attempt 2 of 2)"),
                        runFinished(RUN, RunStatus.FAILED, "task(s) failed: a, z", secondDeadline));
    }

    @Test
    void a_tasks_own_start_timeout_replaces_the_schedulers() {
        PipelineSpec spec = pipeline(withStartTimeout(onQueue(task("a"), GPU), Duration.ofMinutes(2)));
        Instant deadline = T0.plus(Duration.ofMinutes(2));

        given(registered(spec), runStarted(RUN), dispatchedOn(GPU, RUN, "a", 1, T0))
                .when(expireLease(RUN, "a", 1), deadline)
                .then(lost(RUN, "a", 1, null, deadline),
                        failedFinally(RUN, "a", 1, "not started within 2m: no executor took it from queue `gpu` — is an "
                                + "executor serving that queue? (If its executors were only busy, give the task a "
                                + "longer startTimeout.)"),
                        runFinished(RUN, RunStatus.FAILED, "task(s) failed: a", deadline));
    }

    @Test
    void the_schedulers_start_timeout_applies_to_tasks_that_set_none() {
        SchedulerSettings settings = new SchedulerSettings(LEASE, Duration.ofSeconds(45));
        PipelineSpec spec = pipeline(onQueue(task("a"), GPU));
        SchedulerState state = new SchedulerState();
        for (SchedulerEvent e : new SchedulerEvent[] {registered(spec), runStarted(RUN),
                dispatchedOn(GPU, RUN, "a", 1, T0)}) {
            state.apply(e);
        }
        SchedulerDecider decider = new SchedulerDecider(settings);

        assertThat(decider.decide(state, expireLease(RUN, "a", 1), seconds(44)).events()).isEmpty();
        assertThat(decider.decide(state, expireLease(RUN, "a", 1), seconds(45)).events()).containsExactly(
                lost(RUN, "a", 1, null, seconds(45)),
                failedFinally(RUN, "a", 1, "not started within 45s: no executor took it from queue `gpu` — is an "
                        + "executor serving that queue? (If its executors were only busy, give the task a longer "
                        + "startTimeout.)"),
                runFinished(RUN, RunStatus.FAILED, "task(s) failed: a", seconds(45)));
    }

    // ---- the deadline does not apply

    @Test
    void the_start_timer_before_the_deadline_does_nothing() {
        given(queued())
                .when(expireLease(RUN, "a", 1), DEADLINE.minusMillis(1))
                .thenNothing();
    }

    @Test
    void an_attempt_started_in_time_keeps_running_past_its_start_deadline() {
        // started just before the deadline, and still heartbeating when the start timer fires
        given(queued()).and(started(RUN, "a", 1, EXECUTOR, DEADLINE.minusSeconds(1)),
                        leaseRenewed(RUN, "a", 1, DEADLINE.plus(LEASE)))
                .when(expireLease(RUN, "a", 1), DEADLINE)
                .thenNothing();
    }

    @Test
    void an_attempt_started_in_time_can_succeed_after_its_start_deadline() {
        given(queued()).and(started(RUN, "a", 1, EXECUTOR, seconds(5)))
                .when(reportSucceeded(RUN, "a", 1, EXECUTOR), DEADLINE.plusSeconds(5))
                .then(SchedulerFixtures.succeeded(RUN, "a", 1, DEADLINE.plusSeconds(5)));
    }

    @Test
    void the_start_timer_of_an_earlier_attempt_does_nothing_to_the_next() {
        given(queuedAgain())
                .when(expireLease(RUN, "a", 1), DEADLINE.plus(START_TIMEOUT))
                .thenNothing();
    }

    @Test
    void the_start_timer_of_a_canceled_run_does_nothing() {
        given(queued()).and(runFinished(RUN, RunStatus.CANCELED, "stop", seconds(1)))
                .when(expireLease(RUN, "a", 1), DEADLINE)
                .thenNothing();
    }

    // ---- fencing the attempt that was given up

    @Test
    void a_late_start_of_the_abandoned_attempt_is_rejected_while_the_task_waits_to_retry() {
        given(queued()).and(lost(RUN, "a", 1, null, DEADLINE), retryScheduled(RUN, "a", 2, DEADLINE.plusSeconds(30)))
                .when(reportStarted(RUN, "a", 1, EXECUTOR), DEADLINE.plusSeconds(1))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    @Test
    void a_late_start_of_the_abandoned_attempt_is_rejected_while_the_next_one_is_queued() {
        SchedulerScenario late = given(queuedAgain())
                .when(reportStarted(RUN, "a", 1, EXECUTOR), DEADLINE.plusSeconds(31))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
        assertThat(late.rejection().message()).contains("attempt 1", "not live", "stop working on it");
    }

    @Test
    void the_next_attempt_starts_normally_after_a_late_start_was_fenced() {
        given(queuedAgain())
                .when(reportStarted(RUN, "a", 2, EXECUTOR), DEADLINE.plusSeconds(40))
                .then(started(RUN, "a", 2, EXECUTOR, DEADLINE.plusSeconds(40)));
    }

    @Test
    void heartbeats_and_results_of_the_abandoned_attempt_are_rejected() {
        given(queuedAgain())
                .when(reportHeartbeat(RUN, "a", 1, EXECUTOR), DEADLINE.plusSeconds(35))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
        given(queuedAgain())
                .when(reportSucceeded(RUN, "a", 1, EXECUTOR), DEADLINE.plusSeconds(35))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    @Test
    void a_late_start_after_the_task_failed_for_good_is_rejected() {
        given(queued()).and(lost(RUN, "z", 1, null, DEADLINE), failedFinally(RUN, "z", 1, NOT_STARTED),
                        upstreamFailed(RUN, "b", "z"))
                .when(reportStarted(RUN, "z", 1, EXECUTOR), DEADLINE.plusSeconds(1))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    private static List<DueTimer> timersOf(SchedulerEvent... history) {
        SchedulerState state = new SchedulerState();
        for (SchedulerEvent e : history) {
            state.apply(e);
        }
        RunState run = state.activeRun(RUN).orElseThrow();
        return DueTimer.of(run, state.revisionOf(run), SchedulerSettings.defaults());
    }
}
