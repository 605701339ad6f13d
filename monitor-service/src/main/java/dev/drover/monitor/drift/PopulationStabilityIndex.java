package dev.drover.monitor.drift;

/**
 * The Population Stability Index with Evidently's conventions:
 * {@code PSI = sum over bins of (r_i - c_i) ln(r_i / c_i)}, where {@code r_i} and {@code c_i} are the shares of the
 * reference and current values in bin i.
 *
 * <p><b>Empty bins.</b> A share of 0 would make a term infinite, so zeros are replaced, in each sample separately,
 * by {@value #EMPTY_SHARE}, or, when the sample's smallest non-zero share is itself at most {@value #EMPTY_SHARE}, by
 * a millionth of that share (Evidently's {@code get_binned_data(..., feel_zeroes=True)}). The replacement is not
 * renormalised, exactly as in Evidently.
 *
 * <p><b>Bins.</b> Numeric values are binned by {@link Binning#sturges} over the pooled values; categories are one
 * bin each (every category seen in either sample).
 */
public final class PopulationStabilityIndex {
    /** The share given to an empty bin (unless the sample has non-zero shares this small). */
    public static final double EMPTY_SHARE = 0.0001;

    private PopulationStabilityIndex() {
    }

    /** PSI of two numeric samples, binned as Evidently bins them. */
    public static double ofSamples(double[] reference, double[] current) {
        double[] edges = Binning.sturges(reference, current);
        return ofCounts(Binning.counts(reference, edges), Binning.counts(current, edges));
    }

    /** PSI of per-bin (or per-category) counts; both arrays list the same bins. */
    public static double ofCounts(double[] referenceCounts, double[] currentCounts) {
        return ofShares(shares(referenceCounts, "reference"), shares(currentCounts, "current"));
    }

    /** PSI of per-bin shares that have already been through {@link #fillEmpty}. */
    static double ofShares(double[] reference, double[] current) {
        if (reference.length != current.length) {
            throw new IllegalArgumentException("both samples need the same bins, but there are " + reference.length
                    + " and " + current.length);
        }
        double[] r = fillEmpty(reference);
        double[] c = fillEmpty(current);
        double psi = 0;
        for (int i = 0; i < r.length; i++) {
            psi += (r[i] - c[i]) * Math.log(r[i] / c[i]);
        }
        return psi;
    }

    /** Evidently's replacement of empty shares; see the class description. */
    static double[] fillEmpty(double[] shares) {
        double smallest = Double.POSITIVE_INFINITY;
        for (double s : shares) {
            if (s > 0 && s < smallest) {
                smallest = s;
            }
        }
        double fill = smallest <= EMPTY_SHARE ? smallest / 1e6 : EMPTY_SHARE;
        double[] out = shares.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                out[i] = fill;
            }
        }
        return out;
    }

    static double[] shares(double[] counts, String name) {
        double total = 0;
        for (int i = 0; i < counts.length; i++) {
            if (!(counts[i] >= 0 && Double.isFinite(counts[i]))) {
                throw new IllegalArgumentException(name + " bin " + i + " has count " + counts[i]
                        + "; counts are finite and non-negative");
            }
            total += counts[i];
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("the " + name + " sample is empty: PSI needs values in both samples");
        }
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = counts[i] / total;
        }
        return out;
    }
}
