package dev.drover.monitor.loop;

import dev.drover.monitor.wire.CommandEnvelope;
import dev.drover.monitor.wire.EventEnvelope;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.platform.eventlog.CommandLog;
import dev.drover.platform.kafka.Topics;

import java.util.concurrent.CompletableFuture;

/**
 * Appends monitor commands to {@code drover.monitor.commands} and lets the sender wait for every event decided from
 * each (REST writes, tests); the window loop appends its commands without waiting.
 */
public final class MonitorGateway implements AutoCloseable {
    private final MonitorCodec codec;
    private final CommandLog<EventEnvelope> log;

    public MonitorGateway(String bootstrapServers, MonitorCodec codec) {
        this.codec = codec;
        this.log = new CommandLog<>(bootstrapServers, Topics.MONITOR_COMMANDS, Topics.MONITOR_EVENTS, MonitorLoop.GROUP,
                new CommandLog.EventReader<>() {
                    @Override
                    public EventEnvelope decode(byte[] value) {
                        return codec.decodeEvent(value);
                    }

                    @Override
                    public String causationId(EventEnvelope event) {
                        return event.causationId();
                    }

                    @Override
                    public boolean last(EventEnvelope event) {
                        return event.last();
                    }
                });
    }

    /** Appends the command; the future completes with every event decided from it. */
    public CompletableFuture<CommandLog.Outcome<EventEnvelope>> send(CommandEnvelope command) {
        return log.send(command.key(), command.commandId(), codec.encodeCommand(command));
    }

    @Override
    public void close() {
        log.close();
    }
}
