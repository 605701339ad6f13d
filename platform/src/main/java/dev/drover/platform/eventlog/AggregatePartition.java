package dev.drover.platform.eventlog;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The usual {@link PartitionLogic} of a service whose commands each concern one aggregate named by the record key:
 * decode the command, check it is keyed by its aggregate, drop a command id already decided, decide with the pure
 * core, apply the events to the state and encode them in the service's envelope ({@code <commandId>#<index>}, the
 * decision time, causation and correlation ids, index and count within the decision). Replay folds the events and
 * remembers their causation ids, so a command repeated after a restart is still dropped.
 *
 * @param <C> the service's command type
 * @param <E> the service's event type
 */
public abstract class AggregatePartition<C, E> implements PartitionLogic {
    /** How many recent command ids are remembered to drop repeats (a retried append, a retried REST write). */
    public static final int REMEMBERED_COMMANDS = 100_000;

    private final Map<String, Boolean> decided = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_COMMANDS;
        }
    };

    /** A decoded command with what its envelope says about it. */
    public record Incoming<C>(String key, String commandId, String correlationId, C command) {
    }

    /** A decoded stored event with the id of the command it was decided from. */
    public record Stored<E>(String causationId, E event) {
    }

    /** Decodes a command record; throws {@link IllegalArgumentException} saying what could not be read. */
    protected abstract Incoming<C> decodeCommand(byte[] value);

    /** Decodes a stored event. */
    protected abstract Stored<E> decodeEvent(byte[] value);

    /** Decides with the pure core against the current state; must not change the state. */
    protected abstract List<E> decide(C command, Instant now);

    /** Folds one event into the state. */
    protected abstract void apply(E event);

    /** Encodes an event in the service's envelope. */
    protected abstract byte[] encodeEvent(String eventId, Instant at, String key, String causationId,
                                          String correlationId, int index, int count, E event);

    /** What the service calls its commands, for dead-letter reasons (e.g. {@code registry command}). */
    protected abstract String commandName();

    @Override
    public final void replay(ConsumerRecord<String, byte[]> record) {
        Stored<E> stored = decodeEvent(record.value());
        apply(stored.event());
        decided.put(stored.causationId(), Boolean.TRUE);
    }

    @Override
    public final List<Appended> decide(ConsumerRecord<String, byte[]> record, Instant now) throws UnusableRecord {
        Incoming<C> incoming;
        try {
            incoming = decodeCommand(record.value());
        } catch (RuntimeException e) {
            throw new UnusableRecord("undecodable " + commandName() + ": " + e.getMessage());
        }
        if (!incoming.key().equals(record.key())) {
            throw new UnusableRecord(commandName() + " for " + incoming.key() + " was keyed " + record.key()
                    + "; commands must be keyed by their aggregate");
        }
        String commandId = incoming.commandId();
        if (decided.containsKey(commandId)) {
            return List.of(); // decided before: its events are in the log already
        }
        List<E> events = decide(incoming.command(), now);
        decided.put(commandId, Boolean.TRUE);
        List<Appended> out = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            E event = events.get(i);
            apply(event);
            out.add(new Appended(incoming.key(), encodeEvent(commandId + "#" + i, now, incoming.key(), commandId,
                    incoming.correlationId(), i, events.size(), event)));
        }
        return out;
    }
}
