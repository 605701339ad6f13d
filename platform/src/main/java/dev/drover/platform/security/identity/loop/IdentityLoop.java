package dev.drover.platform.security.identity.loop;

import dev.drover.platform.eventlog.DecisionLoop;
import dev.drover.platform.kafka.Topics;
import dev.drover.platform.security.identity.wire.IdentityCodec;

import java.time.Clock;
import java.time.Duration;

/**
 * The identity decision loop: {@link DecisionLoop} on the identity topics. Every service that enforces access runs
 * one in the same consumer group; the topics have one partition, so one instance decides at a time and another takes
 * over when it dies.
 */
public final class IdentityLoop {
    /** The consumer group (and transactional-id prefix) of identity loops. */
    public static final String GROUP = "drover-identity";

    private IdentityLoop() {
    }

    public static DecisionLoop create(String bootstrapServers, String instanceId, Duration transactionTimeout,
                                      IdentityCodec codec, Clock clock) {
        return new DecisionLoop(new DecisionLoop.Settings(bootstrapServers, "identity", Topics.IDENTITY_COMMANDS,
                Topics.IDENTITY_EVENTS, GROUP, instanceId, transactionTimeout),
                partition -> new IdentityPartition(codec), clock);
    }
}
