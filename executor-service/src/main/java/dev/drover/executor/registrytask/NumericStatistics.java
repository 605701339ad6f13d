package dev.drover.executor.registrytask;

import dev.drover.executor.registrytask.FeatureProfile.Quantile;

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
 * <p><b>Quantiles</b> are order statistics: the value of rank j (0-based, in ascending order) is recorded at
 * probability {@code j / (n - 1)}, where it is exactly the quantile of Hyndman and Fan's definition 7 (NumPy's,
 * pandas' and R's default), so the numbers still agree with a notebook. Which ranks are recorded is chosen from the
 * data ({@link #ranks}): every value when there are at most as many as the budget; otherwise the first and last
 * value of every run of ties that the budget allows, and ranks spaced so that the values between two recorded ones
 * are few where they are spread wide (the tails) and never more than about two budget-shares of the data. The
 * monitor rebuilds the reference distribution from them (docs/drift.md): a recorded value is exact, a repeated one a
 * point mass, and only the unrecorded values between two different recorded ones are guessed (spread evenly).
 */
final class NumericStatistics {
    /**
     * The most quantiles kept per feature: the registry's limit ({@code FeatureSetRules.MAX_QUANTILES}). With this
     * many the monitor's statistics on the reference stay within the bounds docs/drift.md states.
     */
    static final int MAX_QUANTILES = 1_001;

    private NumericStatistics() {
    }

    /** Histogram edges and counts of finite values. */
    record Histogram(List<Double> edges, List<Long> counts) {
    }

    /**
     * The statistics of one numeric feature.
     *
     * @param values    the non-missing values, all finite, in any order (the array is sorted in place)
     * @param bins      how many bins, at least 1
     * @param quantiles how many quantiles at most, 2 (the minimum and the maximum) to {@link #MAX_QUANTILES}
     * @param missing   how many rows had no value
     */
    static FeatureProfile.Numeric of(String name, double[] values, int bins, int quantiles, long missing) {
        if (values.length == 0) {
            return new FeatureProfile.Numeric(name, missing, List.of(), List.of(), List.of());
        }
        Arrays.sort(values);
        Histogram h = histogram(values, bins);
        return new FeatureProfile.Numeric(name, missing, h.edges(), h.counts(), quantiles(values, quantiles));
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

    /**
     * At most {@code budget} quantiles of {@code sorted} (ascending, finite, not empty): the order statistics of
     * {@link #ranks}, each at probability {@code rank / (n - 1)}. A single value is recorded at 0 and at 1, since the
     * registry's readers expect both ends.
     */
    static List<Quantile> quantiles(double[] sorted, int budget) {
        int n = sorted.length;
        if (n == 1) {
            return List.of(new Quantile(0, sorted[0]), new Quantile(1, sorted[0]));
        }
        int[] ranks = ranks(sorted, budget);
        List<Quantile> out = new ArrayList<>(ranks.length);
        for (int rank : ranks) {
            out.add(new Quantile(rank == n - 1 ? 1.0 : (double) rank / (n - 1), sorted[rank]));
        }
        return out;
    }

    /**
     * Which order statistics of {@code sorted} (ascending, at least two values) to record, at most {@code budget}
     * (at least 2) of them, always the first and the last.
     *
     * <p>The monitor spreads the values between two recorded ranks a &lt; b evenly over {@code [x_a, x_b]}. That guess
     * is exact when they are ties ({@code x_a == x_b}) or when there are none ({@code b = a + 1}); otherwise it moves
     * the distribution function by at most their share, {@code (b - a - 1) / n}, and the Wasserstein distance by at
     * most their "area" {@code (b - a - 1) (x_b - x_a)} over n. So the ranks are chosen greedily, each as far from the
     * previous as these allow: no more than {@code 2 (n - 1) / (budget - 1)} ranks apart (a run of ties may be any
     * length), and with an area no larger than a bound found by bisection, the smallest for which the budget
     * suffices. The share limit alone needs at most half the budget, so the other half goes where values are spread
     * wide: heavy tails get their extreme values recorded one by one; few distinct values (integers, codes) get
     * the ends of every run of ties, which makes the rebuilt distribution exact.
     */
    static int[] ranks(double[] sorted, int budget) {
        if (budget < 2) {
            throw new IllegalArgumentException("at least two quantiles (the minimum and the maximum), not " + budget);
        }
        int n = sorted.length;
        if (n <= budget) {
            return java.util.stream.IntStream.range(0, n).toArray();
        }
        int pieces = budget - 1;
        int longest = (int) Math.ceil(2.0 * (n - 1) / pieces);
        // Non-negative doubles order like their bit patterns, so bisecting the bits finds the smallest sufficient
        // area bound exactly, infinity included (values spread over more than the largest double).
        long fits = Double.doubleToLongBits(Double.POSITIVE_INFINITY);
        long tooSmall = -1;
        if (greedy(sorted, longest, 0, pieces) != null) {
            fits = 0;
        }
        while (fits - tooSmall > 1) {
            long mid = tooSmall + (fits - tooSmall) / 2;
            if (greedy(sorted, longest, Double.longBitsToDouble(mid), pieces) != null) {
                fits = mid;
            } else {
                tooSmall = mid;
            }
        }
        return greedy(sorted, longest, Double.longBitsToDouble(fits), pieces);
    }

    /**
     * The ranks the greedy walk records when no two neighbours are more than {@code longest} ranks apart (unless
     * tied) and none encloses an area ({@code (b - a - 1) (x_b - x_a)}) above {@code area}; null if that takes more
     * than {@code pieces} pieces.
     */
    private static int[] greedy(double[] sorted, int longest, double area, int pieces) {
        int n = sorted.length;
        int[] ranks = new int[pieces + 1];
        int count = 0;
        int a = 0;
        ranks[count++] = 0;
        while (a < n - 1) {
            if (count > pieces) {
                return null;
            }
            a = farthest(sorted, a, longest, area);
            ranks[count++] = a;
        }
        return Arrays.copyOf(ranks, count);
    }

    /** The farthest rank b after a such that the values strictly between them may be spread evenly. */
    private static int farthest(double[] sorted, int a, int longest, double area) {
        int n = sorted.length;
        // the end of a's run of ties (binary search: sorted[lo] == sorted[a] holds, sorted[hi + 1] differs)
        int lo = a;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (sorted[mid] == sorted[a]) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int tieEnd = lo;
        // the last b within reach whose enclosed values' area stays within the bound; b = a + 1 encloses none
        lo = a + 1;
        hi = (int) Math.min(n - 1, (long) a + longest);
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if ((mid - a - 1) * (sorted[mid] - sorted[a]) <= area) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return Math.max(tieEnd, lo);
    }
}
