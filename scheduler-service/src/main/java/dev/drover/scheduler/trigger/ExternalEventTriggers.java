package dev.drover.scheduler.trigger;

import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.KafkaSettings;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.SchedulerConfig;
import dev.drover.scheduler.SchedulerRuntime;
import io.cloudevents.CloudEvent;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import javax.sql.DataSource;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * External-event triggers while the scheduler runs: the {@link EventTriggerListener} on
 * {@code drover.external.events}, the {@code external_events} store, and the producer the webhook publishes with
 * (after the scheduler's runtime, whose gateway the listener uses).
 */
@Context
@Requires(property = "drover.scheduler.enabled", value = "true")
public class ExternalEventTriggers implements AutoCloseable {
    private final ExternalEventStore store;
    private final EventTriggerListener listener;
    private final KafkaProducer<String, byte[]> producer;

    ExternalEventTriggers(SchedulerRuntime runtime, KafkaSettings kafka, SchedulerConfig config,
                          @Named("scheduler") DataSource contextual, DataSourceResolver resolver) {
        this.store = new ExternalEventStore(resolver.resolve(contextual));
        this.producer = new KafkaProducer<>(KafkaClientConfig.connect(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class),
                kafka.getBootstrapServers()));
        this.listener = new EventTriggerListener(kafka.getBootstrapServers(), store, runtime.gateway(),
                config.getWriteTimeout());
        listener.start();
    }

    public EventTriggerListener listener() {
        return listener;
    }

    public ExternalEventStore store() {
        return store;
    }

    /** Publishes an accepted event to {@code drover.external.events} (binary mode); completes once it is stored. */
    public CompletableFuture<RecordMetadata> publish(CloudEvent event) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        producer.send(CloudEvents.toKafka(Topics.EXTERNAL_EVENTS, event), (metadata, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(metadata);
            }
        });
        return done;
    }

    @PreDestroy
    @Override
    public void close() {
        listener.close();
        producer.close();
    }
}
