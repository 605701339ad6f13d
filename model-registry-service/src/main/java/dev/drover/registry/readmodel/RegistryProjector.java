package dev.drover.registry.readmodel;

import dev.drover.platform.kafka.Topics;
import dev.drover.platform.readmodel.TableProjector;
import dev.drover.registry.core.ModelEvent;
import dev.drover.registry.wire.EventEnvelope;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Projects {@code drover.registry.events} into the registry's Postgres read model, and tells REST writes when their
 * events have arrived there (read-your-writes).
 *
 * <p>The platform's {@link TableProjector} does the work; each poll's records are applied by
 * {@link RegistryProjection} in one database transaction together with the
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
public final class RegistryProjector implements ProjectionProgress, AutoCloseable {
    /** The topic the registry's decision loop appends events to. */
    public static final String EVENTS_TOPIC = Topics.REGISTRY_EVENTS;

    private final TableProjector<EventEnvelope> projector;

    /**
     * @param decode turns a record's value into an event envelope; it may throw on a value it cannot read
     */
    public RegistryProjector(String bootstrapServers, DataSource dataSource, Function<byte[], EventEnvelope> decode) {
        this(bootstrapServers, dataSource, decode, new ReadCache());
    }

    /** A projector that drops the cached answers about each model it projects an event of (see {@link ReadCache}). */
    public RegistryProjector(String bootstrapServers, DataSource dataSource, Function<byte[], EventEnvelope> decode,
                             ReadCache cache) {
        RegistryProjection projection = new RegistryProjection();
        this.projector = new TableProjector<>("registry", bootstrapServers, EVENTS_TOPIC, dataSource, decode,
                new TableProjector.Projection<>() {
                    @Override
                    public List<String> tables() {
                        return RegistryProjection.TABLES;
                    }

                    @Override
                    public void apply(Connection conn, EventEnvelope event, int partition, long offset)
                            throws SQLException {
                        projection.apply(conn, event, partition, offset);
                    }

                    @Override
                    public void committed(List<EventEnvelope> batch) {
                        Set<String> models = new HashSet<>();
                        for (EventEnvelope e : batch) {
                            if (e.event() instanceof ModelEvent m) {
                                models.add(m.modelName());
                            }
                        }
                        cache.invalidate(models);
                    }

                    @Override
                    public void rebuilt() {
                        cache.invalidateAll();
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

    /** How many records could not be decoded and were skipped since this projector started. */
    public long skippedRecords() {
        return projector.skippedRecords();
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
