package dev.drover.registry.core;

import java.util.List;
import java.util.Optional;

/** The features of a feature-set version, in the order the data has them. */
public record FeatureSchema(List<Feature> features) {

    public FeatureSchema {
        features = Copies.list(features);
    }

    public Optional<Feature> feature(String name) {
        return features.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
