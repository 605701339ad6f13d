package dev.drover.executor.report;

import dev.drover.executor.task.TaskResult;
import dev.drover.executor.wire.Dispatch;
import dev.drover.executor.wire.ExecutorWire;
import dev.drover.platform.kafka.KafkaClientConfig;
import dev.drover.platform.kafka.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;

/**
 * Tells the scheduler what happens to the attempts this executor runs (started, alive, succeeded, failed) and ships
 * their log lines. Reports are commands keyed by pipeline id, so they reach the scheduler partition that owns the run
 * in the order they were sent.
 */
public final class AttemptReporter implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorWire wire;
    private final String executorId;
    private final Clock clock;

    public AttemptReporter(String bootstrapServers, ExecutorWire wire, String executorId, Clock clock) {
        this.wire = wire;
        this.executorId = executorId;
        this.clock = clock;
        this.producer = new KafkaProducer<>(KafkaClientConfig.connect(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class), bootstrapServers));
    }

    public String executorId() {
        return executorId;
    }

    public Future<RecordMetadata> started(Dispatch d) {
        return command(d, wire.started(id(), d, executorId, clock.instant()));
    }

    public void heartbeat(Dispatch d) {
        command(d, wire.heartbeat(id(), d, executorId, clock.instant()));
    }

    public void finished(Dispatch d, TaskResult result) {
        command(d, wire.finished(id(), d, executorId, result, clock.instant()));
    }

    public void logs(Dispatch d, List<LogBuffer.Line> lines) {
        if (!lines.isEmpty()) {
            producer.send(new ProducerRecord<>(Topics.TASK_LOGS, d.runId(), wire.logBatch(d, executorId, lines)));
        }
    }

    public void deadLetter(String topic, int partition, long offset, String key, byte[] value, String reason) {
        producer.send(new ProducerRecord<>(Topics.DEAD_LETTER, key,
                wire.deadLetter(topic, partition, offset, key, value, reason, clock.instant())));
    }

    public void flush() {
        producer.flush();
    }

    private Future<RecordMetadata> command(Dispatch d, byte[] bytes) {
        return producer.send(new ProducerRecord<>(Topics.RUN_COMMANDS, d.pipelineId(), bytes));
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
