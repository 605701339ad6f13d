package dev.drover.registry.rollback;

import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.eventlog.TopicListener;
import dev.drover.platform.kafka.Topics;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.ModelEvent.AliasMoved;
import dev.drover.registry.core.Rejection;
import dev.drover.registry.core.RejectionCode;
import dev.drover.registry.loop.RegistryGateway;
import dev.drover.registry.wire.CommandEnvelope;
import dev.drover.schemas.monitor.event.MonitorEventEnvelope;
import dev.drover.schemas.monitor.event.RollbackRequested;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rolls the champion back when the monitor asks for it: each {@code RollbackRequested} on
 * {@code drover.monitor.events} becomes the registry's {@code RollbackAlias(champion)} for the model, so the
 * previous champion returns (see "Rollback on degradation" in {@code docs/registry.md}).
 *
 * <p>The command id is {@code rollback/<event id>}: the decision loop drops a command id it has seen, so a request
 * delivered twice rolls back once. A refusal (e.g. {@code NO_ALIAS_HISTORY}: there is no earlier champion) is logged
 * and counted per code. A record that cannot be decoded is dead-lettered; nothing stops the listener.
 */
public final class RollbackListener implements AutoCloseable {
    /** The listener's consumer group. */
    public static final String GROUP = "drover-registry-rollbacks";
    /** Who the rollbacks are requested by. */
    public static final String PRINCIPAL = "monitor";
    private static final Logger LOG = LoggerFactory.getLogger(RollbackListener.class);
    private static final AvroCodec<MonitorEventEnvelope> EVENTS = new AvroCodec<>(MonitorEventEnvelope.class);
    private static final String KEY_PREFIX = "monitor/";

    private final RegistryGateway gateway;
    private final Duration writeTimeout;
    private final Clock clock;
    private final TopicListener listener;
    private final AtomicLong rolledBack = new AtomicLong();
    private final AtomicLong undecided = new AtomicLong();
    private final Map<RejectionCode, AtomicLong> refused = new ConcurrentHashMap<>();

    public RollbackListener(String bootstrapServers, RegistryGateway gateway, Duration writeTimeout, Clock clock) {
        this.gateway = gateway;
        this.writeTimeout = writeTimeout;
        this.clock = clock;
        this.listener = new TopicListener(bootstrapServers, GROUP, Topics.MONITOR_EVENTS, "registry-rollbacks", clock,
                this::handle);
    }

    public void start() {
        listener.start();
    }

    /** Rollbacks that moved the champion. */
    public long rolledBack() {
        return rolledBack.get();
    }

    /** Rollbacks the registry refused with this code. */
    public long refused(RejectionCode code) {
        AtomicLong n = refused.get(code);
        return n == null ? 0 : n.get();
    }

    /** Rollbacks decided into nothing (a repeat the registry dropped) or not answered in time (a slow loop). */
    public long undecided() {
        return undecided.get();
    }

    /** Records set aside on the dead-letter topic. */
    public long deadLettered() {
        return listener.deadLettered();
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        MonitorEventEnvelope envelope;
        try {
            envelope = EVENTS.decode(record.value());
        } catch (RuntimeException e) {
            deadLetter(record, "not a monitor event: " + e.getMessage());
            return;
        }
        if (!(envelope.getPayload() instanceof RollbackRequested request)) {
            return;
        }
        if (record.key() == null || !record.key().startsWith(KEY_PREFIX)) {
            deadLetter(record, "rollback request keyed '" + record.key() + "'; monitor events are keyed monitor/<model>");
            return;
        }
        String model = record.key().substring(KEY_PREFIX.length());
        ModelCommand.RollbackAlias command = new ModelCommand.RollbackAlias("rollback/" + envelope.getEventId(),
                model, ModelCommand.CHAMPION, request.getReason(), PRINCIPAL);
        RegistryGateway.Outcome outcome;
        try {
            outcome = gateway.send(new CommandEnvelope(command, clock.instant(), envelope.getEventId()))
                    .get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            undecided.incrementAndGet();
            LOG.warn("rollback of {} for event {} not answered within {} (a repeat is dropped by the registry)",
                    model, envelope.getEventId(), writeTimeout);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            undecided.incrementAndGet();
            LOG.error("rollback of {} for event {} could not be appended: {}", model, envelope.getEventId(),
                    e.toString());
            return;
        }
        if (outcome.events().isEmpty()) {
            undecided.incrementAndGet(); // a repeat of a request decided before: the registry dropped it
            LOG.info("rollback of {} for event {} was decided before; nothing to do", model, envelope.getEventId());
        } else if (outcome.rejection().isPresent()) {
            Rejection r = outcome.rejection().get();
            refused.computeIfAbsent(r.code(), c -> new AtomicLong()).incrementAndGet();
            LOG.warn("rollback of {} (from version {}) refused: {} {}", model, request.getFromVersion(), r.code(),
                    r.message());
        } else if (outcome.first(AliasMoved.class).isPresent()) {
            rolledBack.incrementAndGet();
            AliasMoved m = outcome.first(AliasMoved.class).get();
            LOG.info("rolled {} champion back from version {} to {}: {}", model, m.previousVersion(), m.version(),
                    request.getReason());
        } else {
            // a protected champion: the rollback became a change request that waits for approval
            LOG.warn("rollback of {} awaits approval: {}", model, outcome.events().stream()
                    .map(e -> e.event().getClass().getSimpleName()).toList());
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        listener.deadLetter(record, reason);
    }

    @Override
    public void close() {
        listener.close();
    }
}
