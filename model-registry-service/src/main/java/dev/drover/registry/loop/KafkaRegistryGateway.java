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
        this.log = new CommandLog<>(bootstrapServers, Topics.REGISTRY_COMMANDS, Topics.REGISTRY_EVENTS, RegistryLoop.GROUP,
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
        CompletableFuture<CommandLog.Outcome<EventEnvelope>> sent = log.send(command.key(), command.commandId(),
                codec.encodeCommand(command));
        CompletableFuture<Outcome> outcome = sent.thenApply(o -> new Outcome(o.events(), o.partition(),
                o.lastOffset()));
        // a caller that stops waiting cancels this future; the log must forget the command too
        outcome.whenComplete((o, e) -> {
            if (outcome.isCancelled()) {
                sent.cancel(false);
            }
        });
        return outcome;
    }

    @Override
    public void close() {
        log.close();
    }
}
