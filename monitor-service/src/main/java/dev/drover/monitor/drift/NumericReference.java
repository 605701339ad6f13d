package dev.drover.monitor.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference distribution of a numeric feature, from the registry's quantiles and (optionally) histogram.
 *
 * <p>A quantile at probability p is read as the R-7 quantile (NumPy's default) of the {@code count} reference values:
 * when {@code p (count - 1)} is a whole number j it is the order statistic of rank j, one value, and the distribution
 * function jumps there by {@code 1 / count} (from {@code j / count} to {@code (j + 1) / count}); repeated values add
 * up to a point mass, so ties are kept exactly. The profiler records only such quantiles (executor
 * {@code NumericStatistics}): every value when there are few, else ranks chosen so that the values left out between
 * two recorded ones are few where they are spread wide. Those left-out values are spread evenly between their
 * recorded neighbours: the function is straight there. Any other quantile (a fixed grid of probabilities, as older
 * profiles have) is a point {@code (value, p)} of the function, drawn straight to its neighbours. Histogram edges add
 * the share of values below them. The running maximum keeps the function non-decreasing where interpolated points
 * disagree slightly. docs/drift.md gives the accuracy this reaches.
 *
 * <p>Immutable. {@link #count()} is the number of non-missing reference values; {@link #standardDeviation()} their
 * population standard deviation, which norms the Wasserstein distance.
 */
public final class NumericReference implements FeatureReference {
    /**
     * How close {@code p (count - 1)} must come to a whole number for a quantile to be read as an order statistic:
     * far above the rounding of {@code rank / (count - 1)} for counts up to about 10^9, far below the hundredths a
     * fixed grid of probabilities (0.01, 0.02, ...) leaves otherwise.
     */
    private static final double RANK_TOLERANCE = 1e-6;

    private final long count;
    private final double standardDeviation;
    private final PiecewiseLinearCdf cdf;
    private final WindowBins windowBins;
    /** {@link #pseudoSample()}, once asked for (racing threads build the same values). */
    private volatile double[] pseudoSample;

    private NumericReference(long count, double standardDeviation, PiecewiseLinearCdf cdf) {
        if (count < 1) {
            throw new IllegalArgumentException("a numeric reference needs values, not " + count);
        }
        if (!(standardDeviation >= 0) || !Double.isFinite(standardDeviation)) {
            throw new IllegalArgumentException("the standard deviation must be a finite number >= 0, not "
                    + standardDeviation);
        }
        this.count = count;
        this.standardDeviation = standardDeviation;
        this.cdf = cdf;
        this.windowBins = WindowBins.of(cdf.knots());
    }

    @Override
    public long count() {
        return count;
    }

    /** The population standard deviation of the reference values. */
    public double standardDeviation() {
        return standardDeviation;
    }

    PiecewiseLinearCdf cdf() {
        return cdf;
    }

    /** The bins its windows count into. */
    WindowBins windowBins() {
        return windowBins;
    }

    @Override
    public FeatureKind kind() {
        return FeatureKind.NUMERIC;
    }

    /**
     * A reference from quantiles and, optionally, a histogram.
     *
     * @param count                 non-missing values
     * @param probabilities         quantile probabilities, strictly increasing from 0 to 1 (both included: the
     *                              minimum and the maximum)
     * @param values                the quantiles, never decreasing
     * @param binEdges              histogram edges, strictly increasing, or null (then {@code binCounts} is null)
     * @param binCounts             one count per bin, {@code [edge i, edge i+1)}, the last bin closed
     * @param standardDeviation     the values' population standard deviation, or null to estimate it from the
     *                              sketch (the registry does not record it today)
     */
    public static NumericReference of(long count, double[] probabilities, double[] values, double[] binEdges,
                                      long[] binCounts, Double standardDeviation) {
        checkQuantiles(probabilities, values);
        if (count < 1) {
            throw new IllegalArgumentException("a numeric reference needs values, not " + count);
        }
        List<double[]> knots = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            double rank = probabilities[i] * (count - 1);
            double nearest = Math.rint(rank);
            if (Math.abs(rank - nearest) <= RANK_TOLERANCE) {
                // an order statistic: one value's share sits exactly there
                knots.add(new double[] {values[i], nearest / count});
                knots.add(new double[] {values[i], (nearest + 1) / count});
            } else {
                // interpolated between two order statistics: a point of the distribution function
                knots.add(new double[] {values[i], probabilities[i]});
            }
        }
        if (binEdges != null || binCounts != null) {
            checkHistogram(binEdges, binCounts);
            long total = Arrays.stream(binCounts).sum();
            if (total > 0) {
                long below = 0;
                for (int i = 0; i < binEdges.length; i++) {
                    if (binEdges[i] > values[0] && binEdges[i] < values[values.length - 1]) {
                        // the share of values below the edge: F just left of it
                        knots.add(new double[] {binEdges[i], (double) below / total});
                    }
                    if (i < binCounts.length) {
                        below += binCounts[i];
                    }
                }
            }
        }
        knots.sort((a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
        double[] xs = new double[knots.size()];
        double[] ps = new double[knots.size()];
        double running = 0;
        for (int i = 0; i < xs.length; i++) {
            xs[i] = knots.get(i)[0];
            running = Math.max(running, knots.get(i)[1]);
            ps[i] = running;
        }
        PiecewiseLinearCdf cdf = new PiecewiseLinearCdf(xs, ps);
        double sd = standardDeviation != null ? standardDeviation : cdf.meanAndStandardDeviation()[1];
        return new NumericReference(count, sd, cdf);
    }

    /** A reference computed from raw values (for tests and tools): 1,001 quantiles and the exact deviation. */
    public static NumericReference ofValues(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0 || !Double.isFinite(sorted[0]) || !Double.isFinite(sorted[sorted.length - 1])) {
            throw new IllegalArgumentException("reference values must be finite and not empty");
        }
        int k = 1001;
        double[] probabilities = new double[k];
        double[] quantiles = new double[k];
        for (int i = 0; i < k; i++) {
            double p = i / (double) (k - 1);
            double h = (sorted.length - 1) * p;
            int lo = (int) Math.floor(h);
            int hi = Math.min(lo + 1, sorted.length - 1);
            probabilities[i] = p;
            quantiles[i] = Math.min(sorted[hi], sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]));
            if (i > 0) {
                quantiles[i] = Math.max(quantiles[i], quantiles[i - 1]);
            }
        }
        return of(sorted.length, probabilities, quantiles, null, null,
                Wasserstein.populationStandardDeviation(sorted));
    }

    /** The smallest reference value. */
    public double min() {
        return cdf.min();
    }

    /** The largest reference value. */
    public double max() {
        return cdf.max();
    }

    /**
     * {@code count} values standing in for the reference sample: value i is where the distribution function passes
     * {@code (i + 0.5) / count}, the middle of that value's share. A recorded order statistic comes back exactly (its
     * share is the jump there); the values left out between two recorded ones come back evenly spaced between them.
     */
    double[] pseudoSample() {
        double[] sample = pseudoSample;
        if (sample == null) {
            // every window of a small reference asks for it: built once
            int n = Math.toIntExact(count);
            sample = new double[n];
            for (int i = 0; i < n; i++) {
                sample[i] = cdf.quantile((i + 0.5) / n);
            }
            pseudoSample = sample;
        }
        return sample.clone();
    }

    private static void checkQuantiles(double[] probabilities, double[] values) {
        if (probabilities == null || values == null || probabilities.length != values.length
                || probabilities.length < 2) {
            throw new IllegalArgumentException("a numeric reference needs at least two quantiles (probabilities 0 and "
                    + "1, the minimum and the maximum), one value per probability");
        }
        if (probabilities[0] != 0 || probabilities[probabilities.length - 1] != 1) {
            throw new IllegalArgumentException("quantile probabilities must start at 0 and end at 1 (the minimum and "
                    + "the maximum), not " + probabilities[0] + " and " + probabilities[probabilities.length - 1]);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("quantile " + i + " is " + values[i] + "; quantiles are finite");
            }
            if (i > 0 && !(probabilities[i] > probabilities[i - 1])) {
                throw new IllegalArgumentException("quantile probabilities must strictly increase, but "
                        + probabilities[i] + " follows " + probabilities[i - 1]);
            }
            if (i > 0 && values[i] < values[i - 1]) {
                throw new IllegalArgumentException("quantile values must not decrease, but " + values[i] + " follows "
                        + values[i - 1]);
            }
        }
    }

    private static void checkHistogram(double[] edges, long[] counts) {
        if (edges == null || counts == null || edges.length != counts.length + 1 || counts.length < 1) {
            throw new IllegalArgumentException("a histogram needs one more edge than counts and at least one bin");
        }
        for (int i = 0; i < edges.length; i++) {
            if (!Double.isFinite(edges[i]) || (i > 0 && !(edges[i] > edges[i - 1]))) {
                throw new IllegalArgumentException("histogram edges must be finite and strictly increase; edge " + i
                        + " is " + edges[i]);
            }
        }
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException("histogram counts must be >= 0, not " + c);
            }
        }
    }
}
