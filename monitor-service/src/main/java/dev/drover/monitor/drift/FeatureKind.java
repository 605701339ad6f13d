package dev.drover.monitor.drift;

/** How drift is measured for a feature: numeric values, or categories (binary features have at most two). */
public enum FeatureKind {
    NUMERIC, CATEGORICAL, BINARY
}
