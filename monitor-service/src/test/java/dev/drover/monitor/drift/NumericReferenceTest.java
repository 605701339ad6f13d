package dev.drover.monitor.drift;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * How a reference is read from quantiles: order statistics (probability {@code rank / (n - 1)}, what the profiler
 * records) are exact and repeat into point masses; other probabilities are points of the distribution function.
 * The statistics on such references are compared with the same statistics on the raw values ({@link
 * ScipyParityTest} pins those to SciPy).
 */
class NumericReferenceTest {
    private final SplittableRandom random = new SplittableRandom(2026);

    @Test
    void everyOrderStatisticRebuildsTheSampleExactly() {
        double[] values = new double[800];
        for (int i = 0; i < values.length; i++) {
            // a heavy tail with ties: a Cauchy value rounded to a tenth
            values[i] = Math.round(10 * Math.tan(Math.PI * (random.nextDouble() - 0.5))) / 10.0;
        }
        double[] sorted = sorted(values);

        NumericReference reference = orderStatistics(sorted, allRanks(sorted.length));

        assertThat(reference.pseudoSample()).containsExactly(sorted);
        assertThat(reference.standardDeviation()).isCloseTo(Wasserstein.populationStandardDeviation(values),
                within(1e-9 * Wasserstein.populationStandardDeviation(values)));
        double[] current = new double[600];
        for (int i = 0; i < current.length; i++) {
            current[i] = Math.round(10 * (0.3 + Math.tan(Math.PI * (random.nextDouble() - 0.5)))) / 10.0;
        }
        NumericWindow window = window(reference, current);
        TestStatistic exact = KolmogorovSmirnov.test(values, current);
        FeatureDrift ks = DriftDetector.feature("x", reference, window, DriftMethod.KS, 0.05);
        assertThat(ks.statistic()).isEqualTo(exact.statistic());
        assertThat(ks.pValue()).isEqualTo(exact.pValue());
    }

    @Test
    void tiedOrderStatisticsArePointMassesSoLargeIntegerSamplesAreExact() {
        double[] values = poisson(30_000, 4);
        double[] current = poisson(20_000, 4.2);
        double[] sorted = sorted(values);
        // only the first and last rank of each value, as the profiler records few distinct values
        List<Integer> ranks = new ArrayList<>();
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || i == sorted.length - 1 || sorted[i - 1] != sorted[i] || sorted[i + 1] != sorted[i]) {
                ranks.add(i);
            }
        }
        assertThat(ranks).hasSizeLessThan(40);

        NumericReference reference = orderStatistics(sorted, ranks.stream().mapToInt(Integer::intValue).toArray());

        for (double k = 0; k <= sorted[sorted.length - 1]; k++) {
            double share = count(sorted, k) / (double) sorted.length;
            assertThat(reference.cdf().at(k) - reference.cdf().below(k)).as("the share of %s", k)
                    .isCloseTo(share, within(1e-12));
        }
        NumericWindow window = window(reference, current);
        assertThat(window.values()).as("a large reference: the window keeps no values").isNull();
        assertThat(DriftDetector.feature("x", reference, window, DriftMethod.WASSERSTEIN, 0.1).statistic())
                .isCloseTo(Wasserstein.normed(values, current), within(1e-12));
        TestStatistic exact = KolmogorovSmirnov.test(values, current);
        TestStatistic sketched = DriftDetector.ks(reference, window);
        assertThat(sketched.statistic()).isCloseTo(exact.statistic(), within(1e-12));
        assertThat(sketched.pValue()).isCloseTo(exact.pValue(), within(Fixtures.P_VALUE_TOLERANCE * exact.pValue()));
        assertThat(DriftDetector.feature("x", reference, window, DriftMethod.PSI, 0.1).statistic())
                .isCloseTo(PopulationStabilityIndex.ofSamples(values, current), within(1e-12));
        assertThat(DriftDetector.feature("x", reference, window, DriftMethod.JENSEN_SHANNON, 0.1).statistic())
                .isCloseTo(JensenShannon.ofSamples(values, current), within(1e-12));
    }

    @Test
    void valuesLeftOutBetweenTwoRecordedOnesComeBackEvenlySpaced() {
        double[] sorted = new double[101];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i * i;
        }

        NumericReference reference = orderStatistics(sorted, new int[] {0, 50, 51, 100});

        double[] rebuilt = reference.pseudoSample();
        assertThat(rebuilt[0]).isEqualTo(0);
        assertThat(rebuilt[50]).isEqualTo(2_500);
        assertThat(rebuilt[51]).isEqualTo(2_601);
        assertThat(rebuilt[100]).isEqualTo(10_000);
        // the 49 values between 0 and 2,500 come back in the middles of 49 equal parts
        for (int i = 1; i < 50; i++) {
            assertThat(rebuilt[i]).as("rank %d", i).isCloseTo(2_500 * (i - 0.5) / 49, within(1e-9));
        }
        // nothing lies between ranks 50 and 51: the function is flat there
        assertThat(reference.cdf().at(2_550)).isEqualTo(51 / 101.0);
    }

    @Test
    void probabilitiesOffTheRanksArePointsOfTheDistributionFunction() {
        // 4 values: p = 0.5 is rank 1.5, between two values; 0 and 1 are the minimum and maximum
        NumericReference reference = NumericReference.of(4, new double[] {0, 0.5, 1}, new double[] {0, 1, 2}, null,
                null, null);

        assertThat(reference.cdf().below(0)).isZero();
        assertThat(reference.cdf().at(0)).isEqualTo(0.25);
        assertThat(reference.cdf().at(1)).isEqualTo(0.5);
        assertThat(reference.cdf().below(2)).isEqualTo(0.75);
        assertThat(reference.cdf().at(2)).isEqualTo(1);
    }

    @Test
    void histogramEdgesAddTheShareOfValuesBelowThem() {
        double[] sorted = new double[1_000];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i < 900 ? i / 900.0 : 10 + i;
        }
        // only the minimum and maximum, and a histogram with an edge at 5: 900 values below it
        NumericReference reference = NumericReference.of(sorted.length, new double[] {0, 1},
                new double[] {sorted[0], sorted[999]}, new double[] {0, 5, 1_009}, new long[] {900, 100}, null);

        assertThat(reference.cdf().at(5)).isEqualTo(0.9);
    }

    private static NumericReference orderStatistics(double[] sorted, int[] ranks) {
        double[] p = new double[ranks.length];
        double[] v = new double[ranks.length];
        for (int i = 0; i < ranks.length; i++) {
            p[i] = ranks[i] == sorted.length - 1 ? 1 : ranks[i] / (double) (sorted.length - 1);
            v[i] = sorted[ranks[i]];
        }
        return NumericReference.of(sorted.length, p, v, null, null, null);
    }

    private static int[] allRanks(int n) {
        int[] out = new int[n];
        Arrays.setAll(out, i -> i);
        return out;
    }

    private static double[] sorted(double[] values) {
        double[] out = values.clone();
        Arrays.sort(out);
        return out;
    }

    private static long count(double[] values, double v) {
        return Arrays.stream(values).filter(x -> x == v).count();
    }

    private static NumericWindow window(NumericReference reference, double[] values) {
        NumericWindow w = new NumericWindow(reference);
        w.addAll(values, 0, values.length);
        return w;
    }

    private double[] poisson(int n, double mean) {
        double[] out = new double[n];
        double limit = Math.exp(-mean);
        for (int i = 0; i < n; i++) {
            int k = 0;
            double product = random.nextDouble();
            while (product > limit) {
                k++;
                product *= random.nextDouble();
            }
            out[i] = k;
        }
        return out;
    }
}
