package dev.drover.monitor.drift;

import java.util.Arrays;

/**
 * The window sketch of a numeric feature: counts over {@value #BINS} equal-width bins laid over the reference's range
 * widened by half of it on each side, plus, for values beyond those bins, their count and sum on each side; the
 * exact minimum and maximum; and, while the window is small enough for SciPy's exact KS p-value, the values
 * themselves (at most {@value KolmogorovSmirnov#MAX_EXACT_SAMPLE}, only when the reference is that small too).
 * About 17 KB (97 KB with the value buffer) whatever the traffic.
 *
 * <p>Within a bin the values are taken as spread evenly; beyond the bins as sitting at their mean, which keeps the
 * Wasserstein distance exact there (the reference's CDF is flat outside its range). The errors this brings are in
 * {@code docs/drift.md}.
 */
public final class NumericWindow implements FeatureWindow {
    /** Bins over the widened reference range. */
    public static final int BINS = 2048;

    private final double low;
    private final double high;
    private final double scale;
    private final long[] bins = new long[BINS];
    private long under;
    private double underSum;
    private long over;
    private double overSum;
    private long count;
    private long missing;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double[] values;

    /** An empty window for a feature with this reference. */
    public NumericWindow(NumericReference reference) {
        double span = reference.max() - reference.min();
        if (!(span > 0)) {
            span = Math.max(Math.abs(reference.min()) * 1e-6, 1.0);
        }
        this.low = reference.min() - span / 2;
        this.high = reference.max() + span / 2;
        this.scale = BINS / (high - low);
        this.values = reference.count() <= KolmogorovSmirnov.MAX_EXACT_SAMPLE ? new double[64] : null;
    }

    /** Counts one value; NaN counts as missing. */
    public void add(double v) {
        if (v != v) {
            missing++;
            return;
        }
        if (values != null) {
            keep(v);
        }
        count++;
        if (v < min) {
            min = v;
        }
        if (v > max) {
            max = v;
        }
        double position = (v - low) * scale;
        if (position < 0) {
            under++;
            underSum += v;
        } else if (position >= BINS) {
            over++;
            overSum += v;
        } else {
            bins[(int) position]++;
        }
    }

    /** Counts {@code values[from .. to)}. */
    public void addAll(double[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            add(values[i]);
        }
    }

    /** Adds another window of the same reference into this one. */
    public void merge(NumericWindow other) {
        if (other.low != low || other.high != high) {
            throw new IllegalArgumentException("windows of different references cannot be merged");
        }
        if (values != null) {
            if (other.values == null || count + other.count > KolmogorovSmirnov.MAX_EXACT_SAMPLE) {
                values = null;
            } else {
                double[] both = Arrays.copyOf(values, (int) (count + other.count));
                System.arraycopy(other.values, 0, both, (int) count, (int) other.count);
                values = both;
            }
        }
        for (int i = 0; i < BINS; i++) {
            bins[i] += other.bins[i];
        }
        under += other.under;
        underSum += other.underSum;
        over += other.over;
        overSum += other.overSum;
        count += other.count;
        missing += other.missing;
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long missingCount() {
        return missing;
    }

    /** The smallest value seen (infinite when the window is empty). */
    public double min() {
        return min;
    }

    /** The largest value seen. */
    public double max() {
        return max;
    }

    /** The values themselves, while there are at most {@value KolmogorovSmirnov#MAX_EXACT_SAMPLE}; else null. */
    double[] values() {
        return values == null ? null : Arrays.copyOf(values, (int) count);
    }

    /** The window's distribution as the sketch sees it; the window has values. */
    PiecewiseLinearCdf cdf() {
        double m = count;
        double[] xs = new double[2 * BINS + 4];
        double[] ps = new double[xs.length];
        int k = 0;
        long below = 0;
        if (under > 0) {
            double mean = Math.min(underSum / under, low);
            xs[k] = mean;
            ps[k++] = 0;
            below = under;
            xs[k] = mean;
            ps[k++] = below / m;
        }
        for (int i = 0; i < BINS; i++) {
            if (bins[i] == 0) {
                continue;
            }
            double left = Math.max(low + i / scale, min);
            double right = Math.min(low + (i + 1) / scale, max);
            if (k == 0 || xs[k - 1] < left) {
                xs[k] = left;
                ps[k++] = below / m;
            }
            below += bins[i];
            xs[k] = Math.max(right, left);
            ps[k++] = below / m;
        }
        if (over > 0) {
            double mean = Math.max(overSum / over, high);
            xs[k] = mean;
            ps[k++] = below / m;
            xs[k] = mean;
            ps[k++] = 1;
        }
        ps[k - 1] = 1;
        return new PiecewiseLinearCdf(Arrays.copyOf(xs, k), Arrays.copyOf(ps, k));
    }

    private void keep(double v) {
        if (count >= KolmogorovSmirnov.MAX_EXACT_SAMPLE) {
            values = null;
            return;
        }
        if (count == values.length) {
            values = Arrays.copyOf(values, (int) Math.min(values.length * 2L, KolmogorovSmirnov.MAX_EXACT_SAMPLE));
        }
        values[(int) count] = v;
    }
}
