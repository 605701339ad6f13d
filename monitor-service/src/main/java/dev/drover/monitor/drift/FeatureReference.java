package dev.drover.monitor.drift;

/**
 * What the monitor knows of a feature's training data: compact statistics, never the rows. Built from the model
 * registry's reference statistics by whoever reads them (the monitor does not depend on the registry's types).
 */
public sealed interface FeatureReference permits NumericReference, CategoricalReference {

    /** How many non-missing reference values there are; it picks the default method. */
    long count();

    /** The kind of feature the reference describes. */
    FeatureKind kind();
}
