package dev.drover.registry.loop;

import dev.drover.platform.eventlog.DecisionLoop;
import dev.drover.platform.kafka.Topics;
import dev.drover.registry.wire.RegistryCodec;

import java.time.Clock;
import java.time.Duration;

/** The registry's decision loop: {@link DecisionLoop} on the registry topics with a {@link RegistryPartition} each. */
public final class RegistryLoop {
    /** The consumer group (and transactional-id prefix) of registry instances. */
    public static final String GROUP = "drover-registry";

    private RegistryLoop() {
    }

    public static DecisionLoop create(String bootstrapServers, String instanceId, Duration transactionTimeout,
                                      RegistryCodec codec, Clock clock) {
        return new DecisionLoop(new DecisionLoop.Settings(bootstrapServers, "registry", Topics.REGISTRY_COMMANDS,
                Topics.REGISTRY_EVENTS, GROUP, instanceId, transactionTimeout),
                partition -> new RegistryPartition(codec), clock);
    }
}
