package dev.drover.scheduler;

import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.KafkaSettings;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.SchedulerDecider;
import dev.drover.scheduler.loop.CommandGateway;
import dev.drover.scheduler.loop.LogCodec;
import dev.drover.scheduler.loop.SchedulerLoop;
import dev.drover.scheduler.projection.ReadModelProjector;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.apache.kafka.clients.admin.Admin;

import io.micronaut.jdbc.DataSourceResolver;
import javax.sql.DataSource;
import java.time.Clock;
import dev.drover.platform.readmodel.ReadModelOwner;
import dev.drover.platform.readmodel.TableProjector;

/**
 * Starts the scheduler's moving parts when the service starts, in order: topics, the decision loop, the command
 * gateway used by REST writes, and the read-model projector; and stops them in reverse.
 */
@Context
@Requires(property = "drover.scheduler.enabled", value = "true")
public class SchedulerRuntime implements ReadModelOwner, AutoCloseable {
    private final SchedulerLoop loop;
    private final CommandGateway gateway;
    private final ReadModelProjector projector;

    SchedulerRuntime(KafkaSettings kafka, SchedulerConfig config, @Named("scheduler") DataSource contextual,
                     DataSourceResolver resolver) {
        // the plain pool: the projector manages its own connections and transactions
        DataSource dataSource = resolver.resolve(contextual);
        try (Admin admin = Admin.create(KafkaClientConfig.connect(kafka.getBootstrapServers()))) {
            Topics.ensureTopics(admin, kafka.getPartitions(), kafka.getReplicationFactor());
        }
        Clock clock = Clock.systemUTC();
        LogCodec codec = new LogCodec();
        this.loop = new SchedulerLoop(new SchedulerLoop.LoopSettings(kafka.getBootstrapServers(),
                config.getInstanceId(), config.getSnapshotEveryEvents(), config.getTransactionTimeout()),
                new SchedulerDecider(config.decisionSettings()), codec, clock);
        this.gateway = new CommandGateway(kafka.getBootstrapServers(), codec, clock);
        this.projector = new ReadModelProjector(kafka.getBootstrapServers(), dataSource, codec);
        if (config.isRebuildReadModels()) {
            projector.rebuild();
        }
        loop.start();
        projector.start();
    }

    public SchedulerLoop loop() {
        return loop;
    }

    public CommandGateway gateway() {
        return gateway;
    }

    @Override
    public TableProjector<?> readModel() {
        return projector.projector();
    }

    public ReadModelProjector projector() {
        return projector;
    }

    @PreDestroy
    @Override
    public void close() {
        projector.close();
        gateway.close();
        loop.close();
    }
}
