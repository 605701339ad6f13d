package dev.drover.registry.loop;

import dev.drover.platform.eventlog.CommandLog;
import dev.drover.platform.kafka.Topics;
import dev.drover.registry.wire.CommandEnvelope;
import dev.drover.registry.wire.EventEnvelope;
import dev.drover.registry.wire.RegistryCodec;

import java.util.concurrent.CompletableFuture;

/** The {@link RegistryGateway} on the registry's Kafka topics. */
public final class KafkaRegistryGateway implements RegistryGateway, AutoCloseable {
    private final RegistryCodec codec;
    private final CommandLog<EventEnvelope> log;

    public KafkaRegistryGateway(String bootstrapServers, RegistryCodec codec) {
        this.codec = codec;
        this.log = new CommandLog<>(bootstrapServers, Topics.REGISTRY_COMMANDS, Topics.REGISTRY_EVENTS,
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

    @Override
    public CompletableFuture<Outcome> send(CommandEnvelope command) {
        return log.send(command.key(), command.commandId(), codec.encodeCommand(command))
                .thenApply(o -> new Outcome(o.events(), o.partition(), o.lastOffset()));
    }

    @Override
    public void close() {
        log.close();
    }
}
