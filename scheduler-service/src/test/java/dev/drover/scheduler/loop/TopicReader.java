package dev.drover.scheduler.loop;

import dev.drover.embedded.TestInfrastructure;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * Reads a whole topic from its beginning, read_committed, as a plain consumer without a group: what a person (or
 * another service) would see. Records are decoded as they arrive; a record that does not decode is kept with a null
 * value and its raw bytes, since some tests put garbage on purpose.
 *
 * <p>Kafka consumers are single-threaded: a reader is used only by the test thread, and {@link #awaitUntil} polls on
 * that thread.
 *
 * @param <T> the decoded value type
 */
public final class TopicReader<T> implements AutoCloseable {
    /** How long any wait for the log may take before the test fails; generous, since a pass takes milliseconds. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);

    /** One record as read. */
    public record Entry<T>(int partition, long offset, String key, byte[] raw, T value) {
    }

    private final String topic;
    private final Function<byte[], T> decoder;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Entry<T>> seen = new ArrayList<>();

    public TopicReader(String topic, Function<byte[], T> decoder) {
        this.topic = topic;
        this.decoder = decoder;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        // a topic created a moment ago may not be in the metadata yet: its partition list is empty until it is
        List<TopicPartition> partitions = new ArrayList<>();
        await(topic + " in the metadata").atMost(PATIENCE).pollInSameThread().pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    consumer.partitionsFor(topic, Duration.ofSeconds(5))
                            .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
                    return !partitions.isEmpty();
                });
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what has arrived since the last call and returns everything seen so far. */
    public List<Entry<T>> poll() {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
            T value;
            try {
                value = decoder.apply(r.value());
            } catch (RuntimeException e) {
                value = null;
            }
            seen.add(new Entry<>(r.partition(), r.offset(), r.key(), r.value(), value));
        }
        return List.copyOf(seen);
    }

    /** Everything seen so far, without reading. */
    public List<Entry<T>> seen() {
        return List.copyOf(seen);
    }

    /** Reads until {@code condition} holds for everything seen; returns what was seen then. */
    public List<Entry<T>> awaitUntil(String what, Predicate<List<Entry<T>>> condition) {
        await(what + " on " + topic).atMost(PATIENCE).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10)).until(() -> condition.test(poll()));
        return seen();
    }

    /** Reads up to the end of the topic as it is now (its last stable offsets); returns everything seen. */
    public List<Entry<T>> readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        await("the end of " + topic).atMost(PATIENCE).pollInSameThread().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10)).until(() -> {
                    poll();
                    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                });
        return seen();
    }

    /** Reads until at least one decoded value matches, and returns the first that does. */
    public T awaitFirst(String what, Predicate<T> match) {
        return awaitUntil(what, all -> all.stream().anyMatch(e -> e.value() != null && match.test(e.value())))
                .stream().filter(e -> e.value() != null && match.test(e.value())).findFirst().orElseThrow().value();
    }

    /** The decoded values seen so far that match. */
    public List<T> values(Predicate<T> match) {
        return seen.stream().filter(e -> e.value() != null && match.test(e.value())).map(Entry::value).toList();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
