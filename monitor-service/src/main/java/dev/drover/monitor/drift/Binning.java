package dev.drover.monitor.drift;

import java.util.Arrays;

/**
 * How numeric values are binned for PSI and Jensen–Shannon: Evidently's choice, NumPy's arithmetic.
 *
 * <p>Evidently calls {@code np.histogram_bin_edges(pooled, bins="sturges")} on the reference and current values
 * together: equal-width bins from the pooled minimum to the pooled maximum, as many as
 * {@code ceil(range / (range / (log2(N) + 1)))} for N pooled values (one bin, widened by 0.5 on each side, when all
 * values are equal). Edge i is {@code min + i * (range / bins)}, the last edge exactly the maximum; bin i holds
 * {@code [edge i, edge i+1)}, the last bin also its upper edge. The arithmetic here follows NumPy's step by step so
 * that the edges are the same doubles.
 */
public final class Binning {
    private Binning() {
    }

    /** Sturges edges for the pooled values of both samples. */
    public static double[] sturges(double[] reference, double[] current) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] sample : new double[][] {reference, current}) {
            for (double v : sample) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("value " + v + " cannot be binned; drop missing values first");
                }
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > max) {
            throw new IllegalArgumentException("there are no values to bin");
        }
        return sturges(min, max, (long) reference.length + current.length);
    }

    /** Sturges edges for {@code count} pooled values spanning {@code [min, max]}. */
    public static double[] sturges(double min, double max, long count) {
        if (!(min <= max) || !Double.isFinite(min) || !Double.isFinite(max) || count < 1) {
            throw new IllegalArgumentException("Sturges bins need finite min <= max and a positive count, not ["
                    + min + ", " + max + "] and " + count);
        }
        double first = min;
        double last = max;
        int bins = 1;
        if (first == last) {
            first -= 0.5;
            last += 0.5;
        } else {
            double range = last - first;
            double width = range / (log2(count) + 1.0);
            if (width > 0) {
                bins = (int) Math.ceil(range / width);
            }
        }
        return linspace(first, last, bins + 1);
    }

    /** How many values fall in each bin of {@code edges} (values outside are not counted, as in NumPy). */
    public static double[] counts(double[] values, double[] edges) {
        double[] counts = new double[edges.length - 1];
        for (double v : values) {
            int bin = bin(v, edges);
            if (bin >= 0) {
                counts[bin]++;
            }
        }
        return counts;
    }

    /** The bin of {@code v}: {@code edges[i] <= v < edges[i+1]}, the last bin closed; -1 outside. */
    static int bin(double v, double[] edges) {
        int last = edges.length - 1;
        if (!(v >= edges[0] && v <= edges[last])) {
            return -1;
        }
        if (v == edges[last]) {
            return last - 1;
        }
        int i = Arrays.binarySearch(edges, v);
        if (i >= 0) {
            // equal to an edge; with repeated edges take the last one equal, the bin that starts there
            while (i + 1 < last && edges[i + 1] == v) {
                i++;
            }
            return i;
        }
        return -i - 2;
    }

    /** NumPy's {@code linspace(start, stop, num)}: {@code start + i * step}, the last point exactly stop. */
    static double[] linspace(double start, double stop, int num) {
        double[] out = new double[num];
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            out[i] = i * step + start;
        }
        out[num - 1] = stop;
        return out;
    }

    /** log2 as NumPy gives it: exact for powers of two, where the ceiling above is sensitive to the last bit. */
    static double log2(long n) {
        if (Long.bitCount(n) == 1) {
            return Long.numberOfTrailingZeros(n);
        }
        return Math.log(n) / Math.log(2);
    }
}
