package dev.drover.registry.loop;

import dev.drover.platform.eventlog.AggregatePartition;
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

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's state for one partition of its topics — every registered model and feature set whose key hashes
 * there — and how a command is decided against it with the pure core.
 */
final class RegistryPartition extends AggregatePartition<Object, Object> {
    private final RegistryCodec codec;
    private final ModelDecider models = new ModelDecider();
    private final FeatureSetDecider featureSets = new FeatureSetDecider();
    private final Map<String, RegisteredModelState> modelStates = new HashMap<>();
    private final Map<String, FeatureSetState> featureSetStates = new HashMap<>();

    RegistryPartition(RegistryCodec codec) {
        this.codec = codec;
    }

    @Override
    protected Incoming<Object> decodeCommand(byte[] value) {
        CommandEnvelope e = codec.decodeCommand(value);
        return new Incoming<>(e.key(), e.commandId(), e.correlationId(), e.command());
    }

    @Override
    protected Stored<Object> decodeEvent(byte[] value) {
        EventEnvelope e = codec.decodeEvent(value);
        return new Stored<>(e.causationId(), e.event());
    }

    @Override
    protected List<Object> decide(Object command, Instant now) {
        if (command instanceof ModelCommand c) {
            RegisteredModelState state = modelStates.get(c.modelName());
            return List.copyOf(models.decide(state == null ? new RegisteredModelState(c.modelName()) : state, c, now)
                    .events());
        }
        FeatureSetCommand c = (FeatureSetCommand) command;
        FeatureSetState state = featureSetStates.get(c.featureSetName());
        return List.copyOf(featureSets.decide(state == null ? new FeatureSetState(c.featureSetName()) : state, c, now)
                .events());
    }

    @Override
    protected void apply(Object event) {
        if (event instanceof ModelEvent e) {
            modelStates.computeIfAbsent(e.modelName(), RegisteredModelState::new).apply(e);
        } else if (event instanceof FeatureSetEvent e) {
            featureSetStates.computeIfAbsent(e.featureSetName(), FeatureSetState::new).apply(e);
        } else {
            throw new IllegalArgumentException("not a registry event: " + event);
        }
    }

    @Override
    protected byte[] encodeEvent(String eventId, Instant at, String key, String causationId, String correlationId,
                                 int index, int count, Object event) {
        return codec.encodeEvent(new EventEnvelope(eventId, at, key, causationId, correlationId, index, count, event));
    }

    @Override
    protected String commandName() {
        return "registry command";
    }
}
