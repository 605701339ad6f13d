package dev.drover.monitor.drift;

import java.util.Arrays;

/**
 * The window sketch of a numeric feature: per bin ({@link WindowBins}, laid out from the reference: narrow where the
 * reference has its mass, a bin of its own for each value it repeats, equal-width bins over its range, and bins
 * beyond it reaching as far as a double does) the count and the smallest and largest value, and for the bins outside
 * the reference's range also the sum; for values beyond all bins (only past about 10^19 reference ranges), their
 * count and sum on each side; and, while the window is small enough for SciPy's exact KS p-value, the values
 * themselves (at most {@value KolmogorovSmirnov#MAX_EXACT_SAMPLE}, only when the reference is that small too). About
 * 60 KB (140 KB with the value buffer) whatever the traffic.
 *
 * <p>While the values are kept, the statistics use them. Otherwise a bin's smallest and largest value count
 * exactly, so a bin holding one or two values, or one value many times, is exact. The values between are taken as
 * spread evenly: over the bin inside the reference's range, around their mean outside it, which keeps the
 * Wasserstein distance exact there (the reference's CDF is flat outside its range). The errors this brings are in
 * {@code docs/drift.md}.
 */
public final class NumericWindow implements FeatureWindow {
    private final WindowBins bins;
    private final long[] counts;
    /** Each bin's smallest value at 2i and largest at 2i + 1: side by side, so counting a value touches one line. */
    private final double[] ends;
    /** The sum of each outside bin's values (see {@link WindowBins#outsideIndex}). */
    private final double[] outsideSums;
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
        this.bins = reference.windowBins();
        this.counts = new long[bins.bins()];
        this.ends = new double[2 * bins.bins()];
        this.outsideSums = new double[bins.outsideBins()];
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
        int bin = bins.binOf(v);
        if (bin < 0) {
            under++;
            underSum += v;
        } else if (bin == counts.length) {
            over++;
            overSum += v;
        } else {
            int low = 2 * bin;
            if (counts[bin]++ == 0) {
                ends[low] = v;
                ends[low + 1] = v;
            } else if (v < ends[low]) {
                ends[low] = v;
            } else if (v > ends[low + 1]) {
                ends[low + 1] = v;
            }
            int outside = bins.outsideIndex(bin);
            if (outside >= 0) {
                outsideSums[outside] += v;
            }
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
        if (!bins.sameAs(other.bins)) {
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
        for (int i = 0; i < counts.length; i++) {
            if (other.counts[i] == 0) {
                continue;
            }
            if (counts[i] == 0) {
                ends[2 * i] = other.ends[2 * i];
                ends[2 * i + 1] = other.ends[2 * i + 1];
            } else {
                ends[2 * i] = Math.min(ends[2 * i], other.ends[2 * i]);
                ends[2 * i + 1] = Math.max(ends[2 * i + 1], other.ends[2 * i + 1]);
            }
            counts[i] += other.counts[i];
        }
        for (int i = 0; i < outsideSums.length; i++) {
            outsideSums[i] += other.outsideSums[i];
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

    /**
     * The window's distribution as the sketch sees it; the window has values. While it keeps its values that is
     * their exact distribution. Otherwise each bin's smallest and largest value are there exactly and the rest of its
     * values are spread evenly between them (so a bin of one or two values is exact too); values beyond the bins sit
     * at their mean.
     */
    PiecewiseLinearCdf cdf() {
        if (values != null) {
            return empirical(values());
        }
        double m = count;
        double[] xs = new double[6 * counts.length + 4];
        double[] ps = new double[xs.length];
        int k = 0;
        long below = 0;
        if (under > 0) {
            double mean = Math.min(underSum / under, bins.low());
            xs[k] = mean;
            ps[k++] = 0;
            below = under;
            xs[k] = mean;
            ps[k++] = below / m;
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            double low = ends[2 * i];
            double high = ends[2 * i + 1];
            xs[k] = low;
            ps[k++] = below / m;
            xs[k] = low;
            ps[k++] = (below + 1) / m;
            int outside = bins.outsideIndex(i);
            if (outside >= 0 && counts[i] > 2) {
                // The reference is flat here, so only the values' sum matters to the Wasserstein distance: the
                // values between the smallest and the largest are spread evenly around their mean, as widely as
                // the bin's ends allow.
                double mean = (outsideSums[outside] - low - high) / (counts[i] - 2);
                mean = Math.min(Math.max(mean, low), high);
                double half = Math.min(mean - low, high - mean);
                xs[k] = mean - half;
                ps[k++] = (below + 1) / m;
                xs[k] = mean + half;
                ps[k++] = (below + counts[i] - 1) / m;
            }
            below += counts[i];
            if (counts[i] > 1) {
                xs[k] = high;
                ps[k++] = (below - 1) / m;
                xs[k] = high;
                ps[k++] = below / m;
            }
        }
        if (over > 0) {
            double mean = Math.max(overSum / over, bins.high());
            xs[k] = mean;
            ps[k++] = below / m;
            xs[k] = mean;
            ps[k++] = 1;
        }
        ps[k - 1] = 1;
        return new PiecewiseLinearCdf(Arrays.copyOf(xs, k), Arrays.copyOf(ps, k));
    }

    /** The empirical distribution function of {@code sample}: a jump of one share at each value. */
    private static PiecewiseLinearCdf empirical(double[] sample) {
        Arrays.sort(sample);
        int n = sample.length;
        double[] xs = new double[2 * n];
        double[] ps = new double[2 * n];
        for (int i = 0; i < n; i++) {
            xs[2 * i] = sample[i];
            ps[2 * i] = (double) i / n;
            xs[2 * i + 1] = sample[i];
            ps[2 * i + 1] = (double) (i + 1) / n;
        }
        return new PiecewiseLinearCdf(xs, ps);
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
