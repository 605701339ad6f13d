package dev.drover.scheduler.core;

import java.util.List;

/**
 * The outcome of deciding one command: the events to append, or a rejection, or nothing at all (a timer that is no
 * longer relevant).
 */
public record Decision(List<SchedulerEvent> events) {

    public Decision {
        events = List.copyOf(events);
    }

    public static Decision of(List<SchedulerEvent> events) {
        return new Decision(events);
    }

    /** Nothing to do, nothing to log (a timer whose moment passed). */
    public static Decision nothing() {
        return new Decision(List.of());
    }

    public static Decision reject(SchedulerCommand command, RejectionCode code, String message) {
        return new Decision(List.of(new SchedulerEvent.CommandRejected(command.pipelineId(), command.commandId(), code,
                message)));
    }

    /** The rejection, when this decision is one. */
    public java.util.Optional<SchedulerEvent.CommandRejected> rejection() {
        return events.size() == 1 && events.get(0) instanceof SchedulerEvent.CommandRejected r
                ? java.util.Optional.of(r) : java.util.Optional.empty();
    }
}
