package dev.drover.platform.eventlog;

import dev.drover.platform.kafka.KafkaClientConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Appends commands to a service's commands topic and lets the sender wait for their outcome: every event decided
 * from the command, as read back from the events topic. This is how a REST write answers only once its effect is
 * in the log. It tails the events topic from the end (read_committed) on its own thread and never reads state.
 *
 * <p>A command may also be decided into nothing (a repeat of a command id, a scheduled job with nothing to do, or a
 * command the decision loop had to set aside). Its sender must not wait for events that never come: once a command
 * has waited a little, the log asks the broker whether the decision loop's consumer group has committed past it
 * (the loop commits its input in the same transaction as its events) and, when it has and the tail has read every
 * event committed so far, completes the outcome with no events.
 *
 * @param <E> the decoded event envelope
 */
public final class CommandLog<E> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandLog.class);
    private final String commandsTopic;
    private final String eventsTopic;
    private final EventReader<E> reader;
    private final String deciderGroup;
    private final Admin admin;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> tail;
    /**
     * Commands waiting for their outcome, by command id. Several senders may wait on the same id at once (retries of
     * one write with its idempotency key, sent side by side): each has its own entry, and the events complete all.
     */
    private final Map<String, List<Pending<E>>> waiting = new ConcurrentHashMap<>();
    /** The offset of the last event the tail read, per partition (tail thread only). */
    private final Map<Integer, Long> lastRecord = new java.util.HashMap<>();
    private final CountDownLatch positioned = new CountDownLatch(1);
    /** How many partitions the events topic has (set before {@link #positioned} opens; fixed once created). */
    private volatile int partitionCount;
    private final Thread thread;
    private volatile boolean running = true;

    /** How the tail reads the events it matches to commands. */
    public interface EventReader<E> {
        E decode(byte[] value);

        /** The id of the command the event was decided from. */
        String causationId(E event);

        /** Whether the event is the last one decided from its command. */
        boolean last(E event);
    }

    /**
     * The events decided from one command, and where the last of them is in the log. No events: the command was
     * decided into nothing, and {@code lastOffset} is the last event of the partition before that was known (-1 if none
     * was read since the log started).
     */
    public record Outcome<E>(List<E> events, int partition, long lastOffset) {
        public Outcome {
            events = List.copyOf(events);
        }
    }

    /**
     * What a gateway whose callers need an event completes their future with when a command was decided into
     * nothing: the decision loop set it aside (its decision failed) or had nothing to say.
     */
    public static final class NothingDecided extends RuntimeException {
        public NothingDecided(String message) {
            super(message, null, false, false);
        }
    }

    /** A command on its way: its outcome, the events read so far, and where the command itself went. */
    private static final class Pending<E> {
        final CompletableFuture<Outcome<E>> future = new CompletableFuture<>();
        final List<E> events = new ArrayList<>();
        final long sentAt = System.nanoTime();
        volatile int partition = -1;
        volatile long offset = -1;
        long nothingSince; // tail thread only
    }

    /** When the tail last asked whether waiting commands were decided into nothing (tail thread only). */
    private long lastNothingCheck;

    /** How long a command waits for events before the log checks whether it was decided into nothing. */
    private static final long NOTHING_CHECK_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /**
     * @param deciderGroup the consumer group of the decision loop that decides these commands, asked whether a
     *                     command was decided into nothing
     */
    public CommandLog(String bootstrapServers, String commandsTopic, String eventsTopic, String deciderGroup,
                      EventReader<E> reader) {
        this.commandsTopic = commandsTopic;
        this.eventsTopic = eventsTopic;
        this.deciderGroup = deciderGroup;
        this.reader = reader;
        this.admin = Admin.create(KafkaClientConfig.connect(bootstrapServers));
        this.producer = new KafkaProducer<>(KafkaClientConfig.connect(Map.of(
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class), bootstrapServers));
        this.tail = new KafkaConsumer<>(KafkaClientConfig.connect(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class), bootstrapServers));
        this.thread = new Thread(this::loop, "command-log-tail-" + eventsTopic);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Appends a command and returns a future of its outcome. Register-then-send: the future exists before the
     * command can be decided, so no outcome is missed. A caller that stops waiting should cancel the future.
     */
    public CompletableFuture<Outcome<E>> send(String key, String commandId, byte[] command) {
        awaitPositioned();
        Pending<E> pending = new Pending<>();
        CompletableFuture<Outcome<E>> outcome = pending.future;
        waiting.compute(commandId, (k, list) -> {
            List<Pending<E>> out = list == null ? new java.util.concurrent.CopyOnWriteArrayList<>() : list;
            out.add(pending);
            return out;
        });
        outcome.whenComplete((o, e) -> waiting.computeIfPresent(commandId, (k, list) -> {
            list.remove(pending);
            return list.isEmpty() ? null : list;
        }));
        producer.send(new ProducerRecord<>(commandsTopic, key, command), (md, e) -> {
            if (e != null) {
                outcome.completeExceptionally(e);
            } else {
                pending.offset = md.offset();
                pending.partition = md.partition();
            }
        });
        return outcome;
    }

    /**
     * Where partition {@code partition} of the events topic ends now (the offset its next committed event will
     * get), or -1 if there is no such partition: what a position a client passes back can be checked against.
     *
     * @throws IllegalStateException if the broker does not answer in time
     */
    public long eventsEnd(int partition) {
        awaitPositioned();
        if (partition < 0 || partition >= partitionCount) {
            return -1; // asked of the broker, a partition that does not exist is a wait for metadata, not an answer
        }
        TopicPartition tp = new TopicPartition(eventsTopic, partition);
        try {
            return admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()),
                            new org.apache.kafka.clients.admin.ListOffsetsOptions(
                                    org.apache.kafka.common.IsolationLevel.READ_COMMITTED))
                    .partitionResult(tp).get(5, TimeUnit.SECONDS).offset();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return -1;
            }
            throw new IllegalStateException("cannot read the end of " + tp + ": " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the broker did not say where " + tp + " ends within 5 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void awaitPositioned() {
        try {
            if (!positioned.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the event log " + eventsTopic + " is not reachable");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void loop() {
        try {
            List<TopicPartition> partitions;
            while (true) {
                List<PartitionInfo> infos = tail.partitionsFor(eventsTopic, Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                    break;
                }
            }
            partitionCount = partitions.size();
            tail.assign(partitions);
            tail.seekToEnd(partitions);
            partitions.forEach(tail::position); // resolve now, so nothing sent after this is missed
            positioned.countDown();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : tail.poll(Duration.ofMillis(waiting.isEmpty() ? 200 : 50))) {
                    lastRecord.put(r.partition(), r.offset());
                    if (!waiting.isEmpty()) {
                        match(r);
                    }
                }
                if (!waiting.isEmpty()) {
                    completeDecidedNothing();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("command log tail of {} stopped", eventsTopic, e);
        } finally {
            tail.close(Duration.ofSeconds(2));
        }
    }

    private void match(ConsumerRecord<String, byte[]> r) {
        E event;
        try {
            event = reader.decode(r.value());
        } catch (RuntimeException ex) {
            LOG.warn("undecodable event at {}-{}@{}", r.topic(), r.partition(), r.offset(), ex);
            return;
        }
        List<Pending<E>> pendings = waiting.get(reader.causationId(event));
        if (pendings == null) {
            return;
        }
        for (Pending<E> pending : pendings) {
            pending.events.add(event);
            if (reader.last(event)) {
                pending.future.complete(new Outcome<>(pending.events, r.partition(), r.offset()));
            }
        }
    }

    /**
     * Completes, with no events, the outcome of every waiting command that the decision loop has consumed without
     * deciding any event the tail could still read. Runs on the tail's thread, only for commands that have waited.
     */
    private void completeDecidedNothing() {
        long now = System.nanoTime();
        if (now - lastNothingCheck < NOTHING_CHECK_AFTER_NANOS) {
            return; // at most one question to the broker per interval, however many commands wait
        }
        List<Pending<E>> old = waiting.values().stream().flatMap(List::stream)
                .filter(p -> p.partition >= 0 && p.events.isEmpty() && now - p.sentAt > NOTHING_CHECK_AFTER_NANOS)
                .toList();
        if (old.isEmpty()) {
            return;
        }
        lastNothingCheck = now;
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            committed = admin.listConsumerGroupOffsets(deciderGroup).partitionsToOffsetAndMetadata()
                    .get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("cannot read the offsets of {}", deciderGroup, e);
            return;
        }
        List<Pending<E>> decided = old.stream().filter(p -> {
            OffsetAndMetadata c = committed.get(new TopicPartition(commandsTopic, p.partition));
            return c != null && c.offset() > p.offset;
        }).toList();
        if (decided.isEmpty()) {
            return;
        }
        // decided: their events (if any) were committed with the offsets; has the tail read that far?
        Map<TopicPartition, Long> ends = tail.endOffsets(decided.stream()
                .map(p -> new TopicPartition(eventsTopic, p.partition)).distinct().toList());
        for (Pending<E> p : decided) {
            TopicPartition events = new TopicPartition(eventsTopic, p.partition);
            long end = ends.get(events);
            if (tail.position(events) < end || !p.events.isEmpty()) {
                p.nothingSince = 0;
            } else if (p.nothingSince == 0) {
                // seen once; the commit's markers reach the group's offsets and the events partition at slightly
                // different moments, so believe it only when it still holds a moment later
                p.nothingSince = now;
            } else if (now - p.nothingSince >= NOTHING_CHECK_AFTER_NANOS) {
                // the last event before it (end - 1 may be a transaction marker, which no reader ever "reaches")
                p.future.complete(new Outcome<>(List.of(), p.partition, lastRecord.getOrDefault(p.partition, -1L)));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        tail.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
