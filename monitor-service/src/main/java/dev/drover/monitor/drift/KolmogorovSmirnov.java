package dev.drover.monitor.drift;

import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * The two-sample Kolmogorov–Smirnov test, two-sided, as SciPy's {@code scipy.stats.ks_2samp} computes it with its
 * default {@code method='auto'}.
 *
 * <p>The statistic D is the largest distance between the two empirical CDFs (each evaluated after a run of tied
 * values). SciPy's p-value is exact, {@code P(D >= d)} over all orderings of the pooled sample, when both samples
 * have at most {@value #MAX_EXACT_SAMPLE} values, and otherwise Smirnov's asymptotic one: the survival function of the
 * one-sample Kolmogorov distribution {@code kstwo(N)} at d, with {@code N = round(n m / (n + m))}. Apache Commons
 * Statistics implements both (Viehmann's exact method; Simard and L'Ecuyer's algorithms for {@code kstwo}), but its
 * own "auto" switches at {@code max(n, m) < 10000}, one value earlier than SciPy, so the method is chosen here.
 */
public final class KolmogorovSmirnov {
    /** SciPy's {@code MAX_AUTO_N}: the exact p-value is used while both samples have at most this many values. */
    public static final int MAX_EXACT_SAMPLE = 10_000;

    private static final KolmogorovSmirnovTest EXACT = KolmogorovSmirnovTest.withDefaults().with(PValueMethod.EXACT);
    private static final KolmogorovSmirnovTest ASYMPTOTIC =
            KolmogorovSmirnovTest.withDefaults().with(PValueMethod.ASYMPTOTIC);

    private KolmogorovSmirnov() {
    }

    /**
     * Tests whether {@code reference} and {@code current} come from the same distribution.
     *
     * @throws IllegalArgumentException if a sample has fewer than two values or a value is not a finite number
     */
    public static TestStatistic test(double[] reference, double[] current) {
        check(reference, "reference");
        check(current, "current");
        boolean exact = Math.max(reference.length, current.length) <= MAX_EXACT_SAMPLE;
        KolmogorovSmirnovTest.TwoResult r = (exact ? EXACT : ASYMPTOTIC).test(reference, current);
        return new TestStatistic(r.getStatistic(), r.getPValue());
    }

    /**
     * Smirnov's asymptotic two-sided p-value for a statistic {@code d} between samples of {@code n} and {@code m}
     * values, exactly as {@code ks_2samp} computes it for large samples: {@code kstwo.sf(d, round(n m / (n + m)))}.
     * Used when D comes from sketches rather than from the values themselves.
     */
    public static double asymptoticPValue(double d, long n, long m) {
        if (n < 1 || m < 1) {
            throw new IllegalArgumentException("both samples need values, not " + n + " and " + m);
        }
        if (!(d >= 0 && d <= 1)) {
            throw new IllegalArgumentException("a KS statistic lies within [0, 1], not " + d);
        }
        double big = Math.max(n, m);
        double small = Math.min(n, m);
        long rounded = Math.round(big * small / (big + small));
        if (rounded > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("samples of " + n + " and " + m + " values are beyond what the "
                    + "Kolmogorov distribution is computed for here");
        }
        return kolmogorovSurvival(d, (int) Math.max(rounded, 2));
    }

    /**
     * {@code P(D_N >= d)} for the one-sample two-sided Kolmogorov distribution. Commons Statistics computes it only
     * inside its one-sample test, from a sample and a CDF; so it is handed N points with a "CDF" whose largest
     * distance to their ECDF is exactly d (the last point sits at 1 - d, the others halfway up their step, 1/(2N)
     * away). The library then evaluates the distribution at d with SciPy's choice of algorithm for each region.
     */
    private static double kolmogorovSurvival(double d, int n) {
        if (d * n <= 0.5) {
            return 1; // no sample of N values is closer than 1/(2N) to a continuous CDF
        }
        double[] points = new double[n];
        for (int i = 0; i < n; i++) {
            points[i] = i;
        }
        double last = n - 1;
        return EXACT.test(points, v -> v == last ? 1 - d : (v + 0.5) / n).getPValue();
    }

    private static void check(double[] values, String name) {
        if (values == null || values.length < 2) {
            throw new IllegalArgumentException("the KS test needs at least two " + name + " values, not "
                    + (values == null ? 0 : values.length));
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + " value " + i + " is " + values[i]
                        + "; drop missing values (NaN) before testing");
            }
        }
    }
}
