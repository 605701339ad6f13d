package dev.drover.registry.wire;

import dev.drover.registry.core.FeatureSetEvent;
import dev.drover.registry.core.ModelEvent;

import java.time.Instant;
import java.util.Objects;

/**
 * A registry event as stored on {@code drover.registry.events}, the registry's source of truth.
 *
 * @param eventId       {@code <causationId>#<index>}
 * @param at            when the registry decided it (the same instant as the event's own {@code at})
 * @param key           the aggregate key ({@link RegistryKeys}), also the Kafka key
 * @param causationId   the id of the command it was decided from
 * @param correlationId the wider story it belongs to (a run id, a request id)
 * @param index         its position among the events decided from that command (0-based)
 * @param count         how many events were decided from that command: a reader waiting for a command's outcome
 *                      has all of it once it has seen {@code index == count - 1}
 * @param event         a {@link ModelEvent} or a {@link FeatureSetEvent}
 */
public record EventEnvelope(String eventId, Instant at, String key, String causationId, String correlationId,
                            int index, int count, Object event) {

    public EventEnvelope {
        Objects.requireNonNull(event, "event");
        if (!(event instanceof ModelEvent) && !(event instanceof FeatureSetEvent)) {
            throw new IllegalArgumentException("not a registry event: " + event.getClass().getName());
        }
    }

    /** Whether this is the last event decided from its command. */
    public boolean last() {
        return index == count - 1;
    }
}
