package dev.drover.monitor.core;

import dev.drover.monitor.core.MonitorEvent.MonitorCommandRejected;

import java.util.List;
import java.util.Optional;

/** The outcome of deciding one command: the events to append, in order, or a single rejection event. */
public record Decision(List<MonitorEvent> events) {

    public Decision {
        events = List.copyOf(events);
    }

    public static Decision of(List<MonitorEvent> events) {
        return new Decision(events);
    }

    /** The rejection, when this decision is one. */
    public Optional<MonitorCommandRejected> rejection() {
        return events.size() == 1 && events.get(0) instanceof MonitorCommandRejected r ? Optional.of(r)
                : Optional.empty();
    }
}
