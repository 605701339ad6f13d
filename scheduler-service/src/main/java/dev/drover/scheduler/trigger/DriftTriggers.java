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

/** Runs the {@link DriftTriggerListener} while the scheduler runs (after its runtime, whose gateway it uses). */
@Context
@Requires(property = "drover.scheduler.enabled", value = "true")
public class DriftTriggers implements AutoCloseable {
    private final DriftTriggerListener listener;

    DriftTriggers(SchedulerRuntime runtime, KafkaSettings kafka, SchedulerConfig config,
                  @Named("scheduler") DataSource contextual, DataSourceResolver resolver) {
        this.listener = new DriftTriggerListener(kafka.getBootstrapServers(),
                new TriggeredPipelines(resolver.resolve(contextual)), runtime.gateway(), config.getWriteTimeout());
        listener.start();
    }

    public DriftTriggerListener listener() {
        return listener;
    }

    @PreDestroy
    @Override
    public void close() {
        listener.close();
    }
}
