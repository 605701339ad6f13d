package dev.drover.platform.eventlog;

import dev.drover.platform.eventlog.PartitionLogic.Appended;
import dev.drover.platform.eventlog.PartitionLogic.UnusableRecord;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * An exactly-once decide loop over a pair of co-partitioned topics: consume commands, decide each against the state
 * of its partition, append the events to the same partition number of the events topic, and commit the consumed
 * offsets in the same Kafka transaction. The service's logic is a {@link PartitionLogic} per partition.
 *
 * <p>A crash at any point either loses the whole step (the commands are consumed again by whoever owns the
 * partition next, against a state rebuilt from the same log) or keeps all of it. On assignment the state of each
 * partition is rebuilt by replaying its committed events from the beginning.
 */
public final class DecisionLoop implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionLoop.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Settings settings;
    private final IntFunction<PartitionLogic> newPartition;
    private final Clock clock;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> replayReader;
    private final Map<Integer, PartitionLogic> owned = new ConcurrentHashMap<>();
    private final AtomicLong commandsDecided = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean processing;

    /**
     * @param service         the service's name, used in client ids, the thread name and dead letters
     * @param groupId         the consumer group of the service's instances
     * @param instanceId      stable per instance: the transactional id is {@code <groupId>-<instanceId>}, so a
     *                        restarted instance fences its dead predecessor at once
     */
    public record Settings(String bootstrapServers, String service, String commandsTopic, String eventsTopic,
                           String groupId, String instanceId, Duration transactionTimeout) {
    }

    public DecisionLoop(Settings settings, IntFunction<PartitionLogic> newPartition, Clock clock) {
        this.settings = settings;
        this.newPartition = newPartition;
        this.clock = clock;
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-" + settings.instanceId());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumer = new KafkaConsumer<>(KafkaClientConfig.connect(c, settings.bootstrapServers()));
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.groupId() + "-" + settings.instanceId());
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) settings.transactionTimeout().toMillis());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // the default 100 ms backoff would add a whole tenth of a second to a write whose transaction meets a
        // retriable error (e.g. CONCURRENT_TRANSACTIONS right after the previous commit)
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producer = new KafkaProducer<>(KafkaClientConfig.connect(p, settings.bootstrapServers()));
        this.replayReader = new KafkaConsumer<>(KafkaClientConfig.connect(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class),
                settings.bootstrapServers()));
        this.thread = new Thread(this, settings.service() + "-loop");
    }

    /** Starts the loop on its own thread. */
    public void start() {
        thread.start();
    }

    /** Whether the loop owns partitions and is deciding commands. */
    public boolean processing() {
        return processing;
    }

    /** Commands decided since start. */
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
            consumer.subscribe(List.of(settings.commandsTopic()), new Rebalance());
            while (running) {
                step();
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("{} loop woken unexpectedly", settings.service(), e);
            }
        } catch (ProducerFencedException e) {
            LOG.error("another {} instance took over transactional id {}-{}; stopping", settings.service(),
                    settings.groupId(), settings.instanceId());
        } catch (RuntimeException e) {
            LOG.error("{} loop failed; stopping", settings.service(), e);
        } finally {
            processing = false;
            closeQuietly();
        }
    }

    private void step() {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        processing = !owned.isEmpty();
        if (records.isEmpty()) {
            return;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        producer.beginTransaction();
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition tp : records.partitions()) {
                PartitionLogic logic = owned.get(tp.partition());
                long last = -1;
                for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                    handle(logic, record, now);
                    last = record.offset();
                }
                offsets.put(tp, new OffsetAndMetadata(last + 1));
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("{}: transaction failed, aborting and rebuilding owned partitions", settings.service(), e);
            producer.abortTransaction();
            rebuildAll();
        }
    }

    private void handle(PartitionLogic logic, ConsumerRecord<String, byte[]> record, Instant now) {
        List<Appended> events;
        try {
            events = logic.decide(record, now);
        } catch (UnusableRecord e) {
            deadLetter(record, e.getMessage(), now);
            return;
        } catch (RuntimeException e) {
            // A bug in the logic must not wedge the partition: set the command aside and carry on (a decision that
            // throws has applied nothing: see PartitionLogic#decide).
            LOG.error("{}: deciding {}-{}@{} failed", settings.service(), record.topic(), record.partition(),
                    record.offset(), e);
            deadLetter(record, "decision failed: " + e, now);
            return;
        }
        commandsDecided.incrementAndGet();
        for (Appended event : events) {
            producer.send(new ProducerRecord<>(settings.eventsTopic(), record.partition(), event.key(),
                    event.value()));
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason, Instant now) {
        LOG.warn("{}: setting aside {}-{}@{}: {}", settings.service(), record.topic(), record.partition(),
                record.offset(), reason);
        producer.send(new ProducerRecord<>(Topics.DEAD_LETTER, record.key(),
                DeadLetters.encode(record, reason, now, settings.service())));
    }

    private void rebuildAll() {
        Set<Integer> partitions = Set.copyOf(owned.keySet());
        owned.clear();
        recover(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions.stream()
                .map(p -> new TopicPartition(settings.commandsTopic(), p)).collect(Collectors.toSet()));
        committed.forEach((tp, om) -> {
            if (om != null) {
                consumer.seek(tp, om.offset());
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        });
    }

    private void recover(Collection<Integer> partitions) {
        for (int partition : partitions) {
            long t0 = System.nanoTime();
            PartitionLogic logic = newPartition.apply(partition);
            TopicPartition tp = new TopicPartition(settings.eventsTopic(), partition);
            replayReader.assign(List.of(tp));
            replayReader.seekToBeginning(List.of(tp));
            long end = replayReader.endOffsets(List.of(tp)).get(tp); // read_committed: the last stable offset
            long replayed = 0;
            while (replayReader.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : replayReader.poll(POLL)) {
                    try {
                        logic.replay(r);
                        replayed++;
                    } catch (RuntimeException e) {
                        LOG.error("{}: cannot fold event {}-{}@{}; skipping it", settings.service(), r.topic(),
                                r.partition(), r.offset(), e);
                    }
                }
            }
            replayReader.unsubscribe();
            owned.put(partition, logic);
            LOG.info("{}: recovered partition {} from {} events in {} ms", settings.service(), partition, replayed,
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // Wait for the committed offsets to be stable (KIP-447): a transaction the previous owner left open
            // must be resolved before the events it wrote can be folded.
            consumer.committed(new HashSet<>(partitions));
            recover(partitions.stream().map(TopicPartition::partition).toList());
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
        try {
            replayReader.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debug("closing replay reader", e);
        }
    }
}
