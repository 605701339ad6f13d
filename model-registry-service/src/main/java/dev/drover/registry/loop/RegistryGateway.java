package dev.drover.registry.loop;

import dev.drover.registry.core.Rejection;
import dev.drover.registry.wire.CommandEnvelope;
import dev.drover.registry.wire.EventEnvelope;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Appends registry commands to {@code drover.registry.commands} and lets the sender wait for their outcome: every
 * event decided from the command. This is how REST writes answer only once their effect is in the log.
 */
public interface RegistryGateway {

    /**
     * Appends the command; the future completes with all the events decided from it (the last one has
     * {@link EventEnvelope#last()}), or exceptionally if the command could not be appended.
     */
    CompletableFuture<Outcome> send(CommandEnvelope command);

    /** The events decided from one command, and where the last of them is in the log. */
    record Outcome(List<EventEnvelope> events, int partition, long lastOffset) {
        public Outcome {
            events = List.copyOf(events);
        }

        /** The rejection, if the command was rejected. */
        public Optional<Rejection> rejection() {
            return events.size() == 1 && events.get(0).event() instanceof Rejection r ? Optional.of(r)
                    : Optional.empty();
        }

        /** The first event of the given type. */
        public <T> Optional<T> first(Class<T> type) {
            return events.stream().map(EventEnvelope::event).filter(type::isInstance).map(type::cast).findFirst();
        }
    }
}
