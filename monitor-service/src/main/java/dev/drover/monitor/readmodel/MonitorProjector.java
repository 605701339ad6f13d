package dev.drover.monitor.readmodel;

import dev.drover.platform.kafka.Topics;
import dev.drover.monitor.wire.EventEnvelope;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Projects {@code drover.monitor.events} into the monitor's Postgres read model, and tells REST writes when their
 * events have arrived there (read-your-writes).
 *
 * <p>Each poll's records are applied by {@link MonitorProjection} in one database transaction together with the
 * offsets they reached ({@code projection_offsets}), so a crash never applies a record twice or skips one; no Kafka
 * consumer group is involved (every partition is assigned). On a database or broker failure the transaction rolls
 * back and projection resumes from the stored offsets after a second.
 *
 * <p>A record that cannot be decoded is logged with its position, counted ({@link #skippedRecords()}) and skipped:
 * one bad record must not stop the read model. A record that decodes but cannot be applied is not skipped — that
 * would leave the tables silently inconsistent — it is retried, and logged, until the cause is fixed (or the read
 * model is rebuilt).
 *
 * <p>{@link #rebuild()} empties the tables and projects the log again from its beginning.
 */
public final class MonitorProjector implements ProjectionProgress, AutoCloseable {
    /** The topic the monitor's decision loop appends events to. */
    public static final String EVENTS_TOPIC = Topics.MONITOR_EVENTS;
    private static final Logger LOG = LoggerFactory.getLogger(MonitorProjector.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final String bootstrapServers;
    private final DataSource dataSource;
    private final Function<byte[], EventEnvelope> decode;
    private final MonitorProjection projection = new MonitorProjection();
    /** Next offset to project, per events partition; guarded for waiting by {@link #progressLock}. */
    private final Map<Integer, Long> projected = new ConcurrentHashMap<>();
    private final Object progressLock = new Object();
    private final AtomicLong skipped = new AtomicLong();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean rebuildRequested;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * @param decode turns a record's value into an event envelope; it may throw on a value it cannot read
     */
    public MonitorProjector(String bootstrapServers, DataSource dataSource, Function<byte[], EventEnvelope> decode) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.decode = Objects.requireNonNull(decode, "decode");
    }

    /** Starts projecting on its own thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the monitor projector is already started");
        }
        running = true;
        thread = new Thread(this::loop, "monitor-projector");
        thread.setDaemon(true);
        thread.start();
    }

    /** Empties every table of the read model and projects the log again from its beginning. Returns at once. */
    public void rebuild() {
        rebuildRequested = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** How many records could not be decoded and were skipped since this projector started. */
    public long skippedRecords() {
        return skipped.get();
    }

    @Override
    public boolean hasProjected(int partition, long offset) {
        Long next = projected.get(partition);
        return next != null && next > offset;
    }

    @Override
    public boolean awaitProjected(int partition, long offset, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progressLock) {
            while (!hasProjected(partition, offset)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progressLock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return hasProjected(partition, offset);
                }
            }
            return true;
        }
    }

    private void loop() {
        while (running) {
            try (KafkaConsumer<String, byte[]> c = newConsumer()) {
                consumer = c;
                if (rebuildRequested) {
                    rebuildRequested = false;
                    projected.clear(); // nothing counts as projected until it is projected again
                    truncate();
                }
                List<TopicPartition> partitions = partitions(c);
                if (partitions.isEmpty()) {
                    LOG.info("topic {} does not exist yet; waiting for it", EVENTS_TOPIC);
                    pause();
                    continue;
                }
                c.assign(partitions);
                Map<Integer, Long> stored = loadOffsets();
                synchronized (progressLock) {
                    projected.clear();
                    for (TopicPartition tp : partitions) {
                        long next = stored.getOrDefault(tp.partition(), 0L);
                        c.seek(tp, next);
                        projected.put(tp.partition(), next);
                    }
                    progressLock.notifyAll();
                }
                while (running && !rebuildRequested) {
                    ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
                    if (!records.isEmpty()) {
                        project(records);
                    }
                }
            } catch (WakeupException e) {
                // a rebuild was asked for, or the projector is closing: loop around
            } catch (RuntimeException | SQLException e) {
                if (running) {
                    LOG.error("monitor read-model projection failed; retrying from the stored offsets in {}",
                            RETRY_PAUSE, e);
                    pause();
                }
            } finally {
                consumer = null;
            }
        }
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "drover-monitor-projector",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(EVENTS_TOPIC, Duration.ofSeconds(30));
        List<TopicPartition> out = new ArrayList<>();
        if (infos != null) {
            infos.forEach(i -> out.add(new TopicPartition(EVENTS_TOPIC, i.partition())));
        }
        return out;
    }

    private void pause() {
        try {
            // wait before reconnecting to a failing database or broker; close() cuts the wait short
            closed.await(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void truncate() throws SQLException {
        try (Connection conn = dataSource.getConnection(); Statement st = conn.createStatement()) {
            conn.setAutoCommit(false);
            st.execute("truncate " + String.join(", ", MonitorProjection.TABLES));
            conn.commit();
        }
        LOG.info("monitor read model emptied; projecting {} again from the beginning", EVENTS_TOPIC);
    }

    private Map<Integer, Long> loadOffsets() throws SQLException {
        Map<Integer, Long> out = new HashMap<>();
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement("select partition, next_offset from projection_offsets");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getInt(1), rs.getLong(2));
            }
        }
        return out;
    }

    private void project(ConsumerRecords<String, byte[]> records) throws SQLException {
        Map<Integer, Long> next = new HashMap<>();
        int undecodable = 0;
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            try {
                for (ConsumerRecord<String, byte[]> r : records) {
                    EventEnvelope envelope = decodeOrNull(r);
                    if (envelope != null) {
                        projection.apply(conn, envelope, r.partition(), r.offset());
                    } else {
                        undecodable++;
                    }
                    next.put(r.partition(), r.offset() + 1);
                }
                try (PreparedStatement ps = conn.prepareStatement("insert into projection_offsets (partition, "
                        + "next_offset) values (?, ?) on conflict (partition) do update set next_offset = "
                        + "excluded.next_offset")) {
                    for (Map.Entry<Integer, Long> e : next.entrySet()) {
                        ps.setInt(1, e.getKey());
                        ps.setLong(2, e.getValue());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                conn.commit();
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        }
        skipped.addAndGet(undecodable);
        synchronized (progressLock) {
            projected.putAll(next);
            progressLock.notifyAll();
        }
    }

    private EventEnvelope decodeOrNull(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.value() == null) {
                throw new IllegalArgumentException("the record has no value");
            }
            return Objects.requireNonNull(decode.apply(r.value()), "the decoder returned null");
        } catch (RuntimeException e) {
            LOG.error("cannot decode monitor event {}-{}@{} (key {}); skipping it", r.topic(), r.partition(),
                    r.offset(), r.key(), e);
            return null;
        }
    }

    @Override
    public void close() {
        running = false;
        closed.countDown();
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
