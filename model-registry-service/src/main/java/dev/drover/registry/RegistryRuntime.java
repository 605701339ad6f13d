package dev.drover.registry;

import dev.drover.platform.eventlog.DecisionLoop;
import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.KafkaSettings;
import dev.drover.platform.kafka.Topics;
import dev.drover.registry.rollback.RollbackListener;
import dev.drover.registry.loop.KafkaRegistryGateway;
import dev.drover.registry.loop.RegistryGateway;
import dev.drover.registry.loop.RegistryLoop;
import dev.drover.registry.readmodel.ProjectionProgress;
import dev.drover.registry.readmodel.ReadCache;
import dev.drover.registry.readmodel.RegistryProjector;
import dev.drover.registry.retention.RetentionTimer;
import dev.drover.registry.wire.RegistryCodec;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.apache.kafka.clients.admin.Admin;

import javax.sql.DataSource;
import java.time.Clock;
import dev.drover.platform.readmodel.ReadModelOwner;
import dev.drover.platform.readmodel.TableProjector;

/**
 * Starts the registry's moving parts when the service starts, in order: topics, the decision loop, the command
 * gateway used by REST writes and registry tasks, and the read-model projector; and stops them in reverse.
 */
@Context
@Requires(property = "drover.registry.enabled", value = "true")
public class RegistryRuntime implements ReadModelOwner, AutoCloseable {
    private final DecisionLoop loop;
    private final KafkaRegistryGateway gateway;
    private final RegistryProjector projector;
    private final RetentionTimer retention;
    private final RollbackListener rollbacks;
    private final ReadCache readCache = new ReadCache();

    RegistryRuntime(KafkaSettings kafka, RegistryConfig config, @Named("registry") DataSource contextual,
                    DataSourceResolver resolver) {
        DataSource dataSource = resolver.resolve(contextual); // the projector manages its own transactions
        try (Admin admin = Admin.create(KafkaClientConfig.connect(kafka.getBootstrapServers()))) {
            Topics.ensureTopics(admin, kafka.getPartitions(), kafka.getReplicationFactor());
        }
        RegistryCodec codec = new RegistryCodec();
        this.loop = RegistryLoop.create(kafka.getBootstrapServers(), config.getInstanceId(),
                config.getTransactionTimeout(), codec, Clock.systemUTC());
        this.gateway = new KafkaRegistryGateway(kafka.getBootstrapServers(), codec);
        this.projector = new RegistryProjector(kafka.getBootstrapServers(), dataSource, codec::decodeEvent,
                readCache);
        this.retention = new RetentionTimer(gateway, dataSource, config.getRetentionInterval(), Clock.systemUTC());
        if (config.isRebuildReadModel()) {
            projector.rebuild();
        }
        loop.start();
        projector.start();
        retention.start();
        this.rollbacks = new RollbackListener(kafka.getBootstrapServers(), gateway, config.getWriteTimeout(),
                Clock.systemUTC());
        rollbacks.start();
    }

    public DecisionLoop loop() {
        return loop;
    }

    public RegistryGateway gateway() {
        return gateway;
    }

    public ProjectionProgress progress() {
        return projector;
    }

    @Override
    public TableProjector<?> readModel() {
        return projector.projector();
    }

    public RegistryProjector projector() {
        return projector;
    }

    /** Cached hot reads, kept fresh by the projector. */
    public ReadCache readCache() {
        return readCache;
    }

    public RetentionTimer retention() {
        return retention;
    }

    /** Rolls the champion back when the monitor asks for it. */
    public RollbackListener rollbacks() {
        return rollbacks;
    }

    @PreDestroy
    @Override
    public void close() {
        rollbacks.close();
        retention.close();
        projector.close();
        gateway.close();
        loop.close();
    }
}
