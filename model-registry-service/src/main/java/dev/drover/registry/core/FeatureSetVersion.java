package dev.drover.registry.core;

import dev.drover.registry.core.FeatureSetEvent.FeatureSetVersionRegistered;

import java.time.Instant;

/** One version of a feature set; versions never change once registered. */
public record FeatureSetVersion(int version, String description, FeatureSchema schema, String dataLocation,
                                ReferenceStatistics statistics, String registeredBy, Instant registeredAt) {

    static FeatureSetVersion of(FeatureSetVersionRegistered e) {
        return new FeatureSetVersion(e.version(), e.description(), e.schema(), e.dataLocation(), e.statistics(),
                e.by(), e.at());
    }
}
