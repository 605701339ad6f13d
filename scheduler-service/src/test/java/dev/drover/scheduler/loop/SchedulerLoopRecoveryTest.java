package dev.drover.scheduler.loop;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.RejectionCode;
import dev.drover.scheduler.core.RunState;
import dev.drover.scheduler.core.RunStatus;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.core.SchedulerEvent.TaskDispatched;
import dev.drover.scheduler.core.SchedulerEvent.TaskLost;
import dev.drover.scheduler.core.SchedulerEvent.TaskStarted;
import dev.drover.scheduler.core.SchedulerEvent.TaskSucceeded;
import dev.drover.scheduler.core.SchedulerSettings;
import dev.drover.scheduler.core.TaskStatus;
import dev.drover.scheduler.wire.CommandCodec;
import dev.drover.scheduler.wire.DispatchCodec;
import dev.drover.schemas.run.command.ExpireTaskLease;
import dev.drover.schemas.run.command.RunCommandEnvelope;
import dev.drover.schemas.task.TaskDispatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static dev.drover.scheduler.loop.SchedulerHarness.EXECUTOR;
import static dev.drover.scheduler.loop.SchedulerHarness.count;
import static dev.drover.scheduler.loop.SchedulerHarness.outcome;
import static dev.drover.scheduler.loop.SchedulerHarness.started;
import static dev.drover.scheduler.loop.SchedulerHarness.succeeded;
import static dev.drover.scheduler.loop.SchedulerHarness.types;
import static dev.drover.scheduler.loop.SchedulerHarness.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scheduler that stops and starts again (same instance id, so the same transactional id) rebuilds its state from
 * the log, and from a snapshot when there is one, then carries on: commands sent while it was down are decided once,
 * against the recovered state, and nothing it decided before is decided again.
 */
class SchedulerLoopRecoveryTest {
    private static SchedulerHarness scheduler;

    @BeforeAll
    static void openHarness() {
        scheduler = new SchedulerHarness();
    }

    @AfterEach
    void stopLoop() {
        scheduler.stopLoop();
    }

    @AfterAll
    static void closeHarness() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    /** A run of {@code a -> b} whose task {@code a} succeeded and whose task {@code b} is running. */
    private record RunInFlight(String pipelineId, String runId, TaskDispatch a, TaskDispatch b) {
    }

    private RunInFlight runUntilSecondTaskRuns() {
        String pipelineId = scheduler.register("""
                id: %s
                tasks:
                  - {id: a, type: noop}
                  - {id: b, type: noop, dependsOn: [a]}
                """.formatted(uniqueId("recovery")));
        String runId = scheduler.requestRun(pipelineId);
        TaskDispatch a = scheduler.awaitDispatch(runId, "a", 1);
        scheduler.decide(started(a, EXECUTOR), runId);
        scheduler.decide(succeeded(a, EXECUTOR, Map.of("rows", 10L)), runId);
        TaskDispatch b = scheduler.awaitDispatch(runId, "b", 1);
        assertThat(scheduler.decide(started(b, EXECUTOR), runId).event()).isInstanceOf(TaskStarted.class);
        return new RunInFlight(pipelineId, runId, a, b);
    }

    @Test
    void aRestartedLoopContinuesTheRunAndDecidesNothingTwice() {
        String instance = uniqueId("recovery");
        scheduler.startLoop(instance);
        RunInFlight run = runUntilSecondTaskRuns();
        scheduler.stopLoop();

        // reports that arrive while no scheduler runs wait in the command log
        SchedulerCommand.ReportTaskSucceeded duplicate = succeeded(run.a(), EXECUTOR, Map.of("rows", 10L));
        SchedulerCommand.ReportTaskSucceeded late = succeeded(run.b(), EXECUTOR, Map.of("model", "m-1"));
        CompletableFuture<CommandGateway.Outcome> duplicateOutcome = scheduler.send(duplicate, run.runId());
        CompletableFuture<CommandGateway.Outcome> lateOutcome = scheduler.send(late, run.runId());

        scheduler.startLoop(instance);

        EventEnvelope rejected = outcome(duplicateOutcome).event();
        assertThat(rejected.event()).isInstanceOfSatisfying(CommandRejected.class,
                r -> assertThat(r.code()).isEqualTo(RejectionCode.STALE_ATTEMPT));
        EventEnvelope success = outcome(lateOutcome).event();
        assertThat(success.event()).isInstanceOfSatisfying(TaskSucceeded.class, s -> {
            assertThat(s.taskId()).isEqualTo("b");
            assertThat(s.outputs()).isEqualTo(Map.of("model", "m-1"));
        });
        assertDecidedExactlyOnce(run, duplicate, late);
    }

    @Test
    void aStepThatDiedHalfwayLeavesNoTraceAndIsDecidedAgainByTheSuccessor() throws Exception {
        String instance = uniqueId("recovery");
        scheduler.startLoop(instance);
        RunInFlight run = runUntilSecondTaskRuns();
        int partition = scheduler.pipelineEntries(run.pipelineId()).get(0).partition();
        scheduler.stopLoop();

        SchedulerCommand.ReportTaskSucceeded duplicate = succeeded(run.a(), EXECUTOR, Map.of("rows", 10L));
        SchedulerCommand.ReportTaskSucceeded late = succeeded(run.b(), EXECUTOR, Map.of("model", "m-1"));
        CompletableFuture<CommandGateway.Outcome> duplicateOutcome = scheduler.send(duplicate, run.runId());
        CompletableFuture<CommandGateway.Outcome> lateOutcome = scheduler.send(late, run.runId());

        // The instance comes back, decides the late report, writes the event and a dispatch, and dies before it
        // commits: its transaction stays open in the log.
        Instant now = Instant.now();
        TaskSucceeded ghost = new TaskSucceeded(run.pipelineId(), run.runId(), "b", 1, Map.of("model", "ghost"), now);
        TaskDispatched ghostDispatch = new TaskDispatched(run.pipelineId(), run.runId(), "b", 9, "noop",
                SchedulerHarness.QUEUE, Map.of(), 1000, now);
        KafkaProducer<String, byte[]> dying = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "drover-scheduler-" + instance,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        dying.initTransactions();
        dying.beginTransaction();
        long ghostOffset = dying.send(new ProducerRecord<>(Topics.RUN_EVENTS, partition, run.pipelineId(),
                scheduler.codec().encodeEvent(new EventEnvelope(late.commandId() + "#ghost", now, run.pipelineId(),
                        late.commandId(), run.runId(), ghost)))).get().offset();
        dying.send(new ProducerRecord<>(Topics.dispatch(SchedulerHarness.QUEUE), run.runId(),
                DispatchCodec.encode("ghost-dispatch", ghostDispatch))).get();
        dying.close(Duration.ZERO); // a crash: no abort, the transaction is left open
        assertThat(lastStableOffset(partition)).as("the open transaction holds back read_committed readers")
                .isLessThanOrEqualTo(ghostOffset);

        // its successor (same instance id) fences it, which aborts the open transaction, and decides again
        scheduler.startLoop(instance);

        assertThat(outcome(duplicateOutcome).event().event()).isInstanceOf(CommandRejected.class);
        EventEnvelope success = outcome(lateOutcome).event();
        assertThat(success.eventId()).doesNotContain("ghost");
        assertThat(((TaskSucceeded) success.event()).outputs()).isEqualTo(Map.of("model", "m-1"));
        assertDecidedExactlyOnce(run, duplicate, late);
        assertThat(scheduler.pipelineEvents(run.pipelineId())).noneMatch(e -> e.eventId().contains("ghost"));
        assertThat(scheduler.dispatches(run.runId())).extracting(TaskDispatch::getDispatchId)
                .doesNotContain("ghost-dispatch").hasSize(2);
    }

    @Test
    void aRestartedLoopRecoversFromItsSnapshot() {
        String instance = uniqueId("recovery");
        scheduler.startLoop(instance, Duration.ofSeconds(30), 1);
        RunInFlight run = runUntilSecondTaskRuns();
        int partition = scheduler.pipelineEntries(run.pipelineId()).get(0).partition();
        scheduler.stopLoop();

        // the latest snapshot of the run's partition covers every event in it, the run's included
        SnapshotCodec.Snapshot snapshot = latestSnapshot(partition);
        long lastRunEvent = scheduler.pipelineEntries(run.pipelineId()).stream()
                .mapToLong(TopicReader.Entry::offset).max().orElseThrow();
        assertThat(snapshot.eventsOffset()).isGreaterThanOrEqualTo(lastRunEvent);
        RunState inSnapshot = snapshot.state().activeRun(run.runId()).orElseThrow();
        assertThat(inSnapshot.tasks().get("a").status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(inSnapshot.tasks().get("a").outputs()).isEqualTo(Map.of("rows", 10L));
        assertThat(inSnapshot.tasks().get("b").status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(inSnapshot.tasks().get("b").executorId()).isEqualTo(EXECUTOR);

        // and recovery starts from it: nothing is left to replay after it
        try (StateRecovery recovery = new StateRecovery(TestInfrastructure.kafkaBootstrap(), scheduler.codec(),
                SchedulerSettings.defaults())) {
            PartitionState recovered = recovery.recover(List.of(partition)).get(partition);
            assertThat(recovered.eventsSinceSnapshot).isZero();
            assertThat(recovered.lastEventOffset).isEqualTo(snapshot.eventsOffset());
            RunState state = recovered.state.activeRun(run.runId()).orElseThrow();
            assertThat(state.tasks().get("b").status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(state.tasks().get("b").attempt()).isEqualTo(1);
            assertThat(recovered.state.pipelineState(run.pipelineId()).orElseThrow().runIds())
                    .containsExactly(run.runId());
        }

        SchedulerCommand.ReportTaskSucceeded duplicate = succeeded(run.a(), EXECUTOR, Map.of("rows", 10L));
        SchedulerCommand.ReportTaskSucceeded late = succeeded(run.b(), EXECUTOR, Map.of("model", "m-1"));
        CompletableFuture<CommandGateway.Outcome> duplicateOutcome = scheduler.send(duplicate, run.runId());
        CompletableFuture<CommandGateway.Outcome> lateOutcome = scheduler.send(late, run.runId());
        scheduler.startLoop(instance, Duration.ofSeconds(30), 1);

        assertThat(outcome(duplicateOutcome).event().event()).isInstanceOfSatisfying(CommandRejected.class,
                r -> assertThat(r.code()).isEqualTo(RejectionCode.STALE_ATTEMPT));
        assertThat(outcome(lateOutcome).event().event()).isInstanceOf(TaskSucceeded.class);
        assertDecidedExactlyOnce(run, duplicate, late);

        // the recovered state numbers the next run after the snapshotted one
        String next = scheduler.requestRun(run.pipelineId());
        assertThat(next).isEqualTo(run.pipelineId() + ".2");
        scheduler.decide(SchedulerHarness.cancel(run.pipelineId(), next), next);
    }

    @Test
    void aTimerThatFallsDueWhileTheSchedulerIsDownFiresAfterRecovery() {
        String instance = uniqueId("recovery");
        Duration lease = Duration.ofSeconds(3);
        scheduler.startLoop(instance, lease, 1);
        String pipelineId = scheduler.register("""
                id: %s
                tasks:
                  - id: work
                    type: noop
                    retries: {count: 1, initialDelay: 1h, jitter: 0}
                """.formatted(uniqueId("recovery")));
        String runId = scheduler.requestRun(pipelineId);
        TaskDispatch work = scheduler.awaitDispatch(runId, "work", 1);
        TaskStarted start = (TaskStarted) scheduler.decide(started(work, EXECUTOR), runId).event();
        scheduler.stopLoop();
        try (TopicReader<RunCommandEnvelope> commands = new TopicReader<>(Topics.RUN_COMMANDS, CommandCodec::decode)) {
            assertThat(commands.readToEnd()).as("the first loop stopped before the lease expired")
                    .noneMatch(c -> c.value() != null && c.value().getPayload() instanceof ExpireTaskLease
                            && runId.equals(c.value().getCorrelationId()));

            // the executor dies with the scheduler; the lease is a due time in the recovered state (a snapshot here)
            scheduler.startLoop(instance, lease, 1);
            EventEnvelope lost = scheduler.awaitEvent(pipelineId, TaskLost.class, l -> l.attempt() == 1);
            assertThat(lost.timestamp()).isAfterOrEqualTo(start.leaseExpiresAt());
            RunCommandEnvelope expiry = commands.awaitFirst("the lease timer", c ->
                    c.getPayload() instanceof ExpireTaskLease && runId.equals(c.getCorrelationId()));
            assertThat(lost.causationId()).isEqualTo(expiry.getCommandId());
        }
        assertThat(count(scheduler.pipelineEvents(pipelineId), TaskLost.class, l -> true)).isEqualTo(1);
        scheduler.decide(SchedulerHarness.cancel(pipelineId, runId), runId);
    }

    private static void assertDecidedExactlyOnce(RunInFlight run, SchedulerCommand duplicate,
                                                 SchedulerCommand late) {
        List<EventEnvelope> events = scheduler.awaitPipelineEvents(run.pipelineId(), "the end of the run",
                all -> all.stream().anyMatch(e -> e.event() instanceof RunFinished));
        assertThat(types(events)).containsExactly("PipelineRegistered", "RunStarted", "TaskDispatched",
                "TaskStarted", "TaskSucceeded", "TaskDispatched", "TaskStarted", "CommandRejected", "TaskSucceeded",
                "RunFinished");
        assertThat(count(events, RunStarted.class, e -> true)).isEqualTo(1);
        assertThat(count(events, TaskSucceeded.class, e -> e.taskId().equals("a"))).isEqualTo(1);
        assertThat(count(events, TaskSucceeded.class, e -> e.taskId().equals("b"))).isEqualTo(1);
        assertThat(events.get(7).causationId()).isEqualTo(duplicate.commandId());
        assertThat(events.get(8).causationId()).isEqualTo(late.commandId());
        assertThat(events.get(9).causationId()).isEqualTo(late.commandId());
        assertThat(((RunFinished) events.get(9).event()).status()).isEqualTo(RunStatus.SUCCEEDED);
        Set<String> ids = new HashSet<>();
        events.forEach(e -> assertThat(ids.add(e.eventId())).as("event id %s appears once", e.eventId()).isTrue());
    }

    private static long lastStableOffset(int partition) throws Exception {
        TopicPartition tp = new TopicPartition(Topics.RUN_EVENTS, partition);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrap()))) {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(tp).get().offset();
        }
    }

    private static SnapshotCodec.Snapshot latestSnapshot(int partition) {
        try (TopicReader<SnapshotCodec.Snapshot> snapshots = new TopicReader<>(Topics.SCHEDULER_SNAPSHOTS,
                SnapshotCodec::decode)) {
            List<TopicReader.Entry<SnapshotCodec.Snapshot>> entries = snapshots.readToEnd();
            return entries.stream().filter(e -> ("partition-" + partition).equals(e.key()))
                    .reduce((first, second) -> second).orElseThrow().value();
        }
    }
}
