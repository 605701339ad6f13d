package dev.drover.platform.readmodel;

import dev.drover.platform.kafka.KafkaClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Projects event topics into PostgreSQL tables, tells writers when their events have arrived there (read-your-writes),
 * and can never be jammed by one record. The service supplies the {@link Projection}: its tables and how one event
 * is applied. Every service's read model runs on this one class, so they all behave the same way.
 *
 * <p><b>Exactly once.</b> Each poll's records are applied in one database transaction together with the offsets they
 * reached (table {@code projection_offsets (topic, partition_no, next_offset)}), so a crash never applies a record
 * twice or skips one; no Kafka consumer group is involved (every partition is assigned).
 *
 * <p><b>Poison.</b> A record that cannot be decoded, or whose application fails for a reason of its own (a value a
 * table refuses, a bug the content triggers), is retried {@link #MAX_TRIES} times in quick succession; then it is
 * <em>quarantined</em>: written, with its position, key, bytes and error, to {@code projection_quarantine} in the
 * same transaction that moves the offsets past it, and the read model goes on with the next record. A quarantined
 * record is listed by {@link #quarantine()} (and over REST and {@code /health} by each service) and can be applied
 * again after a fix with {@link #replay}. Failures of the environment — the database or the broker unreachable, a
 * deadlock, a full disk — are not the record's fault: the transaction rolls back and projection resumes from the
 * stored offsets a second later, for as long as it takes.
 *
 * <p>Only a batch that fails pays for finding the culprit: it is applied again record by record, each inside a
 * savepoint.
 *
 * <p>{@link #rebuild()} empties the tables (and the quarantine) and projects the log again from its beginning.
 *
 * @param <E> the decoded event (or any record value a projection understands)
 */
public final class TableProjector<E> implements AutoCloseable {
    /** How many times a failing record is tried before it is quarantined. */
    public static final int MAX_TRIES = 3;
    private static final Logger LOG = LoggerFactory.getLogger(TableProjector.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** Pause between the quick tries of a failing record: short, so one poison record costs well under a second. */
    private static final Duration TRY_PAUSE = Duration.ofMillis(50);

    /** What a service projects, and how. */
    public interface Projection<E> {
        /**
         * The tables of the read model a rebuild empties. The projector's own tables ({@code projection_offsets},
         * {@code projection_quarantine}) are emptied too, whether listed or not.
         */
        List<String> tables();

        /** What applies a transaction's events through its connection; called once per transaction. */
        Applier<E> applier(Connection conn) throws SQLException;

        /** Called after a batch is committed, before its progress is reported (e.g. to drop cached answers). */
        default void committed(List<E> batch) {
        }

        /** Called after a rebuild emptied the tables. */
        default void rebuilt() {
        }
    }

    /** Applies events inside one transaction. */
    public interface Applier<E> {
        /** Applies one event read at this position. */
        void apply(E event, Position at) throws SQLException;

        /** Sends what {@link #apply} batched; called before the transaction commits (and after each record when a
         * batch is applied record by record). */
        default void flush() throws SQLException {
        }
    }

    /** Turns a record's value into an event; may throw on a value it cannot read. */
    @FunctionalInterface
    public interface Decoder<E> {
        E decode(String topic, byte[] value);
    }

    /** Where a record sits in the log. */
    public record Position(String topic, int partition, long offset) {
        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** A record set aside: where it was, what it held, and why it could not be projected. */
    public record Quarantined(Position position, byte[] key, byte[] value, String error, int tries,
                              Instant quarantinedAt) {
    }

    /** What happened to a replayed quarantined record. */
    public record Replay(Position position, boolean applied, String error) {
    }

    private final String name;
    private final List<String> topics;
    private final String bootstrapServers;
    private final DataSource dataSource;
    private final Decoder<E> decode;
    private final Projection<E> projection;
    private final Clock clock;
    /** Next offset to project, per topic partition; guarded for waiting by {@link #progressLock}. */
    private final Map<TopicPartition, Long> projected = new ConcurrentHashMap<>();
    private final Object progressLock = new Object();
    private final AtomicLong quarantinedSinceStart = new AtomicLong();
    private final AtomicLong quarantineSize = new AtomicLong();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean running;
    private volatile boolean rebuildRequested;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile String lastFailure;
    private Thread thread;

    /**
     * @param name   the read model's name, for logs, thread and client ids (e.g. {@code registry})
     * @param topics the topics projected; the first is the one {@link #hasProjected(int, long)} speaks of
     */
    public TableProjector(String name, String bootstrapServers, List<String> topics, DataSource dataSource,
                          Decoder<E> decode, Projection<E> projection) {
        this(name, bootstrapServers, topics, dataSource, decode, projection, Clock.systemUTC());
    }

    public TableProjector(String name, String bootstrapServers, List<String> topics, DataSource dataSource,
                          Decoder<E> decode, Projection<E> projection, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.topics = List.copyOf(topics);
        if (this.topics.isEmpty()) {
            throw new IllegalArgumentException("a projector needs at least one topic");
        }
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.decode = Objects.requireNonNull(decode, "decode");
        this.projection = Objects.requireNonNull(projection, "projection");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The read model's name. */
    public String name() {
        return name;
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
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** Records quarantined since this projector started. */
    public long quarantinedSinceStart() {
        return quarantinedSinceStart.get();
    }

    /** Records in quarantine now, as last seen by this projector (see {@link #quarantine()} for the list). */
    public long quarantined() {
        return quarantineSize.get();
    }

    /** Why the last failed attempt to project failed (environment or record), or null once one succeeded. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Whether the event at {@code offset} of the first topic's partition {@code partition} is in the read model. */
    public boolean hasProjected(int partition, long offset) {
        return hasProjected(topics.get(0), partition, offset);
    }

    /** Whether the record at {@code offset} of {@code topic}'s partition {@code partition} is in the read model. */
    public boolean hasProjected(String topic, int partition, long offset) {
        Long next = projected.get(new TopicPartition(topic, partition));
        return next != null && next > offset;
    }

    /** Waits until {@link #hasProjected(int, long)} holds or the timeout passes; returns whether it holds. */
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

    /** The quarantined records, oldest position first (without their bytes when there are many). */
    public List<Quarantined> quarantine() {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement("select topic, partition_no, log_offset, record_key, "
                     + "record_value, error, tries, quarantined_at from projection_quarantine "
                     + "order by topic, partition_no, log_offset limit 1000");
             ResultSet rs = ps.executeQuery()) {
            List<Quarantined> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Quarantined(new Position(rs.getString(1), rs.getInt(2), rs.getLong(3)), rs.getBytes(4),
                        rs.getBytes(5), rs.getString(6), rs.getInt(7), rs.getTimestamp(8).toInstant()));
            }
            quarantineSize.set(out.size());
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(name + " quarantine query failed: " + e.getMessage(), e);
        }
    }

    /**
     * Applies a quarantined record again (after the cause was fixed) and, if it applies, takes it out of quarantine.
     * The record is applied where the read model stands now, not where it stood when it was set aside; projections
     * are written to tolerate that (each event is applied once, by its id).
     *
     * @return empty if no record is quarantined at that position
     */
    public Optional<Replay> replay(Position at) {
        synchronized (this) { // one replay at a time; the projector's own transactions do not touch these rows
            try (Connection conn = dataSource.getConnection()) {
                conn.setAutoCommit(false);
                byte[] value;
                try (PreparedStatement ps = conn.prepareStatement("select record_value from projection_quarantine "
                        + "where topic = ? and partition_no = ? and log_offset = ? for update")) {
                    ps.setString(1, at.topic());
                    ps.setInt(2, at.partition());
                    ps.setLong(3, at.offset());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            conn.rollback();
                            return Optional.empty();
                        }
                        value = rs.getBytes(1);
                    }
                }
                String error;
                try {
                    E event = decode(at.topic(), value);
                    Applier<E> applier = projection.applier(conn);
                    applier.apply(event, at);
                    applier.flush();
                    try (PreparedStatement del = conn.prepareStatement("delete from projection_quarantine where "
                            + "topic = ? and partition_no = ? and log_offset = ?")) {
                        del.setString(1, at.topic());
                        del.setInt(2, at.partition());
                        del.setLong(3, at.offset());
                        del.executeUpdate();
                    }
                    conn.commit();
                    projection.committed(List.of(event));
                    quarantineSize.updateAndGet(n -> Math.max(0, n - 1));
                    LOG.info("{}: replayed quarantined record {}", name, at);
                    return Optional.of(new Replay(at, true, null));
                } catch (SQLException | RuntimeException e) {
                    conn.rollback();
                    error = describe(e);
                }
                try (PreparedStatement upd = conn.prepareStatement("update projection_quarantine set error = ?, "
                        + "tries = tries + 1 where topic = ? and partition_no = ? and log_offset = ?")) {
                    upd.setString(1, error);
                    upd.setString(2, at.topic());
                    upd.setInt(3, at.partition());
                    upd.setLong(4, at.offset());
                    upd.executeUpdate();
                    conn.commit();
                }
                return Optional.of(new Replay(at, false, error));
            } catch (SQLException e) {
                throw new IllegalStateException(name + " replay of " + at + " failed: " + e.getMessage(), e);
            }
        }
    }

    private E decode(String topic, byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("the record has no value");
        }
        return Objects.requireNonNull(decode.decode(topic, value), "the decoder returned null");
    }

    private void loop() {
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = newConsumer()) {
                consumer = c;
                createOwnTables();
                if (rebuildRequested) {
                    rebuildRequested = false;
                    projected.clear(); // nothing counts as projected until it is projected again
                    truncate();
                    projection.rebuilt();
                }
                List<TopicPartition> partitions = partitions(c);
                if (partitions.isEmpty()) {
                    LOG.info("topics {} do not exist yet; waiting for them", topics);
                    pause(RETRY_PAUSE);
                    continue;
                }
                c.assign(partitions);
                Map<TopicPartition, Long> stored = loadOffsets();
                synchronized (progressLock) {
                    projected.clear();
                    for (TopicPartition tp : partitions) {
                        long next = stored.getOrDefault(tp, 0L);
                        c.seek(tp, next);
                        projected.put(tp, next);
                    }
                    progressLock.notifyAll();
                }
                countQuarantine();
                while (running && !rebuildRequested) {
                    ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
                    if (!records.isEmpty()) {
                        project(records);
                    }
                }
            } catch (WakeupException e) {
                // a rebuild was asked for, or the projector is closing: loop around
            } catch (RuntimeException | SQLException e) {
                if (running) {
                    lastFailure = describe(e);
                    LOG.error("{} read-model projection failed; retrying from the stored offsets in {}", name,
                            RETRY_PAUSE, e);
                    pause(RETRY_PAUSE);
                }
            } finally {
                consumer = null;
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        return new KafkaConsumer<>(KafkaClientConfig.connect(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "drover-" + name + "-projector",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50,
                // keys are read as bytes: a key that is not UTF-8 must not fail the poll before anyone can see it
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class), bootstrapServers));
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c) {
        List<TopicPartition> out = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                return List.of(); // wait until every topic exists
            }
            infos.forEach(i -> out.add(new TopicPartition(topic, i.partition())));
        }
        return out;
    }

    private void pause(Duration duration) {
        try {
            // close() cuts the wait short
            closed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * The projector's own tables, in the connection's current schema: created here, not by each service's
     * migrations, because they are the same for every read model.
     */
    private void createOwnTables() throws SQLException {
        try (Connection conn = dataSource.getConnection(); Statement st = conn.createStatement()) {
            st.execute("create table if not exists projection_offsets (topic text not null, partition_no int not null, "
                    + "next_offset bigint not null, primary key (topic, partition_no))");
            st.execute("create table if not exists projection_quarantine (topic text not null, "
                    + "partition_no int not null, log_offset bigint not null, record_key bytea, record_value bytea, "
                    + "error text not null, tries int not null, quarantined_at timestamptz not null, "
                    + "primary key (topic, partition_no, log_offset))");
        }
    }

    private void truncate() throws SQLException {
        List<String> tables = new ArrayList<>(projection.tables());
        for (String own : List.of("projection_offsets", "projection_quarantine")) {
            if (!tables.contains(own)) {
                tables.add(own);
            }
        }
        try (Connection conn = dataSource.getConnection(); Statement st = conn.createStatement()) {
            conn.setAutoCommit(false);
            st.execute("truncate " + String.join(", ", tables));
            conn.commit();
        }
        quarantineSize.set(0);
        LOG.info("{} read model emptied; projecting {} again from the beginning", name, topics);
    }

    private void countQuarantine() throws SQLException {
        try (Connection conn = dataSource.getConnection(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("select count(*) from projection_quarantine")) {
            rs.next();
            quarantineSize.set(rs.getLong(1));
        }
    }

    private Map<TopicPartition, Long> loadOffsets() throws SQLException {
        Map<TopicPartition, Long> out = new HashMap<>();
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement("select topic, partition_no, next_offset "
                     + "from projection_offsets");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            }
        }
        return out;
    }

    /** Applies a poll's records: the whole batch at once, or — if that fails — record by record. */
    private void project(ConsumerRecords<byte[], byte[]> records) throws SQLException {
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>(records.count());
        records.forEach(all::add);
        Map<TopicPartition, Long> next = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : all) {
            next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
        }
        List<E> applied = new ArrayList<>(all.size());
        if (!applyAll(all, next, applied)) {
            for (int attempt = 1; ; attempt++) {
                applied.clear();
                if (applyOneByOne(all, next, applied, attempt >= MAX_TRIES)) {
                    break;
                }
                pause(TRY_PAUSE.multipliedBy(attempt));
                if (!running) {
                    return;
                }
            }
        }
        lastFailure = null;
        projection.committed(applied); // before the progress that read-your-writes waits for
        synchronized (progressLock) {
            projected.putAll(next);
            progressLock.notifyAll();
        }
    }

    /** The fast path: one transaction, no savepoints. False if a record failed (the transaction rolled back). */
    private boolean applyAll(List<ConsumerRecord<byte[], byte[]>> all, Map<TopicPartition, Long> next,
                             List<E> applied) throws SQLException {
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            try {
                Applier<E> applier = projection.applier(conn);
                for (ConsumerRecord<byte[], byte[]> r : all) {
                    E event = decode(r.topic(), r.value());
                    applier.apply(event, position(r));
                    applied.add(event);
                }
                applier.flush();
                storeOffsets(conn, next);
                conn.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                if (environmental(e, conn)) {
                    throw e;
                }
                lastFailure = describe(e);
                return false;
            }
        }
    }

    /**
     * The slow path: each record in a savepoint. A failing record rolls the whole transaction back (to be tried again)
     * unless {@code quarantine} is set: then it is quarantined and the others are applied.
     */
    private boolean applyOneByOne(List<ConsumerRecord<byte[], byte[]>> all, Map<TopicPartition, Long> next,
                                  List<E> applied, boolean quarantine) throws SQLException {
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            try {
                Applier<E> applier = projection.applier(conn);
                int set = 0;
                for (ConsumerRecord<byte[], byte[]> r : all) {
                    Savepoint sp = conn.setSavepoint();
                    E event = null;
                    try {
                        event = decode(r.topic(), r.value());
                        applier.apply(event, position(r));
                        applier.flush();
                        conn.releaseSavepoint(sp);
                        applied.add(event);
                    } catch (SQLException | RuntimeException e) {
                        conn.rollback(sp);
                        if (environmental(e, conn)) {
                            throw e;
                        }
                        boolean undecodable = event == null;
                        if (!quarantine && !undecodable) {
                            lastFailure = "projecting " + position(r) + ": " + describe(e);
                            LOG.warn("{}: cannot project {} (try {} of {}): {}", name, position(r),
                                    MAX_TRIES - 1, MAX_TRIES, describe(e));
                            conn.rollback();
                            return false;
                        }
                        quarantine(conn, r, (undecodable ? "cannot be decoded: " : "cannot be applied: ")
                                + describe(e), undecodable ? 1 : MAX_TRIES);
                        applier = projection.applier(conn); // statements batched before the failure are gone
                        set++;
                    }
                }
                storeOffsets(conn, next);
                conn.commit();
                if (set > 0) {
                    quarantinedSinceStart.addAndGet(set);
                    quarantineSize.addAndGet(set);
                }
                return true;
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            }
        }
    }

    private void quarantine(Connection conn, ConsumerRecord<byte[], byte[]> r, String error, int tries)
            throws SQLException {
        LOG.error("{}: quarantined {} after {} tr{}: {}; the read model goes on without it (list: the service's "
                + "quarantine endpoint; replay after a fix)", name, position(r), tries, tries == 1 ? "y" : "ies", error);
        try (PreparedStatement ps = conn.prepareStatement("insert into projection_quarantine (topic, partition_no, "
                + "log_offset, record_key, record_value, error, tries, quarantined_at) values (?, ?, ?, ?, ?, ?, ?, ?) "
                + "on conflict (topic, partition_no, log_offset) do update set error = excluded.error, "
                + "tries = excluded.tries, quarantined_at = excluded.quarantined_at")) {
            ps.setString(1, r.topic());
            ps.setInt(2, r.partition());
            ps.setLong(3, r.offset());
            ps.setBytes(4, r.key());
            ps.setBytes(5, r.value());
            ps.setString(6, error);
            ps.setInt(7, tries);
            ps.setTimestamp(8, Timestamp.from(clock.instant()));
            ps.executeUpdate();
        }
    }

    private static void storeOffsets(Connection conn, Map<TopicPartition, Long> next) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("insert into projection_offsets (topic, partition_no, "
                + "next_offset) values (?, ?, ?) on conflict (topic, partition_no) do update set next_offset = "
                + "excluded.next_offset")) {
            for (Map.Entry<TopicPartition, Long> e : next.entrySet()) {
                ps.setString(1, e.getKey().topic());
                ps.setInt(2, e.getKey().partition());
                ps.setLong(3, e.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Position position(ConsumerRecord<?, ?> r) {
        return new Position(r.topic(), r.partition(), r.offset());
    }

    /**
     * Whether a failure is the environment's rather than the record's: the connection is gone, or PostgreSQL says
     * so by the class of its SQLSTATE (08 connection, 40 transaction rollback, 53 resources, 55 object state, 57
     * operator intervention, 58 system error, XX internal).
     */
    static boolean environmental(Exception e, Connection conn) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2) {
                String cls = sql.getSQLState().substring(0, 2);
                if (List.of("08", "40", "53", "55", "57", "58", "XX").contains(cls)) {
                    return true;
                }
            }
        }
        try {
            return !conn.isValid(2);
        } catch (SQLException ex) {
            return true;
        }
    }

    /** A one-line description of a failure, safe to store as text (no NUL, no control characters). */
    static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            out.append("; caused by ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        }
        String s = out.toString().replaceAll("[\\p{Cntrl}&&[^\\t]]", " ");
        return s.length() > 2000 ? s.substring(0, 2000) + " …" : s;
    }

    @Override
    public void close() {
        running = false;
        closed.countDown();
        KafkaConsumer<byte[], byte[]> c = consumer;
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
