package dev.drover.monitor.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs the drift tests on sketches: each feature's window against its reference, then the dataset verdict. Pure
 * functions; no state.
 *
 * <p>Numeric features: KS uses the raw window values and a reference sample rebuilt from the reference's quantiles
 * when both have at most {@value KolmogorovSmirnov#MAX_EXACT_SAMPLE} values (SciPy's exact regime), and otherwise the
 * largest gap between the two sketched CDFs with Smirnov's asymptotic p-value. Wasserstein is the area between the
 * sketched CDFs over the reference's standard deviation. PSI and Jensen–Shannon bin both sketches on Evidently's
 * Sturges bins over the pooled range. Categorical and binary features use the category counts directly.
 */
public final class DriftDetector {
    private DriftDetector() {
    }

    /**
     * The verdict on every feature that has a reference. A feature without a window, or whose window (or reference)
     * has too few values for its test, is listed as skipped.
     *
     * @throws IllegalArgumentException if a window does not fit its reference's kind, or an override asks for a
     *                                  method the feature's kind does not allow
     */
    public static DatasetDrift detect(Map<String, ? extends FeatureReference> references,
                                      Map<String, ? extends FeatureWindow> windows, DriftSettings settings) {
        List<FeatureDrift> results = new ArrayList<>();
        Map<String, String> skipped = new TreeMap<>();
        for (String feature : new TreeSet<>(references.keySet())) {
            FeatureReference reference = references.get(feature);
            FeatureWindow window = windows.get(feature);
            DriftMethod method = settings.methodFor(feature, reference);
            double threshold = settings.thresholdFor(feature, method);
            String problem = window == null ? "no window" : tooFew(method, reference, window);
            if (problem != null) {
                skipped.put(feature, problem);
            } else {
                results.add(feature(feature, reference, window, method, threshold));
            }
        }
        long drifted = results.stream().filter(FeatureDrift::drifted).count();
        double share = results.isEmpty() ? 0 : (double) drifted / results.size();
        return new DatasetDrift(results, skipped, share, settings.driftShare(),
                !results.isEmpty() && share >= settings.driftShare());
    }

    /** The verdict on one feature with the given method and threshold. */
    public static FeatureDrift feature(String feature, FeatureReference reference, FeatureWindow window,
                                       DriftMethod method, double threshold) {
        String problem = tooFew(method, reference, window);
        if (problem != null) {
            throw new IllegalArgumentException("feature '" + feature + "': " + problem);
        }
        if (!method.accepts(reference.kind())) {
            throw new IllegalArgumentException("feature '" + feature + "' is " + reference.kind() + "; " + method
                    + " cannot test it");
        }
        if (reference instanceof NumericReference n) {
            if (!(window instanceof NumericWindow w)) {
                throw new IllegalArgumentException("feature '" + feature + "' is numeric but its window counts "
                        + "categories");
            }
            return numeric(feature, n, w, method, threshold);
        }
        CategoricalReference c = (CategoricalReference) reference;
        if (!(window instanceof CategoricalWindow w)) {
            throw new IllegalArgumentException("feature '" + feature + "' is " + c.kind() + " but its window holds "
                    + "numbers");
        }
        return categorical(feature, c, w, method, threshold);
    }

    private static FeatureDrift numeric(String feature, NumericReference reference, NumericWindow window,
                                        DriftMethod method, double threshold) {
        if (method == DriftMethod.KS) {
            TestStatistic t = ks(reference, window);
            return verdict(feature, method, t.statistic(), t.pValue(), threshold);
        }
        PiecewiseLinearCdf ref = reference.cdf();
        PiecewiseLinearCdf cur = window.cdf();
        if (method == DriftMethod.WASSERSTEIN) {
            double distance = PiecewiseLinearCdf.areaBetween(ref, cur) / Wasserstein.norm(reference.standardDeviation());
            return verdict(feature, method, distance, null, threshold);
        }
        double[] edges = Binning.sturges(Math.min(reference.min(), window.min()), Math.max(reference.max(),
                window.max()), reference.count() + window.count());
        double[] r = ref.binMasses(edges);
        double[] c = cur.binMasses(edges);
        double statistic = method == DriftMethod.PSI ? PopulationStabilityIndex.ofCounts(r, c)
                : JensenShannon.distance(r, c);
        return verdict(feature, method, statistic, null, threshold);
    }

    /** KS on sketches; see the class description. */
    static TestStatistic ks(NumericReference reference, NumericWindow window) {
        double[] values = window.values();
        if (values != null && reference.count() <= KolmogorovSmirnov.MAX_EXACT_SAMPLE) {
            return KolmogorovSmirnov.test(reference.pseudoSample(), values);
        }
        double d = PiecewiseLinearCdf.supDistance(reference.cdf(), window.cdf());
        return new TestStatistic(d, KolmogorovSmirnov.asymptoticPValue(d, reference.count(), window.count()));
    }

    private static FeatureDrift categorical(String feature, CategoricalReference reference, CategoricalWindow window,
                                            DriftMethod method, double threshold) {
        Map<String, Long> current = window.counts();
        TreeSet<String> categories = new TreeSet<>();
        reference.counts().forEach((k, v) -> {
            if (v > 0) {
                categories.add(k);
            }
        });
        categories.addAll(current.keySet());
        int k = categories.size();
        long[] r = new long[k];
        long[] c = new long[k];
        int i = 0;
        for (String category : categories) {
            r[i] = reference.counts().getOrDefault(category, 0L);
            c[i++] = current.getOrDefault(category, 0L);
        }
        if (method == DriftMethod.CHI_SQUARE) {
            TestStatistic t = ChiSquare.test(r, c);
            return verdict(feature, method, t.statistic(), t.pValue(), threshold);
        }
        if (method == DriftMethod.Z_TEST) {
            if (k > 2) {
                throw new IllegalArgumentException("feature '" + feature + "' has " + k + " categories " + categories
                        + " between reference and window; the z-test compares two. Declare it CATEGORICAL or test "
                        + "it with CHI_SQUARE");
            }
            TestStatistic t = TwoProportionZTest.test(r[0], reference.count(), c[0], window.count());
            return verdict(feature, method, t.statistic(), t.pValue(), threshold);
        }
        double[] rd = new double[k];
        double[] cd = new double[k];
        for (int j = 0; j < k; j++) {
            rd[j] = r[j];
            cd[j] = c[j];
        }
        double statistic = method == DriftMethod.PSI ? PopulationStabilityIndex.ofCounts(rd, cd)
                : JensenShannon.distance(rd, cd);
        return verdict(feature, method, statistic, null, threshold);
    }

    private static FeatureDrift verdict(String feature, DriftMethod method, double statistic, Double pValue,
                                        double threshold) {
        boolean drifted = method.isPValueTest() ? pValue < threshold : statistic >= threshold;
        return new FeatureDrift(feature, method, statistic, pValue, threshold, drifted);
    }

    /** Why the method cannot run on these sizes, or null when it can. */
    private static String tooFew(DriftMethod method, FeatureReference reference, FeatureWindow window) {
        long min = method == DriftMethod.KS ? 2 : 1;
        if (reference.count() < min) {
            return "the reference has " + reference.count() + " values; " + method + " needs at least " + min;
        }
        if (window.count() < min) {
            return "the window has " + window.count() + " values; " + method + " needs at least " + min;
        }
        return null;
    }
}
