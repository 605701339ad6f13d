package dev.drover.scheduler.trigger;

import dev.drover.platform.eventlog.TopicListener;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
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
    private final TopicListener listener;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public AssetTriggerListener(String bootstrapServers, AssetConsumers consumers, CommandGateway gateway,
                                Duration writeTimeout) {
        this.consumers = consumers;
        this.gateway = gateway;
        this.writeTimeout = writeTimeout;
        this.listener = new TopicListener(bootstrapServers, GROUP, Topics.RUN_EVENTS, "scheduler-asset-router",
                Clock.systemUTC(), Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500), RETRY_AFTER, this::handle);
    }

    public void start() {
        listener.start();
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
        return listener.deadLettered();
    }

    /** The command id of an update's delivery to a consumer: the same on every redelivery. */
    public static String commandId(String updateId, String consumerPipeline) {
        return "asset/" + consumerPipeline + "/" + updateId;
    }

    /** @return false when the record must be read again (the scheduler or the read model was unreachable) */
    private boolean handle(ConsumerRecord<String, byte[]> record) {
        EventEnvelope envelope;
        try {
            envelope = codec.decodeEvent(record.value());
        } catch (RuntimeException e) {
            listener.deadLetter(record, "not a scheduler event: " + e.getMessage());
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

    @Override
    public void close() {
        listener.close();
    }
}
