package dev.drover.registry.readmodel;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** A feature set in a list: its name, its latest version and when it was created and last changed. */
@Serdeable
public record FeatureSetSummary(String name, int latestVersion, Instant createdAt, Instant updatedAt) {
}
