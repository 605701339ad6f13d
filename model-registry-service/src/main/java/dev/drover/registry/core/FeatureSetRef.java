package dev.drover.registry.core;

/**
 * A pointer to one version of a feature set, as a model version's lineage records it.
 *
 * <p>The registry does not check that the version exists when a model version is registered: feature sets are
 * another aggregate, possibly in another partition, and a decision may only read its own aggregate's state. Read
 * models can show a dangling reference; the built-in training task registers the feature set first.
 */
public record FeatureSetRef(String name, int version) {
}
