package dev.drover.scheduler.loop;

import dev.drover.scheduler.core.SchedulerCommand;

import java.time.Instant;

/**
 * A command as it travels on {@code drover.run.commands}: the command and who sent it when.
 *
 * @param correlationId the run or request this command belongs to (may be null; the run id is used then)
 */
public record CommandEnvelope(SchedulerCommand command, Instant issuedAt, String correlationId, String issuedBy) {
}
