package dev.drover.platform.eventlog;

import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reaction to another service's events: one topic consumed in its own group from the earliest offset
 * (read_committed), each record handed to a handler, the offsets committed after every poll's records were handled.
 * Delivery is at least once, so handlers must be idempotent (derive command ids from the event id). A record the
 * handler cannot use goes to {@code drover.deadletter} with the reason ({@link #deadLetter}); nothing stops the
 * listener but {@link #close()}: a handler that throws on a record is given it {@link #MAX_TRIES} times, then the record
 * is set aside with the exception as the reason.
 *
 * <p>A {@link RetryingHandler} may also refuse to decide a record now (e.g. the service it sends commands to cannot be
 * reached): the partition is then rewound to that record and paused for the retry delay, and the records before it
 * are committed. Records are handled one at a time, in order, on the listener's thread.
 */
public final class TopicListener implements AutoCloseable {
    /** How many times a handler that throws is given a record before it is set aside. */
    public static final int MAX_TRIES = 3;
    private static final Logger LOG = LoggerFactory.getLogger(TopicListener.class);
    private final String topic;
    private final String service;
    private final RetryingHandler handler;
    private final Duration retryAfter;
    private final Clock clock;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> deadLetters;
    private final AtomicLong deadLettered = new AtomicLong();
    private final Thread thread;
    /** Partitions waiting to retry a record, and when; only the listener's thread touches it. */
    private final Map<TopicPartition, Instant> paused = new LinkedHashMap<>();
    private volatile boolean running = true;

    /** Handles one record; may call {@link TopicListener#deadLetter} to set it aside. */
    public interface Handler {
        void handle(ConsumerRecord<String, byte[]> record);
    }

    /**
     * Handles one record, or refuses to for now; may call {@link TopicListener#deadLetter} to set it aside.
     * Returns false when the record must be read again (with what follows it on its partition) after the retry delay.
     */
    public interface RetryingHandler {
        boolean handle(ConsumerRecord<String, byte[]> record);
    }

    /**
     * @param group   the consumer group (one per reaction)
     * @param service who sets records aside, in their dead letters (e.g. {@code registry-rollbacks}); also the
     *                listener thread's name
     */
    public TopicListener(String bootstrapServers, String group, String topic, String service, Clock clock,
                         Handler handler) {
        this(bootstrapServers, group, topic, service, clock, Map.of(), Duration.ZERO, record -> {
            handler.handle(record);
            return true;
        });
    }

    /**
     * A listener whose handler may ask for a record to be read again.
     *
     * @param consumerConfig extra consumer settings (e.g. {@code max.poll.records}); group, offsets, isolation and
     *                       deserializers are the listener's
     * @param retryAfter     how long a partition waits before a record its handler refused is read again
     */
    public TopicListener(String bootstrapServers, String group, String topic, String service, Clock clock,
                         Map<String, Object> consumerConfig, Duration retryAfter, RetryingHandler handler) {
        this.topic = topic;
        this.service = service;
        this.handler = handler;
        this.retryAfter = retryAfter;
        this.clock = clock;
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.putAll(KafkaClientConfig.connect(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class), bootstrapServers));
        this.consumer = new KafkaConsumer<>(config);
        this.deadLetters = new KafkaProducer<>(KafkaClientConfig.connect(Map.of(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class), bootstrapServers));
        this.thread = new Thread(this::run, service);
        thread.setDaemon(true);
    }

    public void start() {
        consumer.subscribe(List.of(topic));
        thread.start();
    }

    /** Records set aside on the dead-letter topic. */
    public long deadLettered() {
        return deadLettered.get();
    }

    /** Sets a record aside on {@code drover.deadletter} with the reason. */
    public void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        deadLettered.incrementAndGet();
        LOG.warn("{}: set aside {}@{}:{}: {}", service, record.topic(), record.partition(), record.offset(), reason);
        deadLetters.send(new ProducerRecord<>(Topics.DEAD_LETTER, record.key(),
                DeadLetters.encode(record, reason, clock.instant(), service)));
    }

    private void run() {
        try {
            while (running) {
                resumeDue();
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                        if (!handleGuarded(record)) {
                            // not decided: read it (and what follows it) again after a pause
                            consumer.seek(partition, record.offset());
                            consumer.pause(List.of(partition));
                            paused.put(partition, Instant.now().plus(retryAfter));
                            break;
                        }
                    }
                }
                if (!records.isEmpty()) {
                    try {
                        consumer.commitSync(); // the positions: past every decided record, at the first undecided one
                    } catch (org.apache.kafka.common.errors.RetriableException
                             | org.apache.kafka.clients.consumer.CommitFailedException e) {
                        // a rebalance or a broker hiccup: the records are handled again (handlers are idempotent)
                        LOG.warn("{}: commit failed, records will be read again: {}", service, e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("{} woken up unexpectedly", service, e);
            }
        } catch (RuntimeException e) {
            LOG.error("{} stopped", service, e);
        } finally {
            // Offsets are committed after each batch and the leave-group request goes out first, so close has nothing
            // to wait for but the group's answers. Right after a restart that followed a kill -9, the broker parks this
            // member's join until the dead process's member times out (session.timeout.ms, 45 s): an unbounded close
            // then held shutdown for 10 s per listener.
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /**
     * Hands a record to the handler. A handler that throws has met something in the record itself (a refusal says
     * "not now" by returning false instead): it is tried {@link #MAX_TRIES} times, then set aside with the exception
     * as the reason, so that no record can stop the listener or hold up its partition for good.
     */
    private boolean handleGuarded(ConsumerRecord<String, byte[]> record) {
        for (int attempt = 1; ; attempt++) {
            try {
                return handler.handle(record);
            } catch (RuntimeException e) {
                if (attempt >= MAX_TRIES) {
                    LOG.error("{}: handling {}@{}:{} failed {} times; setting it aside", service, record.topic(),
                            record.partition(), record.offset(), attempt, e);
                    deadLetter(record, "handling failed " + attempt + " times: " + e);
                    return true;
                }
                LOG.warn("{}: handling {}@{}:{} failed (try {} of {}): {}", service, record.topic(),
                        record.partition(), record.offset(), attempt, MAX_TRIES, e.toString());
            }
        }
    }

    private void resumeDue() {
        if (paused.isEmpty()) {
            return;
        }
        Instant now = Instant.now();
        List<TopicPartition> due = paused.entrySet().stream().filter(e -> !e.getValue().isAfter(now))
                .map(Map.Entry::getKey).collect(Collectors.toList());
        if (!due.isEmpty()) {
            due.forEach(paused::remove);
            due.retainAll(consumer.assignment());
            consumer.resume(due);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadLetters.close();
    }
}
