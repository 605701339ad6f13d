package dev.drover.monitor.readmodel;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * An alert the monitor raised.
 *
 * @param kind     {@code DRIFT}, {@code DEGRADATION}, {@code ROLLBACK} or {@code RUN_FAILED}
 * @param webhooks where it was to be sent ({@code [{url, format}]}; empty: only logged)
 */
@Serdeable
public record AlertView(String eventId, String kind, String message, Object webhooks, Instant at) {
}
