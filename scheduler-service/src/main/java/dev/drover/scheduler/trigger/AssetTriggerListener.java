package dev.drover.scheduler.trigger;

import dev.drover.platform.eventlog.DeadLetters;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.RejectionCode;
import dev.drover.scheduler.core.SchedulerCommand.RecordAssetUpdate;
import dev.drover.scheduler.core.SchedulerEvent.AssetUpdateRecorded;
import dev.drover.scheduler.core.SchedulerEvent.AssetUpdated;
import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.core.AssetTriggering;
import dev.drover.scheduler.loop.CommandGateway;
import dev.drover.scheduler.loop.EventEnvelope;
import dev.drover.scheduler.loop.LogCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The asset router: hands every {@code AssetUpdated} on {@code drover.run.events} to each pipeline that consumes the
 * asset, as a {@code RecordAssetUpdate} command keyed by the consumer, so that the consumer's partition decides
 * whether a run starts (see {@code docs/assets.md}).
 *
 * <p>Idempotent: a consumer records an update id once and refuses it again as {@code UNCHANGED}, and an asset run's
 * id is derived from the update ids, so redelivery never starts a second run. Offsets are committed only after every
 * consumer has decided its command; when the scheduler or the read model cannot be reached the record is read again
 * after {@link #RETRY_AFTER}. A record that cannot be decoded is dead-lettered and counted; it never stops the
 * router. Modeled on {@link DriftTriggerListener}.
 */
public final class AssetTriggerListener implements AutoCloseable {
    /** The router's consumer group. */
    public static final String GROUP = "drover-scheduler-asset-router";
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(AssetTriggerListener.class);

    private final AssetConsumers consumers;
    private final CommandGateway gateway;
    private final Duration writeTimeout;
    private final LogCodec codec = new LogCodec();
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> deadLetters;
    private final Thread thread;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final Map<TopicPartition, Instant> paused = new LinkedHashMap<>();
    private volatile boolean running = true;

    public AssetTriggerListener(String bootstrapServers, AssetConsumers consumers, CommandGateway gateway,
                                Duration writeTimeout) {
        this.consumers = consumers;
        this.gateway = gateway;
        this.writeTimeout = writeTimeout;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        this.deadLetters = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        this.thread = new Thread(this::run, "asset-router");
        thread.setDaemon(true);
    }

    public void start() {
        consumer.subscribe(List.of(Topics.RUN_EVENTS));
        thread.start();
    }

    /** Updates recorded by a consuming pipeline. */
    public long recorded() {
        return recorded.get();
    }

    /** Updates a consumer had recorded already: redeliveries. */
    public long duplicates() {
        return duplicates.get();
    }

    /** Updates a consumer refused for another reason (e.g. it was deleted meanwhile). */
    public long refused() {
        return refused.get();
    }

    /** Records set aside on the dead-letter topic. */
    public long deadLettered() {
        return deadLettered.get();
    }

    /** The command id of an update's delivery to a consumer: the same on every redelivery. */
    public static String commandId(String updateId, String consumerPipeline) {
        return "asset/" + consumerPipeline + "/" + updateId;
    }

    private void run() {
        try {
            while (running) {
                resumeDue();
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (TopicPartition partition : records.partitions()) {
                    for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                        if (!handle(record)) {
                            consumer.seek(partition, record.offset());
                            consumer.pause(List.of(partition));
                            paused.put(partition, Instant.now().plus(RETRY_AFTER));
                            break;
                        }
                    }
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("asset router woken up unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("asset router stopped", e);
        } finally {
            consumer.close();
        }
    }

    private void resumeDue() {
        Instant now = Instant.now();
        List<TopicPartition> due = paused.entrySet().stream().filter(e -> !e.getValue().isAfter(now))
                .map(Map.Entry::getKey).collect(java.util.stream.Collectors.toList());
        if (!due.isEmpty()) {
            due.forEach(paused::remove);
            due.retainAll(consumer.assignment());
            consumer.resume(due);
        }
    }

    /** @return false when the record must be read again (the scheduler or the read model was unreachable) */
    private boolean handle(ConsumerRecord<String, byte[]> record) {
        EventEnvelope envelope;
        try {
            envelope = codec.decodeEvent(record.value());
        } catch (RuntimeException e) {
            deadLetter(record, "not a scheduler event: " + e.getMessage());
            return true;
        }
        if (!(envelope.event() instanceof AssetUpdated update)) {
            return true;
        }
        List<String> pipelines;
        try {
            pipelines = consumers.of(update.uri());
        } catch (RuntimeException e) {
            LOG.warn("cannot read the consumers of {} (will retry): {}", update.uri(), e.toString());
            return false;
        }
        for (String pipeline : pipelines) {
            if (!deliver(pipeline, update)) {
                return false;
            }
        }
        return true;
    }

    private boolean deliver(String pipeline, AssetUpdated update) {
        boolean external = AssetTriggering.EXTERNAL_PIPELINE.equals(update.pipelineId());
        RecordAssetUpdate command = new RecordAssetUpdate(commandId(update.updateId(), pipeline), pipeline,
                update.uri(), update.updateId(), external ? null : update.pipelineId(), update.runId(),
                update.taskId(), update.at());
        CommandGateway.Outcome outcome;
        try {
            outcome = gateway.send(command, update.updateId(), "asset-router")
                    .get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warn("asset update {} for {} was not decided in time (will retry): {}", update.updateId(), pipeline,
                    e.toString());
            return false;
        }
        Object event = outcome.event().event();
        if (event instanceof AssetUpdateRecorded) {
            recorded.incrementAndGet();
        } else if (event instanceof CommandRejected r && r.code() == RejectionCode.UNCHANGED) {
            duplicates.incrementAndGet();
        } else if (event instanceof CommandRejected r) {
            refused.incrementAndGet();
            LOG.warn("pipeline {} did not record update {} of {}: {} {}", pipeline, update.updateId(), update.uri(),
                    r.code(), r.message());
        }
        return true;
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        deadLettered.incrementAndGet();
        LOG.warn("set aside {}@{}:{}: {}", record.topic(), record.partition(), record.offset(), reason);
        deadLetters.send(new ProducerRecord<>(Topics.DEAD_LETTER, record.key(),
                DeadLetters.encode(record, reason, Instant.now(), "scheduler-asset-router")));
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadLetters.close();
    }
}
