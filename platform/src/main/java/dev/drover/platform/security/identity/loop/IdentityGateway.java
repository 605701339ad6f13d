package dev.drover.platform.security.identity.loop;

import dev.drover.platform.eventlog.CommandLog;
import dev.drover.platform.kafka.Topics;
import dev.drover.platform.security.identity.IdentityCommand;
import dev.drover.platform.security.identity.IdentityEvent;
import dev.drover.platform.security.identity.wire.IdentityCodec;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends identity commands and completes with the events decided from each: an empty list when the command asked
 * for what already was (granting a held role), a single {@link IdentityEvent.IdentityCommandRejected} when refused.
 */
public final class IdentityGateway implements AutoCloseable {
    private final IdentityCodec codec;
    private final CommandLog<IdentityCodec.EventRecord> log;

    public IdentityGateway(String bootstrapServers, IdentityCodec codec) {
        this.codec = codec;
        this.log = new CommandLog<>(bootstrapServers, Topics.IDENTITY_COMMANDS, Topics.IDENTITY_EVENTS,
                IdentityLoop.GROUP, new CommandLog.EventReader<>() {
                    @Override
                    public IdentityCodec.EventRecord decode(byte[] value) {
                        return codec.decodeEvent(value);
                    }

                    @Override
                    public String causationId(IdentityCodec.EventRecord event) {
                        return event.causationId();
                    }

                    @Override
                    public boolean last(IdentityCodec.EventRecord event) {
                        return event.index() == event.count() - 1;
                    }
                });
    }

    /** The events decided from a command, and the offset of the last of them (or of the log's last event before). */
    public record Outcome(List<IdentityEvent> events, long lastOffset) {
    }

    /**
     * @throws IllegalArgumentException if the command cannot be written (e.g. a value the wire format refuses)
     */
    public CompletableFuture<List<IdentityEvent>> send(IdentityCommand command, String correlationId) {
        return decide(command, correlationId).thenApply(Outcome::events);
    }

    /** Like {@link #send}, with where the outcome is in the log, so a reader can wait until its view has it. */
    public CompletableFuture<Outcome> decide(IdentityCommand command, String correlationId) {
        byte[] bytes = codec.encodeCommand(new IdentityCodec.CommandRecord(command, Instant.now(), correlationId));
        return log.send(IdentityCodec.KEY, command.commandId(), bytes)
                .thenApply(o -> new Outcome(o.events().stream().map(IdentityCodec.EventRecord::event).toList(),
                        o.lastOffset()));
    }

    @Override
    public void close() {
        log.close();
    }
}
