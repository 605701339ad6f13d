package dev.drover.monitor.drift;

/**
 * The drift tests the monitor runs on a feature, each with the default threshold Evidently uses.
 *
 * <p>Two kinds: hypothesis tests ({@link #KS}, {@link #CHI_SQUARE}, {@link #Z_TEST}) give a p-value and report drift
 * when it is <em>below</em> the threshold (default 0.05, i.e. 95 % confidence); distances ({@link #PSI},
 * {@link #WASSERSTEIN}, {@link #JENSEN_SHANNON}) report drift when the statistic is <em>at or above</em> the threshold
 * (default 0.1). See {@code docs/drift.md} for each statistic's definition.
 */
public enum DriftMethod {
    /** Two-sample Kolmogorov–Smirnov test (numeric); statistic D, p-value as SciPy's {@code ks_2samp}. */
    KS(true, 0.05),
    /** Population Stability Index (numeric or categorical), Evidently's binning and empty-bin convention. */
    PSI(false, 0.1),
    /** Wasserstein-1 distance divided by the reference standard deviation (numeric). */
    WASSERSTEIN(false, 0.1),
    /** Jensen–Shannon distance, natural logarithm, so within [0, sqrt(ln 2)] (numeric or categorical). */
    JENSEN_SHANNON(false, 0.1),
    /** Chi-square goodness of fit of the window's category counts to the reference's proportions (categorical). */
    CHI_SQUARE(true, 0.05),
    /** Two-sided two-proportion z-test (binary). */
    Z_TEST(true, 0.05);

    private final boolean pValueTest;
    private final double defaultThreshold;

    DriftMethod(boolean pValueTest, double defaultThreshold) {
        this.pValueTest = pValueTest;
        this.defaultThreshold = defaultThreshold;
    }

    /** Whether the method is a hypothesis test, judged by its p-value, rather than a distance. */
    public boolean isPValueTest() {
        return pValueTest;
    }

    /** The threshold used when a feature does not set its own. */
    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** Whether the method can compare features of this kind. */
    public boolean accepts(FeatureKind kind) {
        if (this == KS || this == WASSERSTEIN) {
            return kind == FeatureKind.NUMERIC;
        }
        if (this == CHI_SQUARE) {
            return kind != FeatureKind.NUMERIC;
        }
        if (this == Z_TEST) {
            return kind == FeatureKind.BINARY;
        }
        return true;
    }

    /**
     * Evidently's default for a feature: with a small reference (at most {@value #SMALL_REFERENCE_ROWS} rows) a
     * hypothesis test — KS for numeric, chi-square for categorical, z-test for binary features; with a larger one a
     * distance — Wasserstein for numeric, Jensen–Shannon for categorical and binary features.
     *
     * @param referenceRows the reference's non-missing values of the feature
     */
    public static DriftMethod defaultFor(FeatureKind kind, long referenceRows) {
        boolean small = referenceRows <= SMALL_REFERENCE_ROWS;
        if (kind == FeatureKind.NUMERIC) {
            return small ? KS : WASSERSTEIN;
        }
        if (kind == FeatureKind.BINARY) {
            return small ? Z_TEST : JENSEN_SHANNON;
        }
        return small ? CHI_SQUARE : JENSEN_SHANNON;
    }

    /** Up to this many reference rows count as a small reference (Evidently's cut-off). */
    public static final long SMALL_REFERENCE_ROWS = 1_000;
}
