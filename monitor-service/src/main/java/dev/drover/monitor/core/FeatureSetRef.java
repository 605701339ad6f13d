package dev.drover.monitor.core;

/**
 * One version of a feature set of the model registry: the reference a window was compared with (the champion's
 * training data).
 */
public record FeatureSetRef(String name, int version) {
}
