package dev.drover.registry.loop;

import dev.drover.platform.eventlog.PartitionLogic;
import dev.drover.registry.core.Decision;
import dev.drover.registry.core.FeatureSetCommand;
import dev.drover.registry.core.FeatureSetDecider;
import dev.drover.registry.core.FeatureSetEvent;
import dev.drover.registry.core.FeatureSetState;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.ModelDecider;
import dev.drover.registry.core.ModelEvent;
import dev.drover.registry.core.RegisteredModelState;
import dev.drover.registry.wire.CommandEnvelope;
import dev.drover.registry.wire.EventEnvelope;
import dev.drover.registry.wire.RegistryCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's state for one partition of its topics — every registered model and feature set whose key hashes
 * there — and how a command is decided against it: decode, check the key, skip a command id already decided,
 * decide with the pure core, apply, encode the events.
 */
final class RegistryPartition implements PartitionLogic {
    /** How many recent command ids are remembered to drop repeats (a retried append, a retried REST write). */
    static final int REMEMBERED_COMMANDS = 100_000;

    private final RegistryCodec codec;
    private final ModelDecider models = new ModelDecider();
    private final FeatureSetDecider featureSets = new FeatureSetDecider();
    private final Map<String, RegisteredModelState> modelStates = new HashMap<>();
    private final Map<String, FeatureSetState> featureSetStates = new HashMap<>();
    private final Map<String, Boolean> decided = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_COMMANDS;
        }
    };

    RegistryPartition(RegistryCodec codec) {
        this.codec = codec;
    }

    @Override
    public void replay(ConsumerRecord<String, byte[]> record) {
        EventEnvelope envelope = codec.decodeEvent(record.value());
        apply(envelope.event());
        decided.put(envelope.causationId(), Boolean.TRUE);
    }

    @Override
    public List<Appended> decide(ConsumerRecord<String, byte[]> record, Instant now) throws UnusableRecord {
        CommandEnvelope envelope;
        try {
            envelope = codec.decodeCommand(record.value());
        } catch (RuntimeException e) {
            throw new UnusableRecord("undecodable registry command: " + e.getMessage());
        }
        if (!envelope.key().equals(record.key())) {
            throw new UnusableRecord("command for " + envelope.key() + " was keyed " + record.key()
                    + "; registry commands must be keyed by RegistryKeys of their model or feature set");
        }
        String commandId = envelope.commandId();
        if (decided.containsKey(commandId)) {
            return List.of(); // decided before: its events are in the log already
        }
        List<?> events = decideWithCore(envelope.command(), now);
        decided.put(commandId, Boolean.TRUE);
        List<Appended> out = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Object event = events.get(i);
            apply(event);
            EventEnvelope stored = new EventEnvelope(commandId + "#" + i, now, envelope.key(), commandId,
                    envelope.correlationId(), i, events.size(), event);
            out.add(new Appended(envelope.key(), codec.encodeEvent(stored)));
        }
        return out;
    }

    private List<?> decideWithCore(Object command, Instant now) {
        if (command instanceof ModelCommand c) {
            RegisteredModelState state = modelStates.get(c.modelName());
            Decision<ModelEvent> d = models.decide(state == null ? new RegisteredModelState(c.modelName()) : state,
                    c, now);
            return d.events();
        }
        FeatureSetCommand c = (FeatureSetCommand) command;
        FeatureSetState state = featureSetStates.get(c.featureSetName());
        Decision<FeatureSetEvent> d = featureSets.decide(
                state == null ? new FeatureSetState(c.featureSetName()) : state, c, now);
        return d.events();
    }

    private void apply(Object event) {
        if (event instanceof ModelEvent e) {
            modelStates.computeIfAbsent(e.modelName(), RegisteredModelState::new).apply(e);
        } else if (event instanceof FeatureSetEvent e) {
            featureSetStates.computeIfAbsent(e.featureSetName(), FeatureSetState::new).apply(e);
        } else {
            throw new IllegalArgumentException("not a registry event: " + event);
        }
    }
}
