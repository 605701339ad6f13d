package dev.drover.monitor.readmodel;

import dev.drover.monitor.wire.EventEnvelope;
import dev.drover.platform.kafka.Topics;
import dev.drover.platform.readmodel.TableProjector;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
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
 * <p>A record that cannot be decoded or applied is tried a few times, then quarantined with its error, and the read
 * model goes on (see {@link TableProjector}): one bad record never stops it.
 *
 * <p>{@link #rebuild()} empties the tables and projects the log again from its beginning.
 */
public final class MonitorProjector implements ProjectionProgress, AutoCloseable {
    /** The topic the monitor's decision loop appends events to. */
    public static final String EVENTS_TOPIC = Topics.MONITOR_EVENTS;

    private final TableProjector<EventEnvelope> projector;

    /**
     * @param decode turns a record's value into an event envelope; it may throw on a value it cannot read
     */
    public MonitorProjector(String bootstrapServers, DataSource dataSource, Function<byte[], EventEnvelope> decode) {
        MonitorProjection projection = new MonitorProjection();
        this.projector = new TableProjector<>("monitor", bootstrapServers, List.of(EVENTS_TOPIC), dataSource,
                (topic, value) -> decode.apply(value),
                new TableProjector.Projection<>() {
                    @Override
                    public List<String> tables() {
                        return MonitorProjection.TABLES;
                    }

                    @Override
                    public TableProjector.Applier<EventEnvelope> applier(Connection conn) {
                        return (event, at) -> projection.apply(conn, event, at.partition(), at.offset());
                    }
                });
    }

    /** Starts projecting on its own thread. */
    public void start() {
        projector.start();
    }

    /** Empties every table of the read model and projects the log again from its beginning. Returns at once. */
    public void rebuild() {
        projector.rebuild();
    }

    /** The platform projector underneath: its quarantine, for the admin endpoints and health. */
    public TableProjector<EventEnvelope> projector() {
        return projector;
    }

    @Override
    public boolean hasProjected(int partition, long offset) {
        return projector.hasProjected(partition, offset);
    }

    @Override
    public boolean awaitProjected(int partition, long offset, Duration timeout) {
        return projector.awaitProjected(partition, offset, timeout);
    }

    @Override
    public void close() {
        projector.close();
    }
}
