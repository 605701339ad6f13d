package dev.drover.scheduler.trigger;

import dev.drover.platform.kafka.KafkaSettings;
import dev.drover.scheduler.SchedulerConfig;
import dev.drover.scheduler.SchedulerRuntime;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;

import javax.sql.DataSource;

/**
 * Runs the asset router ({@link AssetTriggerListener}) while the scheduler runs (after its runtime, whose gateway it
 * uses).
 */
@Context
@Requires(property = "drover.scheduler.enabled", value = "true")
public class AssetTriggers implements AutoCloseable {
    private final AssetTriggerListener listener;

    AssetTriggers(SchedulerRuntime runtime, KafkaSettings kafka, SchedulerConfig config,
                  @Named("scheduler") DataSource contextual, DataSourceResolver resolver) {
        this.listener = new AssetTriggerListener(kafka.getBootstrapServers(),
                new AssetConsumers(resolver.resolve(contextual)), runtime.gateway(), config.getWriteTimeout());
        listener.start();
    }

    public AssetTriggerListener listener() {
        return listener;
    }

    @PreDestroy
    @Override
    public void close() {
        listener.close();
    }
}
