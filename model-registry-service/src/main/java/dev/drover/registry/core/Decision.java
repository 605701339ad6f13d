package dev.drover.registry.core;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of deciding one command: the events to append (in order), a single rejection event, or nothing at all
 * (a scheduled command that found nothing to do).
 *
 * @param <E> the aggregate's event type
 */
public record Decision<E>(List<E> events) {

    public Decision {
        events = List.copyOf(events);
    }

    public static <E> Decision<E> of(List<E> events) {
        return new Decision<>(events);
    }

    /** Nothing to do, nothing to log. */
    public static <E> Decision<E> nothing() {
        return new Decision<>(List.of());
    }

    /** The rejection, when this decision is one. */
    public Optional<Rejection> rejection() {
        return events.size() == 1 && events.get(0) instanceof Rejection r ? Optional.of(r) : Optional.empty();
    }
}
