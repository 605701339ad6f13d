package dev.drover.monitor.core;

/**
 * How one feature is tested instead of the default for its type and reference size.
 *
 * @param method    one of {@link DriftMethods#NAMES}, or null to keep the default method
 * @param threshold the method's drift threshold (a p-value below it, or a distance above it, is drift), or null to
 *                  keep the method's default threshold; at least one of the two is set
 */
public record FeatureOverride(String method, Double threshold) {
}
