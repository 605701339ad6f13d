package dev.drover.monitor.wire;

import dev.drover.monitor.core.MonitorEvent;

import java.time.Instant;
import java.util.Objects;

/**
 * A monitor event as stored on {@code drover.monitor.events}, the monitor's source of truth.
 *
 * @param eventId       {@code <causationId>#<index>}
 * @param at            when the monitor decided it (the same instant as the event's own {@code at})
 * @param key           {@code monitor/<model>} ({@link MonitorKeys}), also the Kafka key
 * @param causationId   the id of the command it was decided from
 * @param correlationId the wider story it belongs to
 * @param index         its position among the events decided from that command (0-based)
 * @param count         how many events were decided from that command
 */
public record EventEnvelope(String eventId, Instant at, String key, String causationId, String correlationId,
                            int index, int count, MonitorEvent event) {

    public EventEnvelope {
        Objects.requireNonNull(event, "event");
    }

    /** Whether this is the last event decided from its command. */
    public boolean last() {
        return index == count - 1;
    }
}
