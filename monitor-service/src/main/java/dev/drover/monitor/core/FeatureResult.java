package dev.drover.monitor.core;

/**
 * The outcome of one feature's drift test in one window, as the statistics computed it.
 *
 * @param feature   the feature's name in the feature set
 * @param method    one of {@link DriftMethods#NAMES}
 * @param statistic the test's statistic or distance (may be infinite, e.g. a Wasserstein distance normed by a
 *                  reference deviation of zero; never NaN)
 * @param pValue    the p-value for the tests that have one (KS, chi-square, z-test), else null
 * @param threshold the threshold the verdict was taken with
 * @param drifted   the feature's verdict
 */
public record FeatureResult(String feature, String method, double statistic, Double pValue, double threshold,
                            boolean drifted) {
}
