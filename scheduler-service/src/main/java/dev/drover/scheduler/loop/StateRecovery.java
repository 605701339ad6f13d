package dev.drover.scheduler.loop;

import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.SchedulerSettings;
import dev.drover.scheduler.core.SchedulerState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the state of one partition: the latest snapshot, then every committed event after the offset it covers.
 * Replay only folds events ({@link SchedulerState#apply}); it never decides or writes anything.
 */
final class StateRecovery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StateRecovery.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private final KafkaConsumer<String, byte[]> reader;
    private final LogCodec codec;
    private final SchedulerSettings settings;

    StateRecovery(String bootstrapServers, LogCodec codec, SchedulerSettings settings) {
        this.codec = codec;
        this.settings = settings;
        this.reader = new KafkaConsumer<>(KafkaClientConfig.connect(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                // Recovery reads partition after partition with one consumer, and a consumer has one fetch in flight
                // per broker: the broker would hold the fetch left at the end of one partition for the default
                // 500 ms before the next partition's first fetch could go out, making every restart wait ~0.5 s
                // per owned partition.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 << 20,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class), bootstrapServers));
    }

    /** Recovers several partitions, reading the snapshot topic once. */
    Map<Integer, PartitionState> recover(java.util.Collection<Integer> partitions) {
        Map<Integer, byte[]> snapshots = latestSnapshots();
        Map<Integer, PartitionState> out = new java.util.HashMap<>();
        for (int p : partitions) {
            out.put(p, recover(p, decode(p, snapshots.get(p), settings.keepFinishedRuns())));
        }
        return out;
    }

    private PartitionState recover(int partition, SnapshotCodec.Snapshot snapshot) {
        SchedulerState state = snapshot == null ? new SchedulerState(settings.keepFinishedRuns()) : snapshot.state();
        long from = snapshot == null ? 0 : snapshot.eventsOffset() + 1;
        TopicPartition tp = new TopicPartition(Topics.RUN_EVENTS, partition);
        reader.assign(List.of(tp));
        reader.seek(tp, from);
        long end = reader.endOffsets(List.of(tp)).get(tp);
        long last = from - 1;
        long replayed = 0;
        while (reader.position(tp) < end) {
            for (ConsumerRecord<String, byte[]> r : reader.poll(POLL)) {
                try {
                    state.apply(codec.decodeEvent(r.value()).event());
                    replayed++;
                } catch (RuntimeException e) {
                    LOG.error("cannot fold event {}-{}@{}; skipping it", r.topic(), r.partition(), r.offset(), e);
                }
                last = r.offset();
            }
        }
        reader.unsubscribe();
        LOG.info("partition {}: snapshot {} + {} events replayed", partition,
                snapshot == null ? "none" : "@" + snapshot.eventsOffset(), replayed);
        PartitionState ps = new PartitionState(partition, state, last, settings);
        ps.eventsSinceSnapshot = replayed;
        return ps;
    }

    private Map<Integer, byte[]> latestSnapshots() {
        TopicPartition tp = new TopicPartition(Topics.SCHEDULER_SNAPSHOTS, 0);
        reader.assign(List.of(tp));
        reader.seekToBeginning(List.of(tp));
        long end = reader.endOffsets(List.of(tp)).get(tp);
        Map<Integer, byte[]> latest = new java.util.HashMap<>();
        while (reader.position(tp) < end) {
            for (ConsumerRecord<String, byte[]> r : reader.poll(POLL)) {
                if (r.key() != null && r.key().matches("partition-\\d{1,9}")) {
                    latest.put(Integer.parseInt(r.key().substring("partition-".length())), r.value());
                } else {
                    LOG.warn("ignoring snapshot record {}-{}@{} with key '{}': not partition-<n>", r.topic(),
                            r.partition(), r.offset(), r.key());
                }
            }
        }
        reader.unsubscribe();
        return latest;
    }

    private static SnapshotCodec.Snapshot decode(int partition, byte[] bytes, int keepFinishedRuns) {
        if (bytes == null) {
            return null;
        }
        try {
            return SnapshotCodec.decode(bytes, keepFinishedRuns);
        } catch (RuntimeException e) {
            LOG.error("snapshot of partition {} is unreadable; replaying the whole log instead", partition, e);
            return null;
        }
    }

    @Override
    public void close() {
        reader.close(Duration.ofSeconds(5));
    }
}
