package dev.drover.monitor.window;

import dev.drover.monitor.core.MonitorCommand;
import dev.drover.monitor.core.MonitorEvent.MonitoringConfigured;
import dev.drover.monitor.core.MonitoringPolicy;
import dev.drover.monitor.ingest.ServingRecord;
import dev.drover.monitor.ingest.ServingRecord.LabelRecord;
import dev.drover.monitor.ingest.ServingRecord.PredictionRecord;
import dev.drover.monitor.ingest.ServingRecordDecoder;
import dev.drover.monitor.datastore.DataStore;
import dev.drover.monitor.wire.CommandEnvelope;
import dev.drover.monitor.wire.EventEnvelope;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.platform.eventlog.DeadLetters;
import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The monitor's window loop: reads predictions and labels, cuts them into windows per monitored model, and appends
 * {@code RecordWindow} and {@code RecordPerformance} to {@code drover.monitor.commands} — exactly once with respect
 * to Kafka.
 *
 * <p><b>The guarantee.</b> Each step is one Kafka transaction: the commands of the windows that closed, the dead
 * letters, and the consumed offsets. The offset committed for a partition is the earliest one whose effect still
 * lives only in memory (the first record of an open window, of any model on the partition); the commit's metadata
 * holds, per model, the last offset already counted in an appended window ({@link ProgressMark}). After a restart or
 * a rebalance the partition is read again from that offset and records at or below their model's mark are skipped,
 * so an open window is rebuilt from its records and a closed one is neither lost nor counted twice. Predictions are
 * read again from up to {@link WindowSettings#recentPredictions()} records earlier, only to rebuild the memory that
 * labels join with.
 *
 * <p>Predictions and labels of a model share a partition number (both are keyed by the bare model name, and the
 * topics have the same partition count); the range assignor gives both to the same instance.
 *
 * <p>Policies come from the monitor's own events: {@code MonitoringConfigured} on {@code drover.monitor.events},
 * read from the beginning before the first prediction and followed after.
 */
public final class WindowLoop implements Runnable, AutoCloseable {
    /** The consumer group (and transactional-id prefix) of window loops. */
    public static final String GROUP = "drover-monitor-windows";
    private static final Logger LOG = LoggerFactory.getLogger(WindowLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int MAX_METADATA = 4000;

    private final MonitorCodec codec;
    private final ServingRecordDecoder decoder;
    private final ReferenceSource references;
    private final WindowSettings settings;
    /** Where production data is kept, or null. */
    private final ProductionData data;
    private Instant nextRetentionSweep = Instant.MIN;
    private final Clock clock;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaConsumer<String, byte[]> events;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, MonitoringPolicy> policies = new ConcurrentHashMap<>();
    private final Map<Integer, PartitionWindows> owned = new HashMap<>();
    private final Map<String, Map<String, Long>> unmonitored = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counted = new ConcurrentHashMap<>();
    private final AtomicLong commandsAppended = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean ready;
    /** Whether this step has read the policies to the end of their log already (the loop's thread only). */
    private boolean caughtUpThisStep;
    /** Tests switch this off to stand for a policy consumer that lags behind (as it does under load). */
    private volatile boolean followPoliciesEachStep = true;
    private static final Duration CATCH_UP = Duration.ofSeconds(5);

    /** One partition number's models and where reading started. */
    private static final class PartitionWindows {
        final Map<String, ModelWindows> models = new HashMap<>();
        final Map<String, ProgressMark> marks;
        long predictionsFrom;       // committed offset: earlier predictions only rebuild the join memory
        long predictionsProcessed;  // below this, records were processed once (dead letters were sent)
        long labelsFrom;
        long labelsProcessed;

        PartitionWindows(Map<String, ProgressMark> marks) {
            this.marks = marks;
        }
    }

    public WindowLoop(String bootstrapServers, String instanceId, Duration transactionTimeout, MonitorCodec codec,
                      ReferenceSource references, WindowSettings settings, Clock clock) {
        this.codec = codec;
        this.data = settings.dataLocation() == null ? null
                : new ProductionData(DataStore.open(settings.dataLocation(), settings.s3()));
        if (data != null) {
            LOG.info("monitor windows: production data kept at {} for {}", data.store(), settings.dataRetention());
        }
        this.decoder = new ServingRecordDecoder(codec);
        this.references = references;
        this.settings = settings;
        this.clock = clock;
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, GROUP + "-" + instanceId);
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        // predictions and labels of one partition number must meet in one instance
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                org.apache.kafka.clients.consumer.RangeAssignor.class.getName());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(KafkaClientConfig.connect(c, bootstrapServers));
        this.events = new KafkaConsumer<>(KafkaClientConfig.connect(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class), bootstrapServers));
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, GROUP + "-" + instanceId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(KafkaClientConfig.connect(p, bootstrapServers));
        this.thread = new Thread(this, "monitor-windows");
    }

    public void start() {
        thread.start();
    }

    /** Whether the policies were read and partitions are owned. */
    public boolean ready() {
        return ready;
    }

    /** Commands appended since start. */
    public long commandsAppended() {
        return commandsAppended.get();
    }

    /** Records set aside on {@code drover.deadletter} since start. */
    public long deadLettered() {
        return deadLettered.get();
    }

    /**
     * Whether the loop has read the model's policy. Predictions that arrive before it did are counted as records of
     * an unmonitored model.
     */
    public boolean monitored(String model) {
        return policies.containsKey(model);
    }

    /** Predictions read into a monitored model's windows since start, per model (re-reads after a restart count). */
    public Map<String, Long> predictionsRead() {
        Map<String, Long> out = new java.util.TreeMap<>();
        counted.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** For tests: stop reading policies at every step, as if that consumer lagged (true restores it). */
    void followPoliciesEachStep(boolean follow) {
        followPoliciesEachStep = follow;
    }

    /** Records of models that are not monitored, per model and reason (they belong to no window). */
    public Map<String, Map<String, Long>> unmonitoredRecords() {
        return Map.copyOf(unmonitored);
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            followPolicies(true);
            consumer.subscribe(List.of(Topics.MONITOR_PREDICTIONS, Topics.MONITOR_LABELS), new Rebalance());
            while (running) {
                step();
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("monitor windows: woken unexpectedly", e);
            }
        } catch (ProducerFencedException e) {
            LOG.error("monitor windows: another instance took over transactional id {}; stopping", GROUP);
        } catch (RuntimeException e) {
            LOG.error("monitor windows: loop failed; stopping", e);
        } finally {
            ready = false;
            closeQuietly();
        }
    }

    private void followPolicies(boolean toTheEnd) {
        if (toTheEnd) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo info : events.partitionsFor(Topics.MONITOR_EVENTS)) {
                tps.add(new TopicPartition(Topics.MONITOR_EVENTS, info.partition()));
            }
            events.assign(tps);
            events.seekToBeginning(tps);
            Map<TopicPartition, Long> end = events.endOffsets(tps);
            while (end.entrySet().stream().anyMatch(e -> events.position(e.getKey()) < e.getValue())) {
                policies(events.poll(POLL));
            }
        } else {
            policies(events.poll(Duration.ZERO));
        }
    }

    /** Reads the policy events up to the current end of their topic (at most a few seconds). */
    private void catchUpPolicies() {
        Map<TopicPartition, Long> end = events.endOffsets(events.assignment());
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (end.entrySet().stream().anyMatch(e -> events.position(e.getKey()) < e.getValue())
                && System.nanoTime() < deadline) {
            policies(events.poll(Duration.ofMillis(20)));
        }
    }

    private void policies(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                EventEnvelope e = codec.decodeEvent(r.value());
                if (e.event() instanceof MonitoringConfigured c) {
                    policies.put(c.modelName(), c.policy());
                    owned.values().forEach(pw -> {
                        ModelWindows m = pw.models.get(c.modelName());
                        if (m != null) {
                            m.policy(c.policy());
                        }
                    });
                }
            } catch (RuntimeException ex) {
                LOG.warn("monitor windows: cannot read event {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                        ex.getMessage());
            }
        }
    }

    private void step() {
        if (followPoliciesEachStep) {
            followPolicies(false);
        }
        caughtUpThisStep = false;
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        ready = !owned.isEmpty();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (data != null && now.isAfter(nextRetentionSweep)) {
            nextRetentionSweep = now.plus(Duration.ofHours(1));
            int deleted = data.deleteOlderThan(settings.dataRetention(), now);
            if (deleted > 0) {
                LOG.info("production data: deleted {} files kept longer than {}", deleted, settings.dataRetention());
            }
        }
        boolean due = owned.values().stream().anyMatch(pw -> !pw.models.isEmpty());
        if (records.isEmpty() && !due) {
            return;
        }
        producer.beginTransaction();
        try {
            List<MonitorCommand> commands = new ArrayList<>();
            // predictions before labels, so a label polled together with its prediction finds it
            for (TopicPartition tp : records.partitions()) {
                if (tp.topic().equals(Topics.MONITOR_PREDICTIONS)) {
                    for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                        handle(r, now, commands);
                    }
                }
            }
            for (TopicPartition tp : records.partitions()) {
                if (tp.topic().equals(Topics.MONITOR_LABELS)) {
                    for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
                        handle(r, now, commands);
                    }
                }
            }
            owned.values().forEach(pw -> pw.models.values().forEach(m -> commands.addAll(m.tick(now))));
            if (records.isEmpty() && commands.isEmpty()) {
                producer.abortTransaction();
                return;
            }
            for (MonitorCommand command : commands) {
                CommandEnvelope envelope = new CommandEnvelope(command, now, command.commandId());
                producer.send(new ProducerRecord<>(Topics.MONITOR_COMMANDS, envelope.key(),
                        codec.encodeCommand(envelope)));
            }
            producer.sendOffsetsToTransaction(offsets(), consumer.groupMetadata());
            producer.commitTransaction();
            commandsAppended.addAndGet(commands.size());
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("monitor windows: transaction failed; aborting and reading again from the committed offsets", e);
            producer.abortTransaction();
            reassign(consumer.assignment());
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r, Instant now, List<MonitorCommand> commands) {
        PartitionWindows pw = owned.get(r.partition());
        if (pw == null) {
            return;
        }
        boolean prediction = r.topic().equals(Topics.MONITOR_PREDICTIONS);
        if (prediction && r.offset() < pw.predictionsFrom || !prediction && r.offset() < pw.labelsFrom) {
            if (prediction) {
                rememberOnly(pw, r);
            }
            return;
        }
        ServingRecord decoded;
        try {
            decoded = decoder.decode(r);
        } catch (IllegalArgumentException e) {
            boolean firstTime = r.offset() >= (prediction ? pw.predictionsProcessed : pw.labelsProcessed);
            String model = r.key() == null ? "" : r.key();
            if (policies.containsKey(model)) {
                ModelWindows m = model(pw, model, r.partition());
                if (prediction) {
                    commands.addAll(m.undecodablePrediction(r.offset(), now));
                } else {
                    m.undecodableLabel(r.offset());
                }
            } else if (firstTime) {
                countUnmonitored(model, "undecodable");
            }
            if (firstTime) {
                deadLetter(r, e.getMessage(), now);
            }
            return;
        }
        MonitoringPolicy policy = policies.get(decoded.modelName());
        if (policy == null && !caughtUpThisStep) {
            // The policy may be committed but not read yet: a monitor's PUT answers once its MonitoringConfigured
            // is in the log, so a prediction sent after that answer must find it. Read the policies up to the end
            // of the log as it is now (once per step), then look again.
            caughtUpThisStep = true;
            catchUpPolicies();
            policy = policies.get(decoded.modelName());
        }
        if (policy == null) {
            countUnmonitored(decoded.modelName(), "unmonitored_model");
            return;
        }
        ModelWindows m = model(pw, decoded.modelName(), r.partition());
        if (decoded instanceof PredictionRecord p) {
            counted.computeIfAbsent(decoded.modelName(), k -> new AtomicLong()).incrementAndGet();
            commands.addAll(m.prediction(r.offset(), p.prediction(), now));
        } else {
            commands.addAll(m.label(r.offset(), ((LabelRecord) decoded).label(), now));
        }
    }

    private void rememberOnly(PartitionWindows pw, ConsumerRecord<String, byte[]> r) {
        try {
            if (decoder.decode(r) instanceof PredictionRecord p && policies.containsKey(p.modelName())) {
                model(pw, p.modelName(), r.partition()).remember(p.prediction());
            }
        } catch (IllegalArgumentException e) {
            // set aside when it was first read
        }
    }

    private ModelWindows model(PartitionWindows pw, String name, int partition) {
        return pw.models.computeIfAbsent(name, n -> new ModelWindows(n, partition, policies.get(n), references,
                settings, pw.marks.getOrDefault(n, ProgressMark.NONE), data));
    }

    private void countUnmonitored(String model, String reason) {
        if (unmonitored.size() < 10_000 || unmonitored.containsKey(model)) {
            unmonitored.computeIfAbsent(model, k -> new ConcurrentHashMap<>()).merge(reason, 1L, Long::sum);
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> r, String reason, Instant now) {
        LOG.warn("monitor windows: setting aside {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), reason);
        producer.send(new ProducerRecord<>(Topics.DEAD_LETTER, r.key(),
                DeadLetters.encode(r, reason, now, "monitor-windows")));
        deadLettered.incrementAndGet();
    }

    /** The offsets to commit: per partition, the earliest one an open window still needs, with the marks. */
    private Map<TopicPartition, OffsetAndMetadata> offsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Set<TopicPartition> assigned = consumer.assignment();
        for (Map.Entry<Integer, PartitionWindows> e : owned.entrySet()) {
            PartitionWindows pw = e.getValue();
            TopicPartition predictions = new TopicPartition(Topics.MONITOR_PREDICTIONS, e.getKey());
            TopicPartition labels = new TopicPartition(Topics.MONITOR_LABELS, e.getKey());
            long predictionCommit = -1;
            long labelCommit = -1;
            if (assigned.contains(predictions)) {
                long position = consumer.position(predictions);
                pw.predictionsProcessed = Math.max(pw.predictionsProcessed, position);
                predictionCommit = Math.max(pw.predictionsFrom, earliest(pw, true, position));
            }
            if (assigned.contains(labels)) {
                long position = consumer.position(labels);
                pw.labelsProcessed = Math.max(pw.labelsProcessed, position);
                labelCommit = Math.max(pw.labelsFrom, earliest(pw, false, position));
            }
            Map<String, ProgressMark> marks = new LinkedHashMap<>();
            for (Map.Entry<String, ModelWindows> m : pw.models.entrySet()) {
                ProgressMark mark = m.getValue().mark();
                if (mark.predictions() >= predictionCommit || mark.performance() >= labelCommit
                        || mark.badLabels() >= labelCommit) {
                    marks.put(m.getKey(), mark);
                }
            }
            String metadata = ProgressMark.encode(pw.predictionsProcessed, marks);
            if (metadata.length() > MAX_METADATA) {
                LOG.error("monitor windows: progress of partition {} is {} characters, more than the broker keeps "
                        + "by default (offset.metadata.max.bytes = 4096); raise it", e.getKey(), metadata.length());
            }
            if (predictionCommit >= 0) {
                offsets.put(predictions, new OffsetAndMetadata(predictionCommit, metadata));
            }
            if (labelCommit >= 0) {
                offsets.put(labels, new OffsetAndMetadata(labelCommit,
                        ProgressMark.encode(pw.labelsProcessed, Map.of())));
            }
        }
        return offsets;
    }

    private static long earliest(PartitionWindows pw, boolean predictions, long position) {
        long earliest = position;
        for (ModelWindows m : pw.models.values()) {
            long needed = predictions ? m.firstPredictionNeeded() : m.firstLabelNeeded();
            if (needed >= 0 && needed < earliest) {
                earliest = needed;
            }
        }
        return earliest;
    }

    /** Starts the given partitions over from their committed offsets and marks. */
    private void reassign(Collection<TopicPartition> partitions) {
        Set<Integer> numbers = new HashSet<>();
        partitions.forEach(tp -> numbers.add(tp.partition()));
        Set<TopicPartition> both = new HashSet<>();
        for (int n : numbers) {
            both.add(new TopicPartition(Topics.MONITOR_PREDICTIONS, n));
            both.add(new TopicPartition(Topics.MONITOR_LABELS, n));
        }
        // waits for offsets a previous owner's open transaction may still change (KIP-447)
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(both);
        Set<TopicPartition> assigned = consumer.assignment();
        for (int n : numbers) {
            TopicPartition predictions = new TopicPartition(Topics.MONITOR_PREDICTIONS, n);
            TopicPartition labels = new TopicPartition(Topics.MONITOR_LABELS, n);
            OffsetAndMetadata pc = committed.get(predictions);
            OffsetAndMetadata lc = committed.get(labels);
            ProgressMark.Decoded progress = ProgressMark.decode(pc == null ? null : pc.metadata());
            PartitionWindows pw = new PartitionWindows(new HashMap<>(progress.marks()));
            if (assigned.contains(predictions)) {
                long begin = consumer.beginningOffsets(List.of(predictions)).get(predictions);
                pw.predictionsFrom = pc == null ? begin : pc.offset();
                pw.predictionsProcessed = Math.max(progress.processedBelow(), pw.predictionsFrom);
                consumer.seek(predictions, Math.max(begin, pw.predictionsFrom - settings.recentPredictions()));
            }
            if (assigned.contains(labels)) {
                long begin = consumer.beginningOffsets(List.of(labels)).get(labels);
                pw.labelsFrom = lc == null ? begin : lc.offset();
                pw.labelsProcessed = Math.max(ProgressMark.decode(lc == null ? null : lc.metadata())
                        .processedBelow(), pw.labelsFrom);
                consumer.seek(labels, pw.labelsFrom);
            }
            owned.put(n, pw);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Set<Integer> numbers = new HashSet<>();
            partitions.forEach(tp -> numbers.add(tp.partition()));
            numbers.forEach(owned::remove);
            Set<TopicPartition> all = new HashSet<>();
            for (TopicPartition tp : consumer.assignment()) {
                if (numbers.contains(tp.partition())) {
                    all.add(tp);
                }
            }
            reassign(all);
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
        // Bounded like the other loops' clients: offsets travel in the producer's transactions, so the consumers'
        // close only waits for the group's answers, and right after a restart that followed a kill -9 the broker parks
        // this member's join until the dead process's member times out (45 s), which an unbounded close waited for.
        for (AutoCloseable c : List.<AutoCloseable>of(() -> consumer.close(Duration.ofSeconds(2)),
                () -> events.close(Duration.ofSeconds(2)), () -> producer.close(Duration.ofSeconds(5)),
                () -> {
                    if (data != null) {
                        data.store().close();
                    }
                })) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing", e);
            }
        }
    }
}
