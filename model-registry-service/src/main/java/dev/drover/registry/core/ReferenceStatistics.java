package dev.drover.registry.core;

import java.util.Map;

/** The reference statistics of a feature-set version: the row count and every feature's statistics by name. */
public record ReferenceStatistics(long rowCount, Map<String, FeatureStatistics> features) {

    public ReferenceStatistics {
        features = Copies.sorted(features);
    }
}
