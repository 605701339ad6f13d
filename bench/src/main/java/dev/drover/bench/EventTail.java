package dev.drover.bench;

import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.wire.EventCodec;
import dev.drover.schemas.run.event.RunEventEnvelope;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Reads {@code drover.run.events} — the source of truth — from the beginning (read_committed), decodes every record
 * with the scheduler's wire codec and hands it to the listeners the benchmarks register. Also counts the events.
 */
final class EventTail implements AutoCloseable {
    /** One event as stored in the log. */
    record Event(int partition, long offset, RunEventEnvelope envelope) {
        Object payload() {
            return envelope.getPayload();
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong events = new AtomicLong();
    private final Map<Integer, Long> lastOffsets = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    EventTail(String bootstrapServers) {
        this.consumer = new KafkaConsumer<>(KafkaClientConfig.connect(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class), bootstrapServers));
        this.thread = new Thread(this::loop, "bench-event-tail");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void listen(Consumer<Event> listener) {
        listeners.add(listener);
    }

    void unlisten(Consumer<Event> listener) {
        listeners.remove(listener);
    }

    /** Events read so far (control records excluded). */
    long count() {
        if (failure != null) {
            throw new IllegalStateException("event tail failed", failure);
        }
        return events.get();
    }

    /** Offset of the last event read, per partition. */
    Map<Integer, Long> lastOffsets() {
        return Map.copyOf(lastOffsets);
    }

    private void loop() {
        try {
            List<PartitionInfo> infos = null;
            while (infos == null || infos.isEmpty()) {
                infos = consumer.partitionsFor(Topics.RUN_EVENTS, Duration.ofSeconds(30));
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Event e = new Event(r.partition(), r.offset(), EventCodec.decode(r.value()));
                    events.incrementAndGet();
                    lastOffsets.put(r.partition(), r.offset());
                    for (Consumer<Event> l : listeners) {
                        l.accept(e);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure = t;
            Log.err("event tail failed: " + t);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
