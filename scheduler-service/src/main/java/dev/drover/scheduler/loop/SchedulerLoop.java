package dev.drover.scheduler.loop;

import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.Decision;
import dev.drover.scheduler.core.DueTimer;
import dev.drover.scheduler.core.PoolProtocol;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerDecider;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.core.SchedulerEvent.RunEvent;
import dev.drover.scheduler.core.SchedulerEvent.TaskDispatched;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduler's exactly-once loop: consume commands, decide, append the events (and the dispatches they imply),
 * and commit the consumed offsets in the same Kafka transaction.
 *
 * <p>A crash at any point either loses the whole step (the commands are consumed again by whoever owns the partition
 * next, against a state rebuilt from the same log) or keeps all of it; never half. State per partition is rebuilt on
 * assignment from the latest snapshot plus the events after it ({@link StateRecovery}).
 */
public final class SchedulerLoop implements Runnable, AutoCloseable {
    /** The consumer group of scheduler instances (and whose offsets tell a command was consumed). */
    public static final String GROUP = "drover-scheduler";
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerLoop.class);
    private static final Duration MAX_POLL = Duration.ofMillis(100);
    /** A step (decide + commit) longer than this is logged with where its time went. */
    private static final long SLOW_STEP_NANOS = 250_000_000L;

    private final LoopSettings settings;
    private final SchedulerDecider decider;
    private final LogCodec codec;
    private final Clock clock;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final StateRecovery recovery;
    private final Map<Integer, PartitionState> owned = new ConcurrentHashMap<>();
    private final AtomicLong commandsDecided = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean processing;
    private final Thread thread;

    /** Loop tunables. */
    public record LoopSettings(String bootstrapServers, String instanceId, long snapshotEveryEvents,
                               Duration transactionTimeout) {
    }

    public SchedulerLoop(LoopSettings settings, SchedulerDecider decider, LogCodec codec, Clock clock) {
        this.settings = settings;
        this.decider = decider;
        this.codec = codec;
        this.clock = clock;
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "drover-scheduler-" + settings.instanceId());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(KafkaClientConfig.connect(c, settings.bootstrapServers()));
        Map<String, Object> p = new HashMap<>();
        // A stable transactional id per instance: a restarted instance fences its dead predecessor and aborts the
        // transaction it left open, so recovery never waits for a transaction timeout.
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "drover-scheduler-" + settings.instanceId());
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) settings.transactionTimeout().toMillis());
        // Every step ends in commitTransaction, which flushes at once, so lingering never delays a step; it only lets a
        // burst (a schedule tick of thousands of runs) fill whole batches instead of one batch, one sender wake-up and
        // one compression stream per record, with the sender thread and the broker competing with the decisions for
        // the CPU. Measured on a 10,000-pipeline tick (2 cores): linger 0 decided it in 1.0–1.1 s, 5 ms in 1.4 s,
        // 50 ms in 0.24–0.65 s (bench/README.md).
        p.put(ProducerConfig.LINGER_MS_CONFIG, 50);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // The default 100 ms backoff is what a send pays when the broker answers CONCURRENT_TRANSACTIONS because the
        // previous transaction's markers are still being written — routine at hundreds of commits per second, and
        // the main source of the task-to-task p99 (bench/README.md).
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 << 20);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(KafkaClientConfig.connect(p, settings.bootstrapServers()));
        this.recovery = new StateRecovery(settings.bootstrapServers(), codec, decider.settings());
        this.thread = new Thread(this, "scheduler-loop");
    }

    /** Starts the loop on its own thread. */
    public void start() {
        thread.start();
    }

    /** Whether the loop owns partitions and is deciding commands. */
    public boolean processing() {
        return processing;
    }

    /** Commands decided since start (for health and benchmarks). */
    public long commandsDecided() {
        return commandsDecided.get();
    }

    /** Partitions currently owned. */
    public Set<Integer> ownedPartitions() {
        return Set.copyOf(owned.keySet());
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(Topics.RUN_COMMANDS), new Rebalance());
            while (running) {
                step();
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("scheduler loop woken unexpectedly", e);
            }
        } catch (ProducerFencedException e) {
            LOG.error("another scheduler instance took over transactional id drover-scheduler-{}; stopping",
                    settings.instanceId());
        } catch (RuntimeException e) {
            LOG.error("scheduler loop failed; stopping", e);
        } finally {
            processing = false;
            closeQuietly();
        }
    }

    private void step() {
        ConsumerRecords<String, byte[]> records = consumer.poll(pollTimeout());
        processing = !owned.isEmpty();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Map.Entry<Integer, DueTimer>> due = new ArrayList<>();
        owned.values().forEach(ps -> ps.takeDue(now).forEach(t -> due.add(Map.entry(ps.partition, t))));
        if (records.isEmpty() && due.isEmpty()) {
            return;
        }
        Appended out = new Appended();
        long started = System.nanoTime();
        long decided;
        producer.beginTransaction();
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition tp : records.partitions()) {
                PartitionState ps = owned.get(tp.partition());
                long last = -1;
                for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                    handle(ps, record, now, out);
                    last = record.offset();
                }
                offsets.put(tp, new OffsetAndMetadata(last + 1));
            }
            for (Map.Entry<Integer, DueTimer> entry : due) {
                // Timers are logged like any command: appended now, decided when consumed, replayable forever.
                DueTimer timer = entry.getValue();
                SchedulerCommand command = timer.toCommand();
                CommandEnvelope envelope = new CommandEnvelope(command, now, timer.runId(), "scheduler");
                if (timer.kind() == DueTimer.Kind.SCHEDULE) {
                    // A schedule tick is decided at once, in this transaction, so that a tick of thousands of
                    // pipelines starts its runs without a round trip of its commands through the broker. Its events
                    // (RunStarted, ScheduledRunSkipped, ...) are the record; the command itself is not appended, as
                    // replay needs only events and the next tick is derived from them.
                    decideAndAppend(owned.get(entry.getKey()), envelope, now, out, null);
                } else {
                    producer.send(new ProducerRecord<>(Topics.RUN_COMMANDS, entry.getKey(),
                            timer.pipelineId(), codec.encodeCommand(envelope)));
                }
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            }
            decided = System.nanoTime();
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("transaction failed, aborting and rebuilding owned partitions", e);
            producer.abortTransaction();
            rebuildAll();
            return;
        }
        long committed = System.nanoTime();
        afterCommit(out);
        if (committed - started > SLOW_STEP_NANOS) {
            LOG.info("slow step: {} commands and {} due timers decided into {} events in {} ms, committed in {} ms, "
                            + "then {} ms after the commit", records.count(), due.size(),
                    out.eventCounts.values().stream().mapToInt(Integer::intValue).sum(), (decided - started) / 1_000_000,
                    (committed - decided) / 1_000_000, (System.nanoTime() - committed) / 1_000_000);
        }
    }

    private void handle(PartitionState ps, ConsumerRecord<String, byte[]> record, Instant now, Appended out) {
        CommandEnvelope envelope;
        try {
            envelope = codec.decodeCommand(record.value());
        } catch (RuntimeException e) {
            deadLetter(record, "undecodable command: " + e.getMessage(), now);
            return;
        }
        SchedulerCommand command = envelope.command();
        if (!command.pipelineId().equals(record.key())) {
            deadLetter(record, "command for pipeline " + command.pipelineId() + " was keyed " + record.key()
                    + "; commands must be keyed by their pipeline id", now);
            return;
        }
        decideAndAppend(ps, envelope, now, out, record);
    }

    /** What one step appended: the last event per partition, counts, and which runs and pipelines it touched. */
    private static final class Appended {
        final Map<Integer, Future<RecordMetadata>> lastEvent = new HashMap<>();
        final Map<Integer, Integer> eventCounts = new HashMap<>();
        final Map<Integer, Set<String>> touchedRuns = new HashMap<>();
        /** Pipelines whose events this step decided (their schedule timers are re-read after the commit). */
        final Map<Integer, Set<String>> touchedPipelines = new HashMap<>();
    }

    /**
     * Decides one command on its partition's state and appends the events (and the messages to other aggregates they
     * cause) to this transaction.
     *
     * @param record the consumed command record, or null for a schedule tick decided as it falls due (a decider failure
     *               is then only logged: that pipeline's schedule stays stopped until the scheduler restarts or the pipeline is
     *               registered again, rather than failing in a loop)
     */
    private void decideAndAppend(PartitionState ps, CommandEnvelope envelope, Instant now, Appended out,
                                 ConsumerRecord<String, byte[]> record) {
        SchedulerCommand command = envelope.command();
        Decision decision;
        try {
            decision = decider.decide(ps.state, command, now);
        } catch (RuntimeException e) {
            // A decider bug must not wedge the partition: set the command aside and carry on.
            LOG.error("decider failed on command {}", command.commandId(), e);
            if (record != null) {
                deadLetter(record, "decider failed: " + e, now);
            }
            return;
        }
        commandsDecided.incrementAndGet();
        // messages to other aggregates (pools and runs live on different partitions), worked out on the state the
        // command was decided on, and sent in this transaction with the events that cause them
        List<SchedulerCommand> outgoing = PoolProtocol.outgoing(ps.state, command, decision.events());
        List<SchedulerEvent> events = decision.events();
        if (!events.isEmpty()) {
            out.touchedPipelines.computeIfAbsent(ps.partition, k -> new HashSet<>()).add(command.pipelineId());
        }
        for (int i = 0; i < events.size(); i++) {
            SchedulerEvent event = events.get(i);
            ps.state.apply(event);
            String correlation = event instanceof RunEvent re ? re.runId()
                    : envelope.correlationId() != null ? envelope.correlationId() : command.pipelineId();
            EventEnvelope stored = new EventEnvelope(command.commandId() + "#" + i, now, command.pipelineId(),
                    command.commandId(), correlation, event);
            out.lastEvent.put(ps.partition, producer.send(new ProducerRecord<>(Topics.RUN_EVENTS, ps.partition,
                    command.pipelineId(), codec.encodeEvent(stored))));
            out.eventCounts.merge(ps.partition, 1, Integer::sum);
            if (event instanceof TaskDispatched d) {
                producer.send(new ProducerRecord<>(Topics.dispatch(d.queue()), d.runId(),
                        codec.encodeDispatch(stored.eventId(), d)));
            }
            if (event instanceof RunEvent re) {
                out.touchedRuns.computeIfAbsent(ps.partition, k -> new HashSet<>()).add(re.runId());
            }
        }
        for (SchedulerCommand message : outgoing) {
            producer.send(new ProducerRecord<>(Topics.RUN_COMMANDS, message.pipelineId(), codec.encodeCommand(
                    new CommandEnvelope(message, now, PoolProtocol.runIdOf(message), "scheduler"))));
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason, Instant now) {
        LOG.warn("setting aside {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
        producer.send(new ProducerRecord<>(Topics.DEAD_LETTER, record.key(),
                codec.encodeDeadLetter(record, reason, now, "scheduler")));
    }

    private void afterCommit(Appended out) {
        for (var e : out.lastEvent.entrySet()) {
            PartitionState ps = owned.get(e.getKey());
            try {
                ps.lastEventOffset = e.getValue().get().offset();
            } catch (Exception ex) {
                throw new IllegalStateException("committed event has no offset", ex);
            }
            ps.eventsSinceSnapshot += out.eventCounts.get(e.getKey());
        }
        PartitionState due = null;
        for (PartitionState ps : owned.values()) {
            for (String runId : out.touchedRuns.getOrDefault(ps.partition, Set.of())) {
                ps.state.activeRun(runId).ifPresent(ps::track);
            }
            for (String pipelineId : out.touchedPipelines.getOrDefault(ps.partition, Set.of())) {
                ps.trackPipeline(pipelineId);
            }
            if (ps.eventsSinceSnapshot >= settings.snapshotEveryEvents()
                    && (due == null || ps.eventsSinceSnapshot > due.eventsSinceSnapshot)) {
                due = ps;
            }
        }
        // One snapshot per step at most: a burst that takes every partition past the threshold at once (a schedule
        // tick of thousands of pipelines) would otherwise stop the loop for all their snapshots in a row (3.2 s for
        // six partitions of 10,000 pipelines); the others follow in the next steps.
        if (due != null) {
            snapshot(due);
        }
    }

    private void snapshot(PartitionState ps) {
        byte[] bytes = SnapshotCodec.encode(ps.partition, ps.lastEventOffset, ps.state);
        producer.beginTransaction();
        try {
            producer.send(new ProducerRecord<>(Topics.SCHEDULER_SNAPSHOTS, 0, "partition-" + ps.partition, bytes));
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            // A missed snapshot only makes the next recovery replay more events; try again after more events.
            LOG.warn("snapshot of partition {} failed; will retry later", ps.partition, e);
            producer.abortTransaction();
            ps.eventsSinceSnapshot = 0;
            return;
        }
        ps.eventsSinceSnapshot = 0;
        LOG.debug("snapshot of partition {} at event offset {} ({} bytes)", ps.partition, ps.lastEventOffset,
                bytes.length);
    }

    private Duration pollTimeout() {
        Instant next = null;
        for (PartitionState ps : owned.values()) {
            Instant n = ps.nextDue();
            if (n != null && (next == null || n.isBefore(next))) {
                next = n;
            }
        }
        if (next == null) {
            return MAX_POLL;
        }
        Duration until = Duration.between(clock.instant(), next);
        return until.isNegative() ? Duration.ZERO : until.compareTo(MAX_POLL) < 0 ? until : MAX_POLL;
    }

    private void rebuildAll() {
        Set<Integer> partitions = Set.copyOf(owned.keySet());
        owned.clear();
        assign(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions.stream()
                .map(p -> new TopicPartition(Topics.RUN_COMMANDS, p)).collect(java.util.stream.Collectors.toSet()));
        committed.forEach((tp, om) -> {
            if (om != null) {
                consumer.seek(tp, om.offset());
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        });
    }

    private void assign(Collection<Integer> partitions) {
        long t0 = System.nanoTime();
        owned.putAll(recovery.recover(partitions));
        if (!partitions.isEmpty()) {
            LOG.info("recovered partitions {} in {} ms", partitions, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Wait for the committed offsets to be stable (KIP-447): a transaction the previous owner left open
            // must be resolved before the events it wrote can be folded.
            consumer.committed(new HashSet<>(partitions));
            assign(partitions.stream().map(TopicPartition::partition).toList());
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(tp -> owned.remove(tp.partition()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            onPartitionsRevoked(partitions);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly() {
        try {
            consumer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debug("closing consumer", e);
        }
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debug("closing producer", e);
        }
        recovery.close();
    }
}
