package dev.drover.monitor.drift;

/**
 * The verdict on one feature in one window.
 *
 * @param feature   the feature's name
 * @param method    the test or distance used
 * @param statistic the test statistic (KS D, chi-square, z) or the distance (PSI, normed Wasserstein, Jensen–Shannon)
 * @param pValue    the p-value for hypothesis tests, null for distances
 * @param threshold the threshold applied: drift when the p-value is below it, or the distance at or above it
 * @param drifted   whether the feature drifted
 */
public record FeatureDrift(String feature, DriftMethod method, double statistic, Double pValue, double threshold,
                           boolean drifted) {
}
