package dev.drover.registry.readmodel;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One entry of an alias's history: a move or a removal.
 *
 * @param previousVersion the version the alias pointed at before (null: it was not set)
 * @param version         the version it points at after (null: it was removed)
 * @param kind            {@code SET}, {@code ROLLBACK} or {@code PROMOTION}; null for a removal
 * @param evaluation      the promotion's numbers, for a promotion
 * @param approval        {@code {requestId, approvedBy, comment}}, for an approved move of a protected alias
 * @param by              who asked for the change
 */
@Serdeable
public record AliasChangeView(String eventId, Integer previousVersion, Integer version, String kind, String reason,
                              Object evaluation, Object approval, String by, Instant at) {
}
