package dev.drover.monitor.drift;

/**
 * The Jensen–Shannon distance between two discrete distributions, as SciPy's
 * {@code scipy.spatial.distance.jensenshannon(p, q)} computes it with its default base, the natural logarithm
 * (Evidently calls it that way): both vectors are normalised to sum to 1, {@code m = (p + q) / 2}, and the distance is
 * {@code sqrt((KL(p || m) + KL(q || m)) / 2)}. It lies within {@code [0, sqrt(ln 2)] ≈ [0, 0.8326]}; 0 means equal
 * distributions.
 *
 * <p>Empty bins need no special handling ({@code 0 ln 0 = 0}, and m is positive wherever p or q is), so unlike PSI
 * the proportions are used as they are.
 */
public final class JensenShannon {
    private JensenShannon() {
    }

    /**
     * @param p the reference's count or proportion per bin (non-negative, not all zero)
     * @param q the current count or proportion of the same bins
     */
    public static double distance(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("both distributions need the same bins, but there are " + p.length
                    + " and " + q.length);
        }
        double pSum = total(p, "reference");
        double qSum = total(q, "current");
        double left = 0;
        double right = 0;
        for (int i = 0; i < p.length; i++) {
            double a = p[i] / pSum;
            double b = q[i] / qSum;
            double m = (a + b) / 2.0;
            left += relativeEntropy(a, m);
            right += relativeEntropy(b, m);
        }
        return Math.sqrt(Math.max(0, (left + right) / 2.0));
    }

    /** The distance between two numeric samples binned as Evidently bins them ({@link Binning#sturges}). */
    public static double ofSamples(double[] reference, double[] current) {
        double[] edges = Binning.sturges(reference, current);
        return distance(Binning.counts(reference, edges), Binning.counts(current, edges));
    }

    private static double relativeEntropy(double x, double y) {
        return x > 0 ? x * Math.log(x / y) : 0;
    }

    private static double total(double[] weights, String name) {
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0 && Double.isFinite(weights[i]))) {
                throw new IllegalArgumentException(name + " bin " + i + " is " + weights[i]
                        + "; counts and proportions are finite and non-negative");
            }
            sum += weights[i];
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("the " + name + " distribution is empty: its bins add up to 0");
        }
        return sum;
    }
}
