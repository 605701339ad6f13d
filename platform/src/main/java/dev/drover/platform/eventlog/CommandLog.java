package dev.drover.platform.eventlog;

import org.apache.kafka.clients.consumer.ConsumerConfig;
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
 * @param <E> the decoded event envelope
 */
public final class CommandLog<E> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandLog.class);
    private final String commandsTopic;
    private final String eventsTopic;
    private final EventReader<E> reader;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> tail;
    private final Map<String, Pending<E>> waiting = new ConcurrentHashMap<>();
    private final CountDownLatch positioned = new CountDownLatch(1);
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

    /** The events decided from one command, and where the last of them is in the log. */
    public record Outcome<E>(List<E> events, int partition, long lastOffset) {
        public Outcome {
            events = List.copyOf(events);
        }
    }

    private record Pending<E>(CompletableFuture<Outcome<E>> future, List<E> events) {
    }

    public CommandLog(String bootstrapServers, String commandsTopic, String eventsTopic, EventReader<E> reader) {
        this.commandsTopic = commandsTopic;
        this.eventsTopic = eventsTopic;
        this.reader = reader;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        this.tail = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
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
        CompletableFuture<Outcome<E>> outcome = new CompletableFuture<>();
        waiting.put(commandId, new Pending<>(outcome, new ArrayList<>()));
        outcome.whenComplete((o, e) -> waiting.remove(commandId));
        producer.send(new ProducerRecord<>(commandsTopic, key, command), (md, e) -> {
            if (e != null) {
                outcome.completeExceptionally(e);
            }
        });
        return outcome;
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
            tail.assign(partitions);
            tail.seekToEnd(partitions);
            partitions.forEach(tail::position); // resolve now, so nothing sent after this is missed
            positioned.countDown();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : tail.poll(Duration.ofMillis(200))) {
                    if (!waiting.isEmpty()) {
                        match(r);
                    }
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
        Pending<E> pending = waiting.get(reader.causationId(event));
        if (pending == null) {
            return;
        }
        pending.events().add(event);
        if (reader.last(event)) {
            pending.future().complete(new Outcome<>(pending.events(), r.partition(), r.offset()));
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
    }
}
