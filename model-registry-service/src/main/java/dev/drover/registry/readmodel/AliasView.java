package dev.drover.registry.readmodel;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * Where an alias points now, with the version it points at and how it got there: what
 * {@code GET /api/v1/models/{name}/aliases/{alias}} answers.
 *
 * @param kind {@code SET}, {@code ROLLBACK} or {@code PROMOTION}
 */
@Serdeable
public record AliasView(String alias, ModelVersionView version, String kind, String reason, String movedBy,
                        Instant movedAt) {
}
