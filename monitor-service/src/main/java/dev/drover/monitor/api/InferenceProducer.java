package dev.drover.monitor.api;

import dev.drover.monitor.MonitorConfig;
import dev.drover.monitor.MonitorRuntime;
import dev.drover.platform.http.ApiException;
import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.KafkaSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Produces REST batches of predictions and labels to {@code drover.monitor.predictions} / {@code .labels} as Avro,
 * keyed by the bare model name, exactly as a serving system publishing to Kafka would. A batch is answered only once
 * the broker has acknowledged every record of it ({@code acks=all}, idempotent producer); should any fail, the
 * answer is 503 and the client sends the whole batch again. Delivery is at least once: the records of a failed
 * batch that did arrive arrive twice.
 */
@Singleton
@Requires(property = "drover.monitor.enabled", value = "true")
public class InferenceProducer implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final Duration timeout;

    InferenceProducer(KafkaSettings kafka, MonitorConfig config, MonitorRuntime runtime) {
        // the runtime is a parameter so that the topics exist (it creates them) before the first batch
        this.producer = new KafkaProducer<>(KafkaClientConfig.connect(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, "drover-monitor-ingest",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class),
                kafka.getBootstrapServers()));
        this.timeout = config.getWriteTimeout();
    }

    /** Produces {@code values} (encoded records) to {@code topic} under {@code model}; returns once all are acked. */
    void produce(String topic, String model, List<byte[]> values) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(values.size());
        for (byte[] v : values) {
            sent.add(producer.send(new ProducerRecord<>(topic, model, v)));
        }
        producer.flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (Future<RecordMetadata> f : sent) {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            String why = e instanceof ExecutionException ? e.getCause().getMessage() : "no acknowledgement within "
                    + timeout;
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "monitor_unavailable", "could not produce the "
                    + "batch to " + topic + ": " + why, "check that Kafka is reachable, then send the whole batch "
                    + "again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "monitor_unavailable", "interrupted while "
                    + "producing the batch", "send the whole batch again");
        }
    }

    @PreDestroy
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
