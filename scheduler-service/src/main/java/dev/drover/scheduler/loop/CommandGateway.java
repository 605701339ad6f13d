package dev.drover.scheduler.loop;

import dev.drover.platform.eventlog.CommandLog;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.SchedulerCommand;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Sends commands to the scheduler and lets the sender wait for their outcome: the first event caused by the command
 * (which may be a {@code CommandRejected}). This is how REST writes answer only once their effect is in the log.
 *
 * <p>The platform's {@link CommandLog} does the work: it tails {@code drover.run.events} from the end
 * (read_committed) on its own thread; it never reads state.
 */
public final class CommandGateway implements AutoCloseable {
    private final LogCodec codec;
    private final Clock clock;
    private final CommandLog<EventEnvelope> log;

    /** The first event a command caused, and where it is in the log. */
    public record Outcome(EventEnvelope event, int partition, long offset) {
        /** {@code p<partition>:<offset>}, a position clients can wait for on read endpoints. */
        public String position() {
            return partition + ":" + offset;
        }
    }

    public CommandGateway(String bootstrapServers, LogCodec codec, Clock clock) {
        this.codec = codec;
        this.clock = clock;
        this.log = new CommandLog<>(bootstrapServers, Topics.RUN_COMMANDS, Topics.RUN_EVENTS, SchedulerLoop.GROUP,
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
                        return true; // the first event is the outcome a writer waits for
                    }
                });
    }

    /**
     * Appends a command and returns a future of its outcome. Register-then-send: the future exists before the
     * command can be decided, so no outcome is missed.
     */
    public CompletableFuture<Outcome> send(SchedulerCommand command, String correlationId, String issuedBy) {
        byte[] bytes = codec.encodeCommand(new CommandEnvelope(command, clock.instant(), correlationId, issuedBy));
        CompletableFuture<CommandLog.Outcome<EventEnvelope>> sent = log.send(command.pipelineId(),
                command.commandId(), bytes);
        CompletableFuture<Outcome> outcome = sent.thenApply(o -> {
            if (o.events().isEmpty()) {
                // the scheduler decides every command into at least one event, a rejection included: no event
                // means the loop set the command aside (its decision failed; see drover.deadletter)
                throw new CommandLog.NothingDecided("the scheduler set command " + command.commandId()
                        + " aside without deciding it (its decision failed; the reason is on drover.deadletter)");
            }
            return new Outcome(o.events().get(0), o.partition(), o.lastOffset());
        });
        // a caller that stops waiting cancels this future; the log must forget the command too
        outcome.whenComplete((o, e) -> {
            if (outcome.isCancelled()) {
                sent.cancel(false);
            }
        });
        return outcome;
    }

    /** Where events partition {@code partition} ends now; -1 if there is no such partition. */
    public long eventsEnd(int partition) {
        return log.eventsEnd(partition);
    }

    @Override
    public void close() {
        log.close();
    }
}
