package dev.drover.scheduler.loop;

import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.RejectionCode;
import dev.drover.scheduler.core.RunStatus;
import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.TaskDispatched;
import dev.drover.scheduler.core.SchedulerEvent.TaskFailedFinally;
import dev.drover.scheduler.core.SchedulerEvent.TaskLeaseRenewed;
import dev.drover.scheduler.core.SchedulerEvent.TaskLost;
import dev.drover.scheduler.core.SchedulerEvent.TaskRetryScheduled;
import dev.drover.scheduler.core.SchedulerEvent.TaskStarted;
import dev.drover.scheduler.core.SchedulerEvent.TaskSucceeded;
import dev.drover.scheduler.core.SchedulerEvent.TaskTimedOut;
import dev.drover.scheduler.wire.CommandCodec;
import dev.drover.scheduler.wire.DispatchCodec;
import dev.drover.schemas.run.command.DispatchRetry;
import dev.drover.schemas.run.command.ExpireTaskLease;
import dev.drover.schemas.run.command.RunCommandEnvelope;
import dev.drover.schemas.run.command.TimeOutTask;
import dev.drover.schemas.task.TaskDispatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static dev.drover.scheduler.loop.SchedulerHarness.EXECUTOR;
import static dev.drover.scheduler.loop.SchedulerHarness.count;
import static dev.drover.scheduler.loop.SchedulerHarness.heartbeat;
import static dev.drover.scheduler.loop.SchedulerHarness.started;
import static dev.drover.scheduler.loop.SchedulerHarness.succeeded;
import static dev.drover.scheduler.loop.SchedulerHarness.types;
import static dev.drover.scheduler.loop.SchedulerHarness.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start deadlines, timeouts, leases and retry backoffs with real time: when a due time passes, the loop appends the timer command to
 * {@code drover.run.commands} and decides it like any other, so a timer's effect is caused by a logged command.
 */
class SchedulerTimersTest {
    private static SchedulerHarness scheduler;
    private static TopicReader<RunCommandEnvelope> commands;

    @BeforeAll
    static void openHarness() {
        scheduler = new SchedulerHarness();
        commands = new TopicReader<>(Topics.RUN_COMMANDS, CommandCodec::decode);
    }

    @AfterEach
    void stopLoop() {
        scheduler.stopLoop();
    }

    @AfterAll
    static void closeHarness() {
        if (commands != null) {
            commands.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    void anAttemptThatOutlivesItsTimeoutTimesOutAndIsRetried() {
        scheduler.startLoop(uniqueId("timers"), Duration.ofSeconds(30), 1_000_000);
        String pipelineId = scheduler.register("""
                id: %s
                tasks:
                  - id: slow
                    type: noop
                    timeout: 1s
                    retries: {count: 1, initialDelay: 100ms, jitter: 0}
                """.formatted(uniqueId("timeout")));
        String runId = scheduler.requestRun(pipelineId);
        TaskDispatch first = scheduler.awaitDispatch(runId, "slow", 1);
        assertThat(first.getTimeoutMs()).isEqualTo(1000);
        TaskStarted start = (TaskStarted) scheduler.decide(started(first, EXECUTOR), runId).event();

        // the executor never reports back
        TaskDispatch second = scheduler.awaitDispatch(runId, "slow", 2);
        List<EventEnvelope> events = scheduler.pipelineEvents(pipelineId);
        assertThat(types(events)).containsExactly("PipelineRegistered", "RunStarted", "TaskDispatched", "TaskStarted",
                "TaskTimedOut", "TaskRetryScheduled", "TaskDispatched");
        EventEnvelope timedOut = events.get(4);
        assertThat(timedOut.event()).isInstanceOfSatisfying(TaskTimedOut.class,
                t -> assertThat(t.attempt()).isEqualTo(1));
        assertThat(timedOut.timestamp()).isAfterOrEqualTo(start.timeoutAt());
        TaskRetryScheduled retry = (TaskRetryScheduled) events.get(5).event();
        assertThat(retry.nextAttempt()).isEqualTo(2);
        assertThat(retry.dueAt()).isEqualTo(timedOut.timestamp().plusMillis(100));
        EventEnvelope redispatched = events.get(6);
        assertThat(((TaskDispatched) redispatched.event()).attempt()).isEqualTo(2);
        assertThat(redispatched.timestamp()).isAfterOrEqualTo(retry.dueAt());
        assertThat(second.getDispatchId()).isEqualTo(redispatched.eventId());

        // both timers were logged commands, appended by the scheduler itself, and caused what followed
        RunCommandEnvelope timeout = awaitTimerCommand(runId, TimeOutTask.class);
        assertThat(((TimeOutTask) timeout.getPayload()).getAttempt()).isEqualTo(1);
        assertThat(timeout.getIssuedBy()).isEqualTo("scheduler");
        assertThat(timeout.getCorrelationId()).isEqualTo(runId);
        assertThat(timedOut.causationId()).isEqualTo(timeout.getCommandId());
        assertThat(events.get(5).causationId()).isEqualTo(timeout.getCommandId());
        RunCommandEnvelope dispatchRetry = awaitTimerCommand(runId, DispatchRetry.class);
        assertThat(((DispatchRetry) dispatchRetry.getPayload()).getAttempt()).isEqualTo(2);
        assertThat(redispatched.causationId()).isEqualTo(dispatchRetry.getCommandId());

        // the timed-out attempt is fenced off; the new one can finish the run
        EventEnvelope late = scheduler.decide(succeeded(first, EXECUTOR, Map.of()), runId);
        assertThat(late.event()).isInstanceOfSatisfying(CommandRejected.class,
                r -> assertThat(r.code()).isEqualTo(RejectionCode.STALE_ATTEMPT));
        scheduler.decide(started(second, EXECUTOR), runId);
        EventEnvelope done = scheduler.decide(succeeded(second, EXECUTOR, Map.of()), runId);
        assertThat(done.event()).isInstanceOfSatisfying(TaskSucceeded.class,
                s -> assertThat(s.attempt()).isEqualTo(2));
        EventEnvelope finished = scheduler.awaitEvent(pipelineId, RunFinished.class, f -> true);
        assertThat(((RunFinished) finished.event()).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void anAttemptWhoseExecutorStopsHeartbeatingIsLostAndItsLateReportsAreRejected() {
        scheduler.startLoop(uniqueId("timers"), Duration.ofSeconds(1), 1_000_000);
        String pipelineId = scheduler.register("""
                id: %s
                tasks:
                  - id: work
                    type: noop
                    retries: {count: 1, initialDelay: 1h, jitter: 0}
                """.formatted(uniqueId("lease")));
        String runId = scheduler.requestRun(pipelineId);
        TaskDispatch first = scheduler.awaitDispatch(runId, "work", 1);
        TaskStarted start = (TaskStarted) scheduler.decide(started(first, EXECUTOR), runId).event();
        assertThat(start.leaseExpiresAt()).isEqualTo(start.at().plusSeconds(1));

        // no heartbeat follows
        EventEnvelope lost = scheduler.awaitEvent(pipelineId, TaskLost.class, l -> l.attempt() == 1);
        assertThat(((TaskLost) lost.event()).executorId()).isEqualTo(EXECUTOR);
        assertThat(lost.timestamp()).isAfterOrEqualTo(start.leaseExpiresAt());
        List<EventEnvelope> events = scheduler.pipelineEvents(pipelineId);
        assertThat(types(events)).containsExactly("PipelineRegistered", "RunStarted", "TaskDispatched", "TaskStarted",
                "TaskLost", "TaskRetryScheduled");
        RunCommandEnvelope expiry = awaitTimerCommand(runId, ExpireTaskLease.class);
        assertThat(((ExpireTaskLease) expiry.getPayload()).getAttempt()).isEqualTo(1);
        assertThat(lost.causationId()).isEqualTo(expiry.getCommandId());

        // the executor comes back from its pause: fenced by attempt number
        EventEnvelope lateSuccess = scheduler.decide(succeeded(first, EXECUTOR, Map.of("model", "stale")), runId);
        assertThat(lateSuccess.event()).isInstanceOfSatisfying(CommandRejected.class,
                r -> assertThat(r.code()).isEqualTo(RejectionCode.STALE_ATTEMPT));
        EventEnvelope lateBeat = scheduler.decide(heartbeat(first, EXECUTOR), runId);
        assertThat(lateBeat.event()).isInstanceOfSatisfying(CommandRejected.class,
                r -> assertThat(r.code()).isEqualTo(RejectionCode.STALE_ATTEMPT));
        assertThat(count(scheduler.pipelineEvents(pipelineId), TaskSucceeded.class, s -> true)).isZero();

        scheduler.decide(SchedulerHarness.cancel(pipelineId, runId), runId);
    }

    @Test
    void heartbeatsKeepAnAttemptAlivePastItsFirstLease() {
        Duration lease = Duration.ofSeconds(2);
        scheduler.startLoop(uniqueId("timers"), lease, 1_000_000);
        String pipelineId = scheduler.register("""
                id: %s
                tasks:
                  - {id: work, type: noop}
                """.formatted(uniqueId("renew")));
        String runId = scheduler.requestRun(pipelineId);
        TaskDispatch attempt = scheduler.awaitDispatch(runId, "work", 1);
        TaskStarted start = (TaskStarted) scheduler.decide(started(attempt, EXECUTOR), runId).event();

        // a healthy executor beats every 100 ms; the scheduler renews once less than half the lease is left, so the
        // second renewal happens after the first lease would have expired
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
        try {
            beats.scheduleAtFixedRate(() -> scheduler.send(heartbeat(attempt, EXECUTOR), runId), 0, 100,
                    TimeUnit.MILLISECONDS);
            List<EventEnvelope> events = scheduler.awaitPipelineEvents(pipelineId, "two lease renewals",
                    all -> count(all, TaskLeaseRenewed.class, r -> true) >= 2);
            List<EventEnvelope> renewals = events.stream().filter(e -> e.event() instanceof TaskLeaseRenewed)
                    .toList();
            assertThat(renewals.get(1).timestamp()).isAfter(start.leaseExpiresAt());
            assertThat(((TaskLeaseRenewed) renewals.get(1).event()).leaseExpiresAt())
                    .isAfter(start.leaseExpiresAt().plus(lease));
            assertThat(count(events, TaskLost.class, l -> true)).isZero();
        } finally {
            beats.shutdownNow();
        }

        scheduler.decide(succeeded(attempt, EXECUTOR, Map.of()), runId);
        EventEnvelope finished = scheduler.awaitEvent(pipelineId, RunFinished.class, f -> true);
        assertThat(((RunFinished) finished.event()).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(count(scheduler.pipelineEvents(pipelineId), TaskLost.class, l -> true)).isZero();
    }

    @Test
    void anAttemptNoExecutorStartsIsLostAtItsStartDeadlineRetriedAndThenFailsTheRunSayingWhy() {
        scheduler.startLoop(uniqueId("timers"), Duration.ofSeconds(30), 1_000_000);
        String queue = uniqueId("nobody"); // no executor serves it, in this test or any other
        String pipelineId = scheduler.register("""
                id: %s
                tasks:
                  - id: fit
                    type: noop
                    queue: %s
                    startTimeout: 1s
                    retries: {count: 1, initialDelay: 100ms, jitter: 0}
                """.formatted(uniqueId("unserved"), queue));
        String runId = scheduler.requestRun(pipelineId);

        EventEnvelope finished = scheduler.awaitEvent(pipelineId, RunFinished.class, f -> f.runId().equals(runId));
        List<EventEnvelope> events = scheduler.pipelineEvents(pipelineId);
        assertThat(types(events)).containsExactly("PipelineRegistered", "RunStarted", "TaskDispatched", "TaskLost",
                "TaskRetryScheduled", "TaskDispatched", "TaskLost", "TaskFailedFinally", "RunFinished");
        for (int i : new int[] {2, 5}) {
            TaskDispatched dispatched = (TaskDispatched) events.get(i).event();
            assertThat(dispatched.queue()).isEqualTo(queue);
            EventEnvelope lost = events.get(i + 1);
            assertThat(lost.event()).isInstanceOfSatisfying(TaskLost.class, l -> {
                assertThat(l.attempt()).isEqualTo(dispatched.attempt());
                assertThat(l.executorId()).as("lost in the queue, not by an executor").isNull();
            });
            assertThat(lost.timestamp()).isAfterOrEqualTo(dispatched.at().plusSeconds(1));
        }
        String notStarted = "not started within 1s: no executor took it from queue `" + queue + "` — is an executor "
                + "serving that queue? (If its executors were only busy, give the task a longer startTimeout.)";
        assertThat(events.get(7).event()).isInstanceOfSatisfying(TaskFailedFinally.class,
                f -> assertThat(f.reason()).isEqualTo(notStarted + " (attempt 2 of 2)"));
        assertThat(finished.event()).isInstanceOfSatisfying(RunFinished.class, f -> {
            assertThat(f.status()).isEqualTo(RunStatus.FAILED);
            assertThat(f.reason()).isEqualTo("task(s) failed: fit");
        });

        // the deadline was a timer command the scheduler logged, and it caused the loss
        RunCommandEnvelope expiry = awaitTimerCommand(runId, ExpireTaskLease.class);
        assertThat(expiry.getCommandId()).startsWith("timer:start:" + runId + ":fit:1:");
        assertThat(expiry.getIssuedBy()).isEqualTo("scheduler");
        assertThat(events.get(3).causationId()).isEqualTo(expiry.getCommandId());

        // both dispatches are on the queue's topic, where nobody takes them; a late taker is refused
        try (TopicReader<TaskDispatch> unserved = new TopicReader<>(Topics.dispatch(queue),
                DispatchCodec.codec()::decode)) {
            unserved.awaitUntil("both dispatches of " + runId, all -> all.size() == 2);
            TaskDispatch first = unserved.values(d -> d.getAttempt() == 1).get(0);
            EventEnvelope late = scheduler.decide(started(first, EXECUTOR), runId);
            assertThat(late.event()).isInstanceOfSatisfying(CommandRejected.class,
                    r -> assertThat(r.code()).isEqualTo(RejectionCode.RUN_FINISHED));
        }
    }

    @Test
    void aLateStartOfAnAttemptGivenUpInTheQueueIsRejectedAsStale() {
        scheduler.startLoop(uniqueId("timers"), Duration.ofSeconds(30), 1_000_000);
        String queue = uniqueId("nobody");
        String pipelineId = scheduler.register("""
                id: %s
                tasks:
                  - id: fit
                    type: noop
                    queue: %s
                    startTimeout: 1s
                    retries: {count: 1, initialDelay: 1h, jitter: 0}
                """.formatted(uniqueId("late"), queue));
        String runId = scheduler.requestRun(pipelineId);
        EventEnvelope lost = scheduler.awaitEvent(pipelineId, TaskLost.class, l -> l.attempt() == 1);
        assertThat(((TaskLost) lost.event()).executorId()).isNull();

        // an executor (say, one that crashed on the record and came back) takes the attempt after all
        try (TopicReader<TaskDispatch> unserved = new TopicReader<>(Topics.dispatch(queue),
                DispatchCodec.codec()::decode)) {
            TaskDispatch first = unserved.awaitFirst("dispatch of " + runId, d -> d.getRunId().equals(runId));
            EventEnvelope lateStart = scheduler.decide(started(first, EXECUTOR), runId);
            assertThat(lateStart.event()).isInstanceOfSatisfying(CommandRejected.class, r -> {
                assertThat(r.code()).isEqualTo(RejectionCode.STALE_ATTEMPT);
                assertThat(r.message()).contains("attempt 1", "stop working on it");
            });
            EventEnvelope lateBeat = scheduler.decide(heartbeat(first, EXECUTOR), runId);
            assertThat(lateBeat.event()).isInstanceOfSatisfying(CommandRejected.class,
                    r -> assertThat(r.code()).isEqualTo(RejectionCode.STALE_ATTEMPT));
        }
        assertThat(types(scheduler.pipelineEvents(pipelineId))).containsExactly("PipelineRegistered", "RunStarted",
                "TaskDispatched", "TaskLost", "TaskRetryScheduled", "CommandRejected", "CommandRejected");

        scheduler.decide(SchedulerHarness.cancel(pipelineId, runId), runId);
    }

    private static RunCommandEnvelope awaitTimerCommand(String runId, Class<?> payload) {
        return commands.awaitFirst(payload.getSimpleName() + " of " + runId, c -> payload.isInstance(c.getPayload())
                && runId.equals(c.getCorrelationId()));
    }
}
