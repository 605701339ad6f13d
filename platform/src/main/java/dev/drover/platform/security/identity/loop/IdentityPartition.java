package dev.drover.platform.security.identity.loop;

import dev.drover.platform.eventlog.AggregatePartition;
import dev.drover.platform.security.identity.Identities;
import dev.drover.platform.security.identity.IdentityCommand;
import dev.drover.platform.security.identity.IdentityDecider;
import dev.drover.platform.security.identity.IdentityEvent;
import dev.drover.platform.security.identity.wire.IdentityCodec;

import java.time.Instant;
import java.util.List;

/** The identities (the one aggregate of the identity topics' one partition) and how a command is decided. */
final class IdentityPartition extends AggregatePartition<IdentityCommand, IdentityEvent> {
    private final IdentityCodec codec;
    private Identities state = Identities.EMPTY;

    IdentityPartition(IdentityCodec codec) {
        this.codec = codec;
    }

    @Override
    protected Incoming<IdentityCommand> decodeCommand(byte[] value) {
        IdentityCodec.CommandRecord r = codec.decodeCommand(value);
        return new Incoming<>(IdentityCodec.KEY, r.command().commandId(), r.correlationId(), r.command());
    }

    @Override
    protected Stored<IdentityEvent> decodeEvent(byte[] value) {
        IdentityCodec.EventRecord r = codec.decodeEvent(value);
        return new Stored<>(r.causationId(), r.event());
    }

    @Override
    protected List<IdentityEvent> decide(IdentityCommand command, Instant now) {
        return IdentityDecider.decide(state, command, now);
    }

    @Override
    protected void apply(IdentityEvent event) {
        state = state.evolve(event);
    }

    @Override
    protected byte[] encodeEvent(String eventId, Instant at, String key, String causationId, String correlationId,
                                 int index, int count, IdentityEvent event) {
        return codec.encodeEvent(new IdentityCodec.EventRecord(eventId, at, causationId, correlationId, index, count,
                event));
    }

    @Override
    protected String commandName() {
        return "identity command";
    }
}
