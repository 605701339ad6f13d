package dev.drover.registry.core;

/** One feature of a feature set's schema. */
public record Feature(String name, FeatureType type) {
}
