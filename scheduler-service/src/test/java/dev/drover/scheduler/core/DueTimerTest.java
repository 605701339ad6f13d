package dev.drover.scheduler.core;

import dev.drover.scheduler.core.DueTimer.Kind;
import dev.drover.scheduler.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.LEASE;
import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
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

    static RunState run(SchedulerEvent... more) {
        SchedulerState state = new SchedulerState();
        for (SchedulerEvent e : history()) {
            state.apply(e);
        }
        for (SchedulerEvent e : more) {
            state.apply(e);
        }
        return state.activeRun(RUN).orElseThrow();
    }

    @Test
    void a_running_attempt_holds_its_lease_and_timeout_and_a_retrying_task_its_backoff() {
        assertThat(DueTimer.of(run())).containsExactlyInAnyOrder(
                new DueTimer(T0.plus(LEASE), Kind.LEASE, PIPELINE, RUN, "running", 1),
                new DueTimer(T0.plus(TIMEOUT), Kind.TIMEOUT, PIPELINE, RUN, "running", 1),
                new DueTimer(seconds(36), Kind.RETRY, PIPELINE, RUN, "retrying", 2));
    }

    @Test
    void a_renewed_lease_moves_the_lease_timer() {
        assertThat(DueTimer.of(run(leaseRenewed(RUN, "running", 1, seconds(30)))))
                .contains(new DueTimer(seconds(30), Kind.LEASE, PIPELINE, RUN, "running", 1))
                .doesNotContain(new DueTimer(T0.plus(LEASE), Kind.LEASE, PIPELINE, RUN, "running", 1));
    }

    @Test
    void an_ended_attempt_holds_no_timers() {
        assertThat(DueTimer.of(run(lost(RUN, "running", 1, EXECUTOR, seconds(15)),
                SchedulerFixtures.failedFinally(RUN, "running", 1, "lost"),
                SchedulerFixtures.upstreamFailed(RUN, "later", "running"),
                dispatched(RUN, "retrying", 2, seconds(36)))))
                .isEmpty();
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
    }

    @Test
    void the_same_due_time_always_gets_the_same_command_id() {
        assertThat(DueTimer.of(run()).stream().map(t -> t.toCommand().commandId()))
                .containsExactlyInAnyOrderElementsOf(DueTimer.of(run()).stream().map(t -> t.toCommand().commandId())
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
        DueTimer lease = DueTimer.of(run()).stream().filter(t -> t.kind() == Kind.LEASE).findFirst().orElseThrow();

        given(history())
                .when(lease.toCommand(), lease.dueAt())
                .then(lost(RUN, "running", 1, EXECUTOR, lease.dueAt()),
                        SchedulerFixtures.failedFinally(RUN, "running", 1,
                                "executor exec-1 stopped renewing its lease"),
                        SchedulerFixtures.upstreamFailed(RUN, "later", "running"));
    }

    @Test
    void the_retry_timer_of_a_retrying_task_dispatches_its_next_attempt() {
        DueTimer retry = DueTimer.of(run()).stream().filter(t -> t.kind() == Kind.RETRY).findFirst().orElseThrow();

        given(history())
                .when(retry.toCommand(), retry.dueAt())
                .then(dispatched(RUN, "retrying", 2, seconds(36)));
    }
}
