package dev.drover.monitor.core;

import java.util.Locale;

/**
 * A version's observed performance against its registered baseline, judged by a {@link DegradationPolicy}.
 *
 * <p>The drop is {@code baseline - observed} when greater is better and {@code observed - baseline} when smaller is
 * better, so a positive drop is always a change for the worse. The performance is degraded when the drop exceeds
 * any limit the policy sets (strictly: a drop of exactly the limit is allowed). The relative drop is
 * {@code drop / |baseline|}; with a baseline of 0 it is undefined (null), and then any positive drop exceeds a
 * relative limit — no finite fraction of nothing allows a change for the worse.
 *
 * @param relativeDrop null when the baseline is 0
 * @param reason       the comparison in words
 */
public record PerformanceComparison(double drop, Double relativeDrop, boolean degraded, String reason) {

    /** Compares {@code observed} with {@code baseline} under {@code policy}. */
    public static PerformanceComparison of(DegradationPolicy policy, int version, double observed,
                                           double baseline) {
        double drop = policy.direction() == MetricDirection.GREATER ? baseline - observed : observed - baseline;
        Double relative = baseline == 0 ? null : drop / Math.abs(baseline);
        StringBuilder exceeded = new StringBuilder();
        if (policy.maxAbsoluteDrop() != null && drop > policy.maxAbsoluteDrop()) {
            exceeded.append("the allowed absolute drop of ").append(number(policy.maxAbsoluteDrop()));
        }
        if (policy.maxRelativeDrop() != null && drop > 0
                && (relative == null || relative > policy.maxRelativeDrop())) {
            if (exceeded.length() > 0) {
                exceeded.append(" and ");
            }
            exceeded.append("the allowed relative drop of ").append(percent(policy.maxRelativeDrop()));
        }
        boolean degraded = exceeded.length() > 0;
        String change = policy.direction() == MetricDirection.GREATER ? "fell" : "rose";
        String reason = policy.metric() + " of version " + version + " " + (drop > 0 ? change : "is") + " "
                + number(observed) + (drop > 0 ? " from" : " against") + " its baseline " + number(baseline) + " (" + (policy.direction() == MetricDirection.GREATER ? "greater" : "smaller")
                + " is better): a drop of " + number(drop)
                + (relative == null ? "" : " (" + percent(relative) + ")")
                + (degraded ? ", more than " + exceeded : ", within the policy");
        return new PerformanceComparison(drop, relative, degraded, reason);
    }

    static String number(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f %%", fraction * 100);
    }
}
