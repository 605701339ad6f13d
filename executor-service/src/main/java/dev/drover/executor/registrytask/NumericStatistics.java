package dev.drover.executor.registrytask;

import dev.drover.executor.registrytask.FeatureProfile.Quantile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The histogram and quantiles of a numeric feature's values. Pure functions of the values.
 *
 * <p><b>Histogram:</b> {@code bins} bins of equal width from the smallest value to the largest. Edge i is
 * {@code min + (max - min) * i / bins}, the last edge is exactly {@code max}; bin i holds the values in
 * {@code [edge i, edge i+1)}, the last bin also its upper edge, so every value is counted once. A constant column has
 * a single bin {@code [v - 0.5, v + 0.5]}: the registry needs bins of non-zero width, and one bin says "always v"
 * without inventing a spread.
 *
 * <p><b>Quantiles</b> at {@link #PROBABILITIES}, estimated as Hyndman and Fan's definition 7 (linear interpolation
 * between order statistics: {@code h = (n - 1) p}), the default of NumPy, pandas and R, so that the numbers agree
 * with what a data scientist computes in a notebook; 0 and 1 give the minimum and the maximum.
 */
final class NumericStatistics {
    /**
     * The probabilities at which quantiles are kept: every percentile, 0 to 1. The monitor builds its reference CDF
     * for the Kolmogorov–Smirnov and Wasserstein tests from them (docs/drift.md), so they are dense; 101 values per
     * feature keep a feature set of a hundred features well inside one registry write.
     */
    static final List<Double> PROBABILITIES = java.util.stream.IntStream.rangeClosed(0, 100)
            .mapToObj(i -> i / 100.0).toList();

    private NumericStatistics() {
    }

    /** Histogram edges and counts of finite values. */
    record Histogram(List<Double> edges, List<Long> counts) {
    }

    /**
     * The statistics of one numeric feature.
     *
     * @param values  the non-missing values, all finite, in any order (the array is sorted in place)
     * @param bins    how many bins, at least 1
     * @param missing how many rows had no value
     */
    static FeatureProfile.Numeric of(String name, double[] values, int bins, long missing) {
        if (values.length == 0) {
            return new FeatureProfile.Numeric(name, missing, List.of(), List.of(), List.of());
        }
        Arrays.sort(values);
        Histogram h = histogram(values, bins);
        return new FeatureProfile.Numeric(name, missing, h.edges(), h.counts(), quantiles(values));
    }

    /** Equal-width histogram of {@code sorted} (ascending, finite, not empty). */
    static Histogram histogram(double[] sorted, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, not " + bins);
        }
        double min = sorted[0];
        double max = sorted[sorted.length - 1];
        double[] edges;
        if (min == max) {
            double lo = min - 0.5;
            double hi = max + 0.5;
            if (!(lo < min && hi > max)) {
                // Beyond 2^53 half a unit vanishes; take the neighbouring doubles instead.
                lo = Math.nextDown(min);
                hi = Math.nextUp(max);
            }
            edges = new double[] {lo, hi};
        } else {
            edges = equalWidthEdges(min, max, bins);
        }
        long[] counts = new long[edges.length - 1];
        int bin = 0;
        for (double v : sorted) {
            // sorted ascending, so the bin only ever moves right; the last bin is closed
            while (bin < counts.length - 1 && v >= edges[bin + 1]) {
                bin++;
            }
            counts[bin]++;
        }
        List<Double> edgeList = new ArrayList<>(edges.length);
        for (double e : edges) {
            edgeList.add(e);
        }
        List<Long> countList = new ArrayList<>(counts.length);
        for (long c : counts) {
            countList.add(c);
        }
        return new Histogram(edgeList, countList);
    }

    private static double[] equalWidthEdges(double min, double max, int bins) {
        double range = max - min;
        double[] raw = new double[bins + 1];
        for (int i = 0; i < bins; i++) {
            // (max - min) * i / bins is exact for "nice" data (integers, halves), where the spelled-out width is not;
            // the interpolating form avoids overflow when the range itself exceeds the largest double.
            raw[i] = Double.isFinite(range) ? min + range * i / bins
                    : min * (1 - (double) i / bins) + max * ((double) i / bins);
        }
        raw[bins] = max;
        // Over a range of a few ulps neighbouring edges can round to the same double; the registry needs strictly
        // increasing edges, so such bins are merged.
        double[] edges = new double[bins + 1];
        int n = 0;
        for (double e : raw) {
            if (n == 0 || e > edges[n - 1]) {
                edges[n++] = e;
            }
        }
        if (edges[n - 1] != max) {
            edges[n - 1] = max;
        }
        return Arrays.copyOf(edges, n);
    }

    /** Quantiles of {@code sorted} (ascending, finite, not empty) at {@link #PROBABILITIES}. */
    static List<Quantile> quantiles(double[] sorted) {
        Percentile percentile = new Percentile().withEstimationType(EstimationType.R_7);
        percentile.setData(sorted);
        List<Quantile> out = new ArrayList<>(PROBABILITIES.size());
        double previous = sorted[0];
        for (double p : PROBABILITIES) {
            // Commons Math takes p in (0, 100]; the 0 quantile is the minimum by definition.
            double value = p == 0.0 ? sorted[0] : percentile.evaluate(p * 100);
            // Interpolation may be off by an ulp at the ends; the registry requires quantiles that never decrease.
            value = Math.min(Math.max(value, previous), sorted[sorted.length - 1]);
            out.add(new Quantile(p, value));
            previous = value;
        }
        return out;
    }
}
