package dev.drover.registry.readmodel;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One version of a feature set: what {@code GET /api/v1/feature-sets/{name}/versions/{version}} answers.
 *
 * @param schema     {@code {features: [{name, type}]}}
 * @param statistics the reference statistics, in the shape {@code docs/registry-api.md} gives
 */
@Serdeable
public record FeatureSetVersionView(String name, int version, String description, Object schema,
                                    String dataLocation, Object statistics, String createdBy, Instant createdAt) {
}
