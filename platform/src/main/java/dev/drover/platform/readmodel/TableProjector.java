package dev.drover.platform.readmodel;

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
 * Projects an events topic into PostgreSQL tables, and tells writers when their events have arrived there
 * (read-your-writes). The service supplies the {@link Projection}: its tables and how one event is applied.
 *
 * <p>Each poll's records are applied in one database transaction together with the offsets they reached (table
 * {@code projection_offsets (partition, next_offset)}), so a crash never applies a record twice or skips one; no
 * Kafka consumer group is involved (every partition is assigned). On a database or broker failure the transaction
 * rolls back and projection resumes from the stored offsets after a second.
 *
 * <p>A record that cannot be decoded is logged with its position, counted ({@link #skippedRecords()}) and skipped:
 * one bad record must not stop the read model. A record that decodes but cannot be applied is not skipped — that
 * would leave the tables silently inconsistent — it is retried, and logged, until the cause is fixed (or the read
 * model is rebuilt). {@link #rebuild()} empties the tables and projects the log again from its beginning.
 *
 * @param <E> the decoded event envelope
 */
public final class TableProjector<E> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TableProjector.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    /** What a service projects, and how. */
    public interface Projection<E> {
        /** The tables a rebuild empties (every table of the read model but {@code projection_offsets}). */
        List<String> tables();

        /** Applies one event inside the caller's transaction. */
        void apply(Connection conn, E event, int partition, long offset) throws SQLException;

        /** Called after a batch is committed, before its progress is reported (e.g. to drop cached answers). */
        default void committed(List<E> batch) {
        }

        /** Called after a rebuild emptied the tables. */
        default void rebuilt() {
        }
    }

    private final String name;
    private final String topic;
    private final String bootstrapServers;
    private final DataSource dataSource;
    private final Function<byte[], E> decode;
    private final Projection<E> projection;
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
     * @param name   the read model's name, for logs, thread and client ids (e.g. {@code registry})
     * @param decode turns a record's value into an event envelope; it may throw on a value it cannot read
     */
    public TableProjector(String name, String bootstrapServers, String topic, DataSource dataSource,
                          Function<byte[], E> decode, Projection<E> projection) {
        this.name = Objects.requireNonNull(name, "name");
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.decode = Objects.requireNonNull(decode, "decode");
        this.projection = Objects.requireNonNull(projection, "projection");
    }

    /** Starts projecting on its own thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the " + name + " projector is already started");
        }
        running = true;
        thread = new Thread(this::loop, name + "-projector");
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

    /** Whether the event at {@code offset} of events partition {@code partition} is in the read model. */
    public boolean hasProjected(int partition, long offset) {
        Long next = projected.get(partition);
        return next != null && next > offset;
    }

    /** Waits until {@link #hasProjected} holds or the timeout passes; returns whether it holds. */
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
                    projection.rebuilt();
                }
                List<TopicPartition> partitions = partitions(c);
                if (partitions.isEmpty()) {
                    LOG.info("topic {} does not exist yet; waiting for it", topic);
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
                    LOG.error("{} read-model projection failed; retrying from the stored offsets in {}", name,
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
                ConsumerConfig.CLIENT_ID_CONFIG, "drover-" + name + "-projector",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
        List<TopicPartition> out = new ArrayList<>();
        if (infos != null) {
            infos.forEach(i -> out.add(new TopicPartition(topic, i.partition())));
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
            st.execute("truncate " + String.join(", ", projection.tables()));
            conn.commit();
        }
        LOG.info("{} read model emptied; projecting {} again from the beginning", name, topic);
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
        List<E> batch = new ArrayList<>();
        int undecodable = 0;
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            try {
                for (ConsumerRecord<String, byte[]> r : records) {
                    E envelope = decodeOrNull(r);
                    if (envelope != null) {
                        projection.apply(conn, envelope, r.partition(), r.offset());
                        batch.add(envelope);
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
        projection.committed(batch); // before the progress that read-your-writes waits for
        synchronized (progressLock) {
            projected.putAll(next);
            progressLock.notifyAll();
        }
    }

    private E decodeOrNull(ConsumerRecord<String, byte[]> r) {
        try {
            if (r.value() == null) {
                throw new IllegalArgumentException("the record has no value");
            }
            return Objects.requireNonNull(decode.apply(r.value()), "the decoder returned null");
        } catch (RuntimeException e) {
            LOG.error("cannot decode {} event {}-{}@{} (key {}); skipping it", name, r.topic(), r.partition(),
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
