package dev.drover.monitor.drift;

import java.util.Map;

/**
 * How drift is judged: per-feature overrides of the default method and threshold, and the share of drifted features
 * at which the whole dataset counts as drifted.
 *
 * @param overrides      by feature name; features not named use {@link DriftMethod#defaultFor} and the method's
 *                       default threshold
 * @param driftShare     dataset drift when at least this share of the tested features drifted, in (0, 1]
 */
public record DriftSettings(Map<String, FeatureOverride> overrides, double driftShare) {
    /** Evidently's default share of drifted features for dataset drift. */
    public static final double DEFAULT_DRIFT_SHARE = 0.5;

    public DriftSettings {
        overrides = Map.copyOf(overrides);
        if (!(driftShare > 0 && driftShare <= 1)) {
            throw new IllegalArgumentException("driftShare is a share of features in (0, 1], not " + driftShare);
        }
        for (Map.Entry<String, FeatureOverride> e : overrides.entrySet()) {
            FeatureOverride o = e.getValue();
            if (o.threshold() != null && o.method() != null) {
                checkThreshold(e.getKey(), o.method(), o.threshold());
            }
        }
    }

    /** Every feature on its default method and threshold, dataset drift at half the features. */
    public static DriftSettings defaults() {
        return new DriftSettings(Map.of(), DEFAULT_DRIFT_SHARE);
    }

    /**
     * A feature's own method and/or threshold; a null part keeps the default.
     *
     * @param method    the method to use instead of the default
     * @param threshold the threshold to use instead of the method's default
     */
    public record FeatureOverride(DriftMethod method, Double threshold) {
    }

    /** The method for a feature: its override, else the default for its kind and reference size. */
    public DriftMethod methodFor(String feature, FeatureReference reference) {
        FeatureOverride o = overrides.get(feature);
        DriftMethod method = o != null && o.method() != null ? o.method()
                : DriftMethod.defaultFor(reference.kind(), reference.count());
        if (!method.accepts(reference.kind())) {
            throw new IllegalArgumentException("feature '" + feature + "' is " + reference.kind() + ", which "
                    + method + " cannot test; choose " + acceptable(reference.kind()));
        }
        return method;
    }

    /** The threshold for a feature tested with {@code method}. */
    public double thresholdFor(String feature, DriftMethod method) {
        FeatureOverride o = overrides.get(feature);
        double t = o != null && o.threshold() != null ? o.threshold() : method.defaultThreshold();
        checkThreshold(feature, method, t);
        return t;
    }

    private static void checkThreshold(String feature, DriftMethod method, double t) {
        if (method.isPValueTest() ? !(t > 0 && t < 1) : !(t > 0 && Double.isFinite(t))) {
            throw new IllegalArgumentException("feature '" + feature + "': a " + method + " threshold must be "
                    + (method.isPValueTest() ? "a significance level in (0, 1), e.g. 0.05" : "a positive distance, "
                    + "e.g. 0.1") + ", not " + t);
        }
    }

    private static String acceptable(FeatureKind kind) {
        StringBuilder out = new StringBuilder();
        for (DriftMethod m : DriftMethod.values()) {
            if (m.accepts(kind)) {
                out.append(out.length() == 0 ? "" : ", ").append(m);
            }
        }
        return out.toString();
    }
}
