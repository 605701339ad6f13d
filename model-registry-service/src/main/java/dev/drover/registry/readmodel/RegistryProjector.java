package dev.drover.registry.readmodel;

import dev.drover.platform.kafka.Topics;
import dev.drover.platform.readmodel.TableProjector;
import dev.drover.registry.core.ModelEvent;
import dev.drover.registry.wire.EventEnvelope;

import javax.sql.DataSource;
import java.sql.Connection;
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
 * <p>A record that cannot be decoded or applied is tried a few times, then quarantined with its error, and the read
 * model goes on (see {@link TableProjector}): one bad record never stops it.
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
        this.projector = new TableProjector<>("registry", bootstrapServers, List.of(EVENTS_TOPIC), dataSource,
                (topic, value) -> decode.apply(value),
                new TableProjector.Projection<>() {
                    @Override
                    public List<String> tables() {
                        return RegistryProjection.TABLES;
                    }

                    @Override
                    public TableProjector.Applier<EventEnvelope> applier(Connection conn) {
                        return (event, at) -> projection.apply(conn, event, at.partition(), at.offset());
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
