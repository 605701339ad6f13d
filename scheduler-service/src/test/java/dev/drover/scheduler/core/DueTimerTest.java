package dev.drover.scheduler.core;

import dev.drover.scheduler.core.DueTimer.Kind;
import dev.drover.scheduler.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.LEASE;
import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.START_TIMEOUT;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.TIMEOUT;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.failed;
import static dev.drover.scheduler.core.SchedulerFixtures.leaseRenewed;
import static dev.drover.scheduler.core.SchedulerFixtures.lost;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.retries;
import static dev.drover.scheduler.core.SchedulerFixtures.retryScheduled;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.succeeded;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerFixtures.withRetry;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The due times a run holds, and the timer commands they become. */
class DueTimerTest {
    /** running (leased), retrying (backoff), queued (dispatched), done (succeeded), later (pending). */
    static final PipelineSpec SPEC = pipeline(task("running"), task("queued"), task("done"),
            withRetry(task("retrying"), retries(2, Duration.ofSeconds(30), 2.0, Duration.ofMinutes(5))),
            task("later", "running"));

    static SchedulerEvent[] history() {
        return new SchedulerEvent[] {registered(SPEC), runStarted(RUN),
                dispatched(RUN, "running", 1, T0), dispatched(RUN, "queued", 1, T0), dispatched(RUN, "done", 1, T0),
                dispatched(RUN, "retrying", 1, T0), started(RUN, "running", 1, EXECUTOR, T0),
                started(RUN, "done", 1, EXECUTOR, T0), started(RUN, "retrying", 1, EXECUTOR, T0),
                succeeded(RUN, "done", 1, seconds(5)), failed(RUN, "retrying", 1, "boom", 1, seconds(6)),
                retryScheduled(RUN, "retrying", 2, seconds(36))};
    }

    /** The timers of the run after {@link #history()} and {@code more}, under the default settings. */
    static List<DueTimer> timers(SchedulerEvent... more) {
        return timers(SchedulerSettings.defaults(), more);
    }

    static List<DueTimer> timers(SchedulerSettings settings, SchedulerEvent... more) {
        SchedulerState state = new SchedulerState();
        for (SchedulerEvent e : history()) {
            state.apply(e);
        }
        for (SchedulerEvent e : more) {
            state.apply(e);
        }
        RunState run = state.activeRun(RUN).orElseThrow();
        return DueTimer.of(run, state.revisionOf(run), settings);
    }

    @Test
    void running_attempts_hold_lease_and_timeout_queued_ones_their_start_deadline_retrying_tasks_their_backoff() {
        assertThat(timers()).containsExactlyInAnyOrder(
                new DueTimer(T0.plus(START_TIMEOUT), Kind.START, PIPELINE, RUN, "queued", 1),
                new DueTimer(T0.plus(LEASE), Kind.LEASE, PIPELINE, RUN, "running", 1),
                new DueTimer(T0.plus(TIMEOUT), Kind.TIMEOUT, PIPELINE, RUN, "running", 1),
                new DueTimer(seconds(36), Kind.RETRY, PIPELINE, RUN, "retrying", 2));
    }

    @Test
    void the_start_deadline_runs_from_the_dispatch_for_the_schedulers_start_timeout() {
        Duration startTimeout = Duration.ofMinutes(3);
        SchedulerSettings settings = new SchedulerSettings(LEASE, startTimeout);

        assertThat(timers(settings)).filteredOn(t -> t.kind() == Kind.START)
                .containsExactly(new DueTimer(T0.plus(startTimeout), Kind.START, PIPELINE, RUN, "queued", 1));
        assertThat(timers(settings, dispatched(RUN, "retrying", 2, seconds(36))))
                .filteredOn(t -> t.kind() == Kind.START)
                .containsExactlyInAnyOrder(
                        new DueTimer(T0.plus(startTimeout), Kind.START, PIPELINE, RUN, "queued", 1),
                        new DueTimer(seconds(36).plus(startTimeout), Kind.START, PIPELINE, RUN, "retrying", 2));
    }

    @Test
    void a_started_attempt_no_longer_holds_its_start_deadline() {
        assertThat(timers(started(RUN, "queued", 1, EXECUTOR, seconds(20))))
                .noneMatch(t -> t.kind() == Kind.START)
                .contains(new DueTimer(seconds(20).plus(LEASE), Kind.LEASE, PIPELINE, RUN, "queued", 1));
    }

    @Test
    void a_renewed_lease_moves_the_lease_timer() {
        assertThat(timers(leaseRenewed(RUN, "running", 1, seconds(30))))
                .contains(new DueTimer(seconds(30), Kind.LEASE, PIPELINE, RUN, "running", 1))
                .doesNotContain(new DueTimer(T0.plus(LEASE), Kind.LEASE, PIPELINE, RUN, "running", 1));
    }

    @Test
    void an_ended_attempt_holds_no_timers() {
        // what is left are the start deadlines of the attempts waiting in the queue
        assertThat(timers(lost(RUN, "running", 1, EXECUTOR, seconds(15)),
                SchedulerFixtures.failedFinally(RUN, "running", 1, "lost"),
                SchedulerFixtures.upstreamFailed(RUN, "later", "running"),
                dispatched(RUN, "retrying", 2, seconds(36))))
                .containsExactlyInAnyOrder(
                        new DueTimer(T0.plus(START_TIMEOUT), Kind.START, PIPELINE, RUN, "queued", 1),
                        new DueTimer(seconds(36).plus(START_TIMEOUT), Kind.START, PIPELINE, RUN, "retrying", 2));
    }

    @Test
    void a_timer_becomes_its_command() {
        assertThat(new DueTimer(seconds(15), Kind.LEASE, PIPELINE, RUN, "a", 1).toCommand())
                .isEqualTo(new SchedulerCommand.ExpireTaskLease("timer:lease:train.1:a:1:" + seconds(15).toEpochMilli(),
                        PIPELINE, RUN, "a", 1));
        assertThat(new DueTimer(seconds(600), Kind.TIMEOUT, PIPELINE, RUN, "a", 1).toCommand())
                .isEqualTo(new SchedulerCommand.TimeOutTask("timer:timeout:train.1:a:1:" + seconds(600).toEpochMilli(),
                        PIPELINE, RUN, "a", 1));
        assertThat(new DueTimer(seconds(36), Kind.RETRY, PIPELINE, RUN, "a", 2).toCommand())
                .isEqualTo(new SchedulerCommand.DispatchRetry("timer:retry:train.1:a:2:" + seconds(36).toEpochMilli(),
                        PIPELINE, RUN, "a", 2));
        // a start deadline is decided as the expiry of the queue's lease on the attempt: no new command on the wire
        assertThat(new DueTimer(seconds(600), Kind.START, PIPELINE, RUN, "a", 1).toCommand())
                .isEqualTo(new SchedulerCommand.ExpireTaskLease("timer:start:train.1:a:1:" + seconds(600).toEpochMilli(),
                        PIPELINE, RUN, "a", 1));
    }

    @Test
    void the_same_due_time_always_gets_the_same_command_id() {
        assertThat(timers().stream().map(t -> t.toCommand().commandId()))
                .containsExactlyInAnyOrderElementsOf(timers().stream().map(t -> t.toCommand().commandId())
                        .toList())
                .doesNotHaveDuplicates();
    }

    @Test
    void a_moved_due_time_gets_a_new_command_id() {
        DueTimer first = new DueTimer(seconds(15), Kind.LEASE, PIPELINE, RUN, "a", 1);
        DueTimer renewed = new DueTimer(seconds(25), Kind.LEASE, PIPELINE, RUN, "a", 1);
        assertThat(first.toCommand().commandId()).isNotEqualTo(renewed.toCommand().commandId());
    }

    @Test
    void the_expired_lease_timer_of_a_running_attempt_declares_it_lost() {
        DueTimer lease = timers().stream().filter(t -> t.kind() == Kind.LEASE).findFirst().orElseThrow();

        given(history())
                .when(lease.toCommand(), lease.dueAt())
                .then(lost(RUN, "running", 1, EXECUTOR, lease.dueAt()),
                        SchedulerFixtures.failedFinally(RUN, "running", 1,
                                "executor exec-1 stopped renewing its lease"),
                        SchedulerFixtures.upstreamFailed(RUN, "later", "running"));
    }

    @Test
    void the_retry_timer_of_a_retrying_task_dispatches_its_next_attempt() {
        DueTimer retry = timers().stream().filter(t -> t.kind() == Kind.RETRY).findFirst().orElseThrow();

        given(history())
                .when(retry.toCommand(), retry.dueAt())
                .then(dispatched(RUN, "retrying", 2, seconds(36)));
    }
}
