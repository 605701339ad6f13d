package dev.drover.registry.readmodel;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One event of a model's history, rejections included.
 *
 * @param type    the event's name, e.g. {@code AliasMoved}
 * @param by      the principal whose command it was (null for a rejection)
 * @param payload the event's fields as JSON values
 */
@Serdeable
public record ModelEventView(String eventId, String type, Instant at, String by, String causationId,
                             String correlationId, Object payload) {
}
