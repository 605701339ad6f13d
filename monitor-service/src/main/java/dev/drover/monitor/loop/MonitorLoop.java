package dev.drover.monitor.loop;

import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.platform.eventlog.DecisionLoop;
import dev.drover.platform.kafka.Topics;

import java.time.Clock;
import java.time.Duration;

/** The monitor's decision loop: {@link DecisionLoop} on the monitor topics with a {@link MonitorPartition} each. */
public final class MonitorLoop {
    /** The consumer group (and transactional-id prefix) of monitor instances. */
    public static final String GROUP = "drover-monitor";

    private MonitorLoop() {
    }

    public static DecisionLoop create(String bootstrapServers, String instanceId, Duration transactionTimeout,
                                      MonitorCodec codec, Clock clock) {
        return new DecisionLoop(new DecisionLoop.Settings(bootstrapServers, "monitor", Topics.MONITOR_COMMANDS,
                Topics.MONITOR_EVENTS, GROUP, instanceId, transactionTimeout),
                partition -> new MonitorPartition(codec), clock);
    }
}
