package dev.drover.monitor.drift;

import java.util.Arrays;

/**
 * The Wasserstein-1 (earth mover's) distance between two one-dimensional distributions, as SciPy's
 * {@code scipy.stats.wasserstein_distance} computes it: the area between the two CDFs,
 * {@code sum |U(x_i) - V(x_i)| (x_{i+1} - x_i)} over the sorted pooled values.
 *
 * <p>The drift statistic is the distance <em>normed</em> by the reference's population standard deviation (ddof 0),
 * as Evidently does, so that one threshold (0.1) fits features of any scale: 0.1 means the current distribution is,
 * on average, a tenth of a reference standard deviation away. Like Evidently, a standard deviation below
 * {@value #MIN_NORM} is replaced by {@value #MIN_NORM} so that a constant reference does not divide by zero.
 */
public final class Wasserstein {
    /** Evidently's floor for the norming standard deviation. */
    public static final double MIN_NORM = 0.001;

    private Wasserstein() {
    }

    /** The distance between the empirical distributions of two samples (each value weighing the same). */
    public static double distance(double[] u, double[] v) {
        return distance(u, null, v, null);
    }

    /**
     * The distance between two weighted samples: value i of {@code u} has weight {@code uWeights[i]}; weights are
     * non-negative, finite and do not all vanish. A null weight array weighs every value the same.
     */
    public static double distance(double[] u, double[] uWeights, double[] v, double[] vWeights) {
        double[][] a = sorted(u, uWeights, "u");
        double[][] b = sorted(v, vWeights, "v");
        double[] uv = a[0];
        double[] uCum = a[1];
        double[] vv = b[0];
        double[] vCum = b[1];
        double uTotal = uCum[uCum.length - 1];
        double vTotal = vCum[vCum.length - 1];
        // Walk the pooled sorted values; between consecutive ones both CDFs are constant.
        int i = 0;
        int j = 0;
        double previous = Math.min(uv[0], vv[0]);
        double sum = 0;
        while (i < uv.length || j < vv.length) {
            double x = j >= vv.length || (i < uv.length && uv[i] <= vv[j]) ? uv[i] : vv[j];
            // CDFs just below x: everything strictly smaller has been consumed
            double uCdf = i == 0 ? 0 : uCum[i - 1] / uTotal;
            double vCdf = j == 0 ? 0 : vCum[j - 1] / vTotal;
            sum += Math.abs(uCdf - vCdf) * (x - previous);
            while (i < uv.length && uv[i] == x) {
                i++;
            }
            while (j < vv.length && vv[j] == x) {
                j++;
            }
            previous = x;
        }
        return sum;
    }

    /** The distance divided by the reference's standard deviation (at least {@value #MIN_NORM}). */
    public static double normed(double[] reference, double[] current) {
        return distance(reference, current) / norm(populationStandardDeviation(reference));
    }

    /** The norming divisor for a reference standard deviation: the deviation, but at least {@value #MIN_NORM}. */
    public static double norm(double referenceStandardDeviation) {
        return Math.max(referenceStandardDeviation, MIN_NORM);
    }

    static double populationStandardDeviation(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / values.length);
    }

    /** Values sorted ascending and the cumulative weights in that order. */
    private static double[][] sorted(double[] values, double[] weights, String name) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException(name + " needs at least one value");
        }
        if (weights != null && weights.length != values.length) {
            throw new IllegalArgumentException(name + " has " + values.length + " values but " + weights.length
                    + " weights; give one weight per value");
        }
        int n = values.length;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + " value " + i + " is " + values[i]
                        + "; drop missing values (NaN) first");
            }
            if (weights != null && !(weights[i] >= 0 && Double.isFinite(weights[i]))) {
                throw new IllegalArgumentException(name + " weight " + i + " is " + weights[i]
                        + "; weights are finite and non-negative");
            }
        }
        double[] sortedValues;
        double[] cumulative = new double[n];
        if (weights == null) {
            sortedValues = values.clone();
            Arrays.sort(sortedValues);
            for (int i = 0; i < n; i++) {
                cumulative[i] = i + 1;
            }
        } else {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (p, q) -> Double.compare(values[p], values[q]));
            sortedValues = new double[n];
            double running = 0;
            for (int i = 0; i < n; i++) {
                sortedValues[i] = values[order[i]];
                running += weights[order[i]];
                cumulative[i] = running;
            }
            if (!(running > 0)) {
                throw new IllegalArgumentException(name + " weights add up to " + running + "; at least one must be "
                        + "positive");
            }
        }
        return new double[][] {sortedValues, cumulative};
    }
}
