package dev.drover.monitor.drift;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The statistics computed on sketches (a reference of 1,001 quantiles, a window of fixed bins) stay within the
 * tolerances stated in {@code docs/drift.md} of the same statistics on the raw values.
 */
class SketchAccuracyTest {
    private static final double KS_TOLERANCE = 0.003;
    private static final double WASSERSTEIN_TOLERANCE = 0.005;
    private static final double JS_TOLERANCE = 0.02;
    /** PSI: within 0.02, or 15 % of a larger PSI (tail bins are where the reference sketch is coarsest). */
    private static final double PSI_TOLERANCE = 0.02;
    private static final double PSI_RELATIVE_TOLERANCE = 0.15;

    private final SplittableRandom random = new SplittableRandom(42);

    @Test
    void largeSamplesAgreeWithTheRawStatistics() {
        double[] reference = normal(100_000, 0, 1);
        NumericReference sketch = NumericReference.ofValues(reference);
        for (double shift : new double[] {0, 0.02, 0.1, 0.5}) {
            double[] current = normal(200_000, shift, 1 + shift);
            NumericWindow window = window(sketch, current);
            assertThat(window.values()).as("a large window keeps no values").isNull();
            compare(reference, current, sketch, window, "shift " + shift);
        }
    }

    @Test
    void skewedAndOutOfRangeWindowsAgreeWithTheRawStatistics() {
        double[] reference = exponential(50_000, 1);
        NumericReference sketch = NumericReference.ofValues(reference);
        double[] beyond = normal(30_000, 40, 3);  // far above the reference range: in the window's bins beyond it
        NumericWindow far = window(sketch, beyond);
        compareUnbinned(reference, beyond, sketch, far, "beyond the range");
        // beyond the reference's range the window's bins are wide and their middle values sit at their mean: binned
        // statistics see a few point masses, which still read as total drift
        assertThat(DriftDetector.feature("x", sketch, far, DriftMethod.PSI, 0.1).statistic()).isGreaterThan(10);
        assertThat(DriftDetector.feature("x", sketch, far, DriftMethod.JENSEN_SHANNON, 0.1).statistic())
                .isCloseTo(Math.sqrt(Math.log(2)), within(0.01));
        double[] skewed = exponential(40_000, 1.3);
        compare(reference, skewed, sketch, window(sketch, skewed), "skewed");
    }

    @Test
    void smallSamplesUseTheExactKsOnValuesRebuiltFromTheQuantiles() {
        double[] reference = normal(800, 0, 1);
        double[] current = normal(500, 0.25, 1);
        NumericReference sketch = NumericReference.ofValues(reference);
        NumericWindow window = window(sketch, current);
        assertThat(window.values()).hasSize(500);
        TestStatistic raw = KolmogorovSmirnov.test(reference, current);
        TestStatistic sketched = DriftDetector.ks(sketch, window);
        // 1,001 quantiles of 800 values rebuild each value to within a fraction of its gap to the next
        assertThat(sketched.statistic()).isCloseTo(raw.statistic(), within(2.0 / 800));
        assertThat(sketched.pValue()).isCloseTo(raw.pValue(), within(0.1 * raw.pValue() + 1e-6));
    }

    @Test
    void theRegistrysElevenQuantilesWithAHistogramStillBoundKs() {
        double[] reference = normal(100_000, 0, 1);
        double[] sorted = reference.clone();
        java.util.Arrays.sort(sorted);
        double[] probabilities = {0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0};
        double[] quantiles = new double[probabilities.length];
        for (int i = 0; i < probabilities.length; i++) {
            quantiles[i] = sorted[(int) Math.round(probabilities[i] * (sorted.length - 1))];
        }
        int bins = 100;
        double[] edges = new double[bins + 1];
        long[] counts = new long[bins];
        for (int i = 0; i <= bins; i++) {
            edges[i] = sorted[0] + (sorted[sorted.length - 1] - sorted[0]) * i / bins;
        }
        edges[bins] = sorted[sorted.length - 1];
        for (double v : sorted) {
            counts[Math.min(bins - 1, (int) ((v - edges[0]) / (edges[bins] - edges[0]) * bins))]++;
        }
        NumericReference sketch = NumericReference.of(sorted.length, probabilities, quantiles, edges, counts, null);
        double[] current = normal(100_000, 0.05, 1);
        NumericWindow window = window(sketch, current);
        double rawD = KolmogorovSmirnov.test(reference, current).statistic();
        double sketchD = DriftDetector.ks(sketch, window).statistic();
        // 100 bins over about 8.6 standard deviations hold at most ~3.5 % of the values each
        assertThat(sketchD).isCloseTo(rawD, within(0.01));
        assertThat(sketch.standardDeviation()).isCloseTo(Wasserstein.populationStandardDeviation(reference),
                within(0.01));
    }

    @Test
    void mergedWindowsEqualOneWindowOfAllValues() {
        NumericReference sketch = NumericReference.ofValues(normal(2_000, 0, 1));
        double[] values = normal(6_000, 0.3, 2);
        NumericWindow all = window(sketch, values);
        NumericWindow first = new NumericWindow(sketch);
        NumericWindow second = new NumericWindow(sketch);
        first.addAll(values, 0, 2_500);
        second.addAll(values, 2_500, values.length);
        first.merge(second);
        assertThat(first.count()).isEqualTo(all.count());
        assertThat(first.values()).containsExactly(all.values());
        assertThat(DriftDetector.feature("x", sketch, first, DriftMethod.WASSERSTEIN, 0.1))
                .isEqualTo(DriftDetector.feature("x", sketch, all, DriftMethod.WASSERSTEIN, 0.1));
    }

    private void compare(double[] reference, double[] current, NumericReference sketch, NumericWindow window,
                         String what) {
        compareUnbinned(reference, current, sketch, window, what);
        assertThat(DriftDetector.feature("x", sketch, window, DriftMethod.JENSEN_SHANNON, 0.1).statistic())
                .as(what + ": Jensen-Shannon").isCloseTo(JensenShannon.ofSamples(reference, current),
                        within(JS_TOLERANCE));
        double rawPsi = PopulationStabilityIndex.ofSamples(reference, current);
        assertThat(DriftDetector.feature("x", sketch, window, DriftMethod.PSI, 0.1).statistic())
                .as(what + ": PSI").isCloseTo(rawPsi, within(Math.max(PSI_TOLERANCE, PSI_RELATIVE_TOLERANCE * rawPsi)));
    }

    private void compareUnbinned(double[] reference, double[] current, NumericReference sketch, NumericWindow window,
                                 String what) {
        double rawKs = KolmogorovSmirnov.test(reference, current).statistic();
        assertThat(DriftDetector.ks(sketch, window).statistic()).as(what + ": KS").isCloseTo(rawKs,
                within(KS_TOLERANCE));
        assertThat(DriftDetector.feature("x", sketch, window, DriftMethod.WASSERSTEIN, 0.1).statistic())
                .as(what + ": Wasserstein").isCloseTo(Wasserstein.normed(reference, current),
                        within(WASSERSTEIN_TOLERANCE * Math.max(1, Wasserstein.normed(reference, current))));
    }

    private static NumericWindow window(NumericReference reference, double[] values) {
        NumericWindow w = new NumericWindow(reference);
        w.addAll(values, 0, values.length);
        return w;
    }

    private double[] normal(int n, double mean, double sd) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = mean + sd * gaussian();
        }
        return out;
    }

    private double[] exponential(int n, double scale) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = -scale * Math.log(1 - random.nextDouble());
        }
        return out;
    }

    private double gaussian() {
        // Box-Muller keeps the test independent of the JDK's RandomGenerator defaults
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
