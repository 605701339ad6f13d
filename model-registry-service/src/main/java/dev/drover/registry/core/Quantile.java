package dev.drover.registry.core;

/** The value below which {@code probability} (0 to 1) of a numeric feature's non-missing values lie. */
public record Quantile(double probability, double value) {
}
