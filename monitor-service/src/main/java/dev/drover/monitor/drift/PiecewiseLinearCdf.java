package dev.drover.monitor.drift;


/**
 * A distribution function drawn through knots {@code (x_k, p_k)} and straight between them: the shape sketches give
 * (mass spread evenly between two quantiles, or within a histogram bin). Both sequences never decrease, p runs from
 * 0 to 1, and a repeated x with a higher p is a jump (a point mass, such as a tied quantile).
 *
 * <p>The statistics on sketches are computed on two of these: KS as the largest gap (at knots, on both sides of a
 * jump), Wasserstein as the area between them (exact for straight pieces), and bin shares as differences.
 */
final class PiecewiseLinearCdf {
    private final double[] xs;
    private final double[] ps;

    PiecewiseLinearCdf(double[] xs, double[] ps) {
        this.xs = xs;
        this.ps = ps;
    }

    double min() {
        return xs[0];
    }

    double max() {
        return xs[xs.length - 1];
    }

    /** Where the function bends or jumps, ascending (a jump repeats its x). */
    double[] knots() {
        return xs.clone();
    }

    /** {@code F(x)}, right-continuous. */
    double at(double x) {
        int k = lastIndexAtMost(x);
        if (k < 0) {
            return 0;
        }
        if (k == xs.length - 1) {
            return ps[k];
        }
        return interpolate(k, x);
    }

    /** {@code F(x-)}, the limit from the left. */
    double below(double x) {
        int k = lastIndexBelow(x);
        if (k < 0) {
            return 0;
        }
        if (k == xs.length - 1) {
            return ps[k];
        }
        return interpolate(k, x);
    }

    /** The smallest x with {@code F(x) >= p}. */
    double quantile(double p) {
        // the first k with ps[k] >= p (the last knot if none): ps never decreases, so a binary search
        int lo = 0;
        int hi = ps.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ps[mid] < p) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int k = lo;
        if (k == 0 || ps[k] == ps[k - 1]) {
            return xs[k];
        }
        double t = (p - ps[k - 1]) / (ps[k] - ps[k - 1]);
        return xs[k - 1] + (xs[k] - xs[k - 1]) * t;
    }

    /** The mean and the population standard deviation of the distribution. */
    double[] meanAndStandardDeviation() {
        double mean = 0;
        double square = 0;
        for (int k = 0; k + 1 < xs.length; k++) {
            double mass = ps[k + 1] - ps[k];
            double a = xs[k];
            double b = xs[k + 1];
            mean += mass * (a + b) / 2;
            square += mass * (a * a + a * b + b * b) / 3;
        }
        mean += ps[0] * xs[0];
        square += ps[0] * xs[0] * xs[0];
        return new double[] {mean, Math.sqrt(Math.max(0, square - mean * mean))};
    }

    /** The Kolmogorov–Smirnov distance {@code sup |F - G|}. */
    static double supDistance(PiecewiseLinearCdf f, PiecewiseLinearCdf g) {
        double d = 0;
        for (PiecewiseLinearCdf h : new PiecewiseLinearCdf[] {f, g}) {
            for (double x : h.xs) {
                d = Math.max(d, Math.abs(f.at(x) - g.at(x)));
                d = Math.max(d, Math.abs(f.below(x) - g.below(x)));
            }
        }
        return d;
    }

    /** The area between the two functions, {@code ∫ |F - G| dx}: the Wasserstein-1 distance. */
    static double areaBetween(PiecewiseLinearCdf f, PiecewiseLinearCdf g) {
        // both knot sequences are sorted already: merge them
        double[] knots = new double[f.xs.length + g.xs.length];
        int i = 0;
        int j = 0;
        for (int k = 0; k < knots.length; k++) {
            knots[k] = j >= g.xs.length || (i < f.xs.length && f.xs[i] <= g.xs[j]) ? f.xs[i++] : g.xs[j++];
        }
        double area = 0;
        double a = knots[0];
        for (int k = 1; k < knots.length; k++) {
            double b = knots[k];
            if (b > a) {
                // both functions are straight on (a, b): integrate |difference| exactly, splitting at a crossing
                double da = f.at(a) - g.at(a);
                double db = f.below(b) - g.below(b);
                double width = b - a;
                if (da * db >= 0) {
                    area += (Math.abs(da) + Math.abs(db)) / 2 * width;
                } else {
                    area += (da * da + db * db) / (2 * (Math.abs(da) + Math.abs(db))) * width;
                }
                a = b;
            }
        }
        return area;
    }

    /** The mass in each bin {@code [edge i, edge i+1)}, the last bin closed; mass outside the edges is left out. */
    double[] binMasses(double[] edges) {
        double[] out = new double[edges.length - 1];
        for (int i = 0; i < out.length; i++) {
            double upper = i == out.length - 1 ? at(edges[i + 1]) : below(edges[i + 1]);
            out[i] = Math.max(0, upper - below(edges[i]));
        }
        return out;
    }

    private double interpolate(int k, double x) {
        double width = xs[k + 1] - xs[k];
        if (!(width > 0)) {
            return ps[k + 1];
        }
        return ps[k] + (ps[k + 1] - ps[k]) * ((x - xs[k]) / width);
    }

    private int lastIndexAtMost(double x) {
        int lo = 0;
        int hi = xs.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (xs[mid] <= x) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    private int lastIndexBelow(double x) {
        int lo = 0;
        int hi = xs.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (xs[mid] < x) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
