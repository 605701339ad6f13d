package dev.drover.monitor.drift;

import java.util.Arrays;

/**
 * The bins a {@link NumericWindow} counts into, laid out once per reference and shared by all its windows.
 *
 * <p>Over the reference's range the bins follow the reference: every point where its distribution function bends or
 * jumps (each recorded quantile, each histogram edge) starts a bin, and each stretch between two such points is cut
 * into equal parts so that there are about {@value #FOLLOWING} such bins. So bins are narrow where the reference has
 * its mass and around its extreme values, whatever the scale (equal-width bins over a heavy-tailed range put most of
 * the values in a handful of bins), and a value the reference holds many times (an integer code) starts a bin of its
 * own, which keeps it a point mass in the window too. {@value #EVEN} equal-width bins over the range are laid on top,
 * for references that say little about their tails (a fixed grid of quantiles).
 *
 * <p>Beyond the range, on each side, {@value #BEYOND} equal-width bins cover as much again as the range, then bins
 * of doubling width (ending 2, 4, 8, ... ranges away, {@value #FAR} of them) reach as far as a double does: a
 * heavy-tailed window's extreme values land in bins of their own instead of being lumped together. Only values
 * beyond even those fall outside every bin.
 *
 * <p>Finding a value's bin is a lookup in a table of {@value #CELLS} equal cells over the range and the equal-width
 * bins beyond it, then a count of the few edges in that cell at or below the value (a binary search in the rare
 * cell that holds more); further out, a binary search.
 */
final class WindowBins {
    /** Bins following the reference's knots over its range, about. */
    static final int FOLLOWING = 1024;
    /** Equal-width bins over the reference's range, on top of those. */
    static final int EVEN = 1024;
    /** Equal-width bins on each side beyond the reference's range, over as much again as the range. */
    static final int BEYOND = 128;
    /** Bins of doubling width on each side further out. */
    static final int FAR = 64;
    /**
     * Cells of the lookup table: over the reference's range about two per bin there, so that nearly every cell has
     * at most {@value #FEW} bins starting in it.
     */
    private static final int CELLS = 16384;
    /** Up to this many bins starting in a cell are told apart without a branch (counting the edges at or below). */
    private static final int FEW = 3;

    /** Strictly increasing; bin i is {@code [edges[i], edges[i + 1])}. */
    private final double[] edges;
    /** Bins below this index lie below the reference's minimum. */
    private final int firstInside;
    /** Bins from this index on lie at or above the reference's maximum. */
    private final int firstAbove;
    /** The stretch the lookup table covers, and for each cell the bin that holds the cell's lower end. */
    private final double cellLow;
    private final double cellHigh;
    private final double scale;
    private final int[] firstBin;

    private WindowBins(double[] edges, double min, double max, double cellLow, double cellHigh) {
        this.edges = edges;
        this.firstInside = Math.max(0, Arrays.binarySearch(edges, min));
        int above = Arrays.binarySearch(edges, max);
        this.firstAbove = above >= 0 ? above : bins();
        this.cellLow = cellLow;
        this.cellHigh = cellHigh;
        double span = cellHigh - cellLow;
        this.scale = Double.isFinite(span) && span > 0 ? CELLS / span : 0;
        this.firstBin = new int[CELLS + 1];
        int bin = firstBin(cellLow);
        for (int c = 0; c <= CELLS && scale > 0; c++) {
            double start = cellLow + c / scale;
            while (bin < bins() - 1 && edges[bin + 1] <= start) {
                bin++;
            }
            firstBin[c] = bin;
        }
    }

    /**
     * Bins for a reference whose distribution function bends or jumps at {@code knots} (ascending, repeats allowed),
     * from its minimum {@code knots[0]} to its maximum.
     */
    static WindowBins of(double[] knots) {
        double min = knots[0];
        double max = knots[knots.length - 1];
        double[] distinct = Arrays.stream(knots).distinct().toArray();
        double span = max - min;
        if (!(span > 0)) {
            span = Math.max(Math.abs(min) * 1e-6, 1.0);
        }
        double low = min - span;
        double high = max + span;
        boolean beyond = Double.isFinite(low) && Double.isFinite(high) && low < min && high > max;
        int pieces = distinct.length - 1;
        int parts = pieces == 0 ? 0 : Math.max(1, Math.round((float) FOLLOWING / pieces));
        int even = pieces == 0 ? 0 : EVEN;
        double[] raw = new double[(beyond ? 2 * (BEYOND + FAR) : 1) + pieces * parts + even + 1];
        int n = 0;
        if (beyond) {
            for (int k = FAR; k >= 1; k--) {
                double edge = min - span * Math.pow(2, k);
                if (edge > -Double.MAX_VALUE) {
                    raw[n++] = edge;
                }
            }
            for (int i = 0; i < BEYOND; i++) {
                raw[n++] = between(low, min, i, BEYOND);
            }
        }
        for (int k = 0; k < pieces; k++) {
            for (int i = 0; i < parts; i++) {
                raw[n++] = between(distinct[k], distinct[k + 1], i, parts);
            }
        }
        for (int i = 1; i < even; i++) {
            raw[n++] = between(min, max, i, even);
        }
        raw[n++] = max;
        if (beyond) {
            for (int i = 1; i <= BEYOND; i++) {
                raw[n++] = between(max, high, i, BEYOND);
            }
            for (int k = 1; k <= FAR; k++) {
                double edge = max + span * Math.pow(2, k);
                if (edge < Double.MAX_VALUE) {
                    raw[n++] = edge;
                }
            }
        } else {
            // bins are closed below only: without bins beyond, the maximum needs one of its own
            raw[n++] = Math.nextUp(max);
        }
        Arrays.sort(raw, 0, n);
        // Over a stretch of a few ulps neighbouring parts can round to the same double; edges must strictly increase.
        double[] edges = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m == 0 || raw[i] > edges[m - 1]) {
                edges[m++] = raw[i];
            }
        }
        edges = Arrays.copyOf(edges, m);
        return beyond ? new WindowBins(edges, min, max, low, high)
                : new WindowBins(edges, min, max, edges[0], edges[m - 1]);
    }

    /** The i-th of {@code parts} equal steps from a to b (interpolated, so that no difference overflows). */
    private static double between(double a, double b, int i, int parts) {
        double t = (double) i / parts;
        double d = b - a;
        return Double.isFinite(d) ? a + d * t : a * (1 - t) + b * t;
    }

    int bins() {
        return edges.length - 1;
    }

    double lower(int bin) {
        return edges[bin];
    }

    double upper(int bin) {
        return edges[bin + 1];
    }

    /** How many bins lie outside the reference's range: below its minimum, or at or above its maximum. */
    int outsideBins() {
        return firstInside + bins() - firstAbove;
    }

    /**
     * The bin's number among those outside the reference's range (where its distribution function is flat: 0 below,
     * 1 at and above the maximum), or -1 for a bin inside it.
     */
    int outsideIndex(int bin) {
        return bin < firstInside ? bin : bin >= firstAbove ? firstInside + bin - firstAbove : -1;
    }

    /** The lowest edge: values below it are beyond the bins. */
    double low() {
        return edges[0];
    }

    /** The highest edge: values at or above it are beyond the bins. */
    double high() {
        return edges[edges.length - 1];
    }

    /** The bin holding {@code v}: -1 below the bins, {@link #bins()} at or above their upper end. */
    int binOf(double v) {
        if (v < edges[0]) {
            return -1;
        }
        if (v >= edges[edges.length - 1]) {
            return bins();
        }
        if (!(scale > 0 && v >= cellLow && v < cellHigh)) {
            return lastAtMost(v, 0, bins() - 1);
        }
        int cell = (int) Math.min(CELLS - 1, (v - cellLow) * scale);
        int bin = firstBin[cell];
        if (firstBin[cell + 1] - bin <= FEW) {
            // the edges are sorted, so the bin is the cell's first plus how many of the next edges are at most v;
            // adding comparisons instead of searching leaves no branch to mispredict on random values
            // (an index past the last edge reads the last edge, which is above v)
            int last = edges.length - 1;
            bin += (edges[Math.min(bin + 1, last)] <= v ? 1 : 0) + (edges[Math.min(bin + 2, last)] <= v ? 1 : 0)
                    + (edges[Math.min(bin + 3, last)] <= v ? 1 : 0);
        } else {
            bin = lastAtMost(v, bin, firstBin[cell + 1]);
        }
        // the cell was computed in floating point and may be one off at its boundary
        while (bin > 0 && edges[bin] > v) {
            bin--;
        }
        while (bin < bins() - 1 && edges[bin + 1] <= v) {
            bin++;
        }
        return bin;
    }

    boolean sameAs(WindowBins other) {
        return this == other || Arrays.equals(edges, other.edges);
    }

    /** The last bin in [lo, hi] whose lower edge is at most v (lo if none). */
    private int lastAtMost(double v, int lo, int hi) {
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (edges[mid] <= v) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private int firstBin(double v) {
        return v < edges[0] ? 0 : Math.min(bins() - 1, lastAtMost(v, 0, bins() - 1));
    }
}
