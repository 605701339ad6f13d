package dev.drover.executor.control;

import dev.drover.executor.wire.AttemptEnded;
import dev.drover.executor.wire.ExecutorWire;
import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Watches the scheduler's events for the end of attempts this executor may be running (cancel, timeout, lost) so it
 * can kill their processes. Reads from the end of the log: an executor only cares about what it runs now.
 */
public final class ControlListener implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlListener.class);
    private final KafkaConsumer<String, byte[]> consumer;
    private final ExecutorWire wire;
    private final Consumer<AttemptEnded> onEnded;
    private final Thread thread;
    private volatile boolean running = true;

    public ControlListener(String bootstrapServers, ExecutorWire wire, Consumer<AttemptEnded> onEnded) {
        this.wire = wire;
        this.onEnded = onEnded;
        this.consumer = new KafkaConsumer<>(KafkaClientConfig.connect(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class), bootstrapServers));
        this.thread = new Thread(this, "executor-control");
        thread.setDaemon(true);
    }

    /**
     * Positions the listener at the end of the log, then starts it. Positioning happens here, before any attempt can
     * start, rather than on the listener's thread: an end published after this returns is never missed, whereas a
     * lazily resolved position could skip the cancel of an attempt started meanwhile (which would then run on until
     * its timeout).
     */
    public void start() {
        List<PartitionInfo> infos = consumer.partitionsFor(Topics.RUN_EVENTS, Duration.ofSeconds(60));
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve now: seekToEnd alone is evaluated on the first poll
        thread.start();
    }

    @Override
    public void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Optional<AttemptEnded> ended;
                    try {
                        ended = wire.attemptEnded(r.value());
                    } catch (RuntimeException e) {
                        LOG.warn("undecodable event {}-{}@{}", r.topic(), r.partition(), r.offset());
                        continue;
                    }
                    ended.ifPresent(onEnded);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("control listener stopped", e);
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
