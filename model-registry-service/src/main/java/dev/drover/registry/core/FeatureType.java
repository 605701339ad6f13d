package dev.drover.registry.core;

/** The kind of values a feature holds, which decides the kind of reference statistics it needs. */
public enum FeatureType {
    /** Numbers: described by a histogram and quantiles. */
    NUMERIC,
    /** One of a set of labels: described by category counts. */
    CATEGORICAL,
    /** One of two values: described by category counts with at most two categories. */
    BINARY
}
