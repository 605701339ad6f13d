package dev.drover.registry.readmodel;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * A move of a protected alias that waits for (or was decided by) a second principal.
 *
 * @param requestId  the id of the command that asked for the move; approve or reject it by this id
 * @param evaluation the promotion's numbers, when a promotion asked for the move
 * @param status     {@code PENDING}, {@code APPROVED} or {@code REJECTED}
 */
@Serdeable
public record AliasChangeRequestView(String requestId, String alias, Integer previousVersion, int version,
                                     String kind, String reason, Object evaluation, String requestedBy,
                                     Instant requestedAt, String status, String decidedBy, Instant decidedAt,
                                     String comment) {
}
