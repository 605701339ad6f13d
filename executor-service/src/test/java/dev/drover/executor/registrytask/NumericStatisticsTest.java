package dev.drover.executor.registrytask;

import dev.drover.executor.registrytask.FeatureProfile.Quantile;
import dev.drover.executor.registrytask.NumericStatistics.Histogram;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NumericStatisticsTest {

    @Test
    void equalWidthBinsFromMinToMaxWithTheLastBinClosed() {
        double[] zeroToTen = IntStream.rangeClosed(0, 10).asDoubleStream().toArray();

        Histogram h = NumericStatistics.histogram(zeroToTen, 5);

        assertThat(h.edges()).containsExactly(0.0, 2.0, 4.0, 6.0, 8.0, 10.0);
        // [0,2) holds 0 and 1; [8,10] holds 8, 9 and 10
        assertThat(h.counts()).containsExactly(2L, 2L, 2L, 2L, 3L);
    }

    @Test
    void aValueOnAnInnerEdgeCountsInTheBinItStarts() {
        Histogram h = NumericStatistics.histogram(new double[] {-1, 0, 0, 0.5, 1}, 2);

        assertThat(h.edges()).containsExactly(-1.0, 0.0, 1.0);
        assertThat(h.counts()).containsExactly(1L, 4L);
    }

    @Test
    void oneBinHoldsEverything() {
        Histogram h = NumericStatistics.histogram(new double[] {2.5, 3, 7.25}, 1);

        assertThat(h.edges()).containsExactly(2.5, 7.25);
        assertThat(h.counts()).containsExactly(3L);
    }

    @Test
    void aConstantColumnHasOneBinOfWidthOneAroundItsValue() {
        FeatureProfile.Numeric f = NumericStatistics.of("c", new double[] {4, 4, 4}, 10, 1_001, 2);

        assertThat(f.edges()).containsExactly(3.5, 4.5);
        assertThat(f.counts()).containsExactly(3L);
        assertThat(f.quantiles()).extracting(Quantile::value).containsOnly(4.0);
        assertThat(f.missing()).isEqualTo(2);
    }

    @Test
    void aHugeConstantStillGetsABinOfNonZeroWidth() {
        Histogram h = NumericStatistics.histogram(new double[] {1e300, 1e300}, 10);

        assertThat(h.edges()).containsExactly(Math.nextDown(1e300), Math.nextUp(1e300));
        assertThat(h.counts()).containsExactly(2L);
    }

    @Test
    void aRangeOfAFewUlpsMergesBinsSoEdgesStillStrictlyIncrease() {
        double a = 1.0;
        double b = Math.nextUp(Math.nextUp(1.0));

        Histogram h = NumericStatistics.histogram(new double[] {a, a, b}, 10);

        assertThat(h.edges()).isSorted().doesNotHaveDuplicates().startsWith(a).endsWith(b);
        assertThat(h.counts()).hasSize(h.edges().size() - 1);
        assertThat(h.counts().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
        assertThat(h.counts().get(0)).isEqualTo(2);
    }

    @Test
    void valuesSpanningMoreThanTheLargestDoubleDoNotOverflow() {
        Histogram h = NumericStatistics.histogram(new double[] {-1e308, 1e308}, 2);

        assertThat(h.edges()).containsExactly(-1e308, 0.0, 1e308);
        assertThat(h.counts()).containsExactly(1L, 1L);
    }

    @Test
    void fewValuesAreAllRecordedEachAtItsRankOverNMinusOne() {
        List<Quantile> q = NumericStatistics.quantiles(new double[] {1, 2, 2, 4, 5}, 1_001);

        assertThat(q).containsExactly(new Quantile(0, 1), new Quantile(0.25, 2), new Quantile(0.5, 2),
                new Quantile(0.75, 4), new Quantile(1, 5));
    }

    @Test
    void aSingleValueIsRecordedAsBothTheMinimumAndTheMaximum() {
        assertThat(NumericStatistics.quantiles(new double[] {3.5}, 1_001))
                .containsExactly(new Quantile(0, 3.5), new Quantile(1, 3.5));
    }

    @Test
    void everyRecordedQuantileIsTheR7QuantileAtItsProbability() {
        double[] values = heavyTailed(20_000, 3);
        java.util.Arrays.sort(values);
        Percentile r7 = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        r7.setData(values);

        List<Quantile> q = NumericStatistics.quantiles(values, 1_001);

        assertThat(q).hasSizeLessThanOrEqualTo(1_001);
        assertThat(q.get(0)).isEqualTo(new Quantile(0, values[0]));
        assertThat(q.get(q.size() - 1)).isEqualTo(new Quantile(1, values[values.length - 1]));
        for (Quantile at : q.subList(1, q.size())) {
            assertThat(at.value()).as("quantile at %s", at.p())
                    .isCloseTo(r7.evaluate(at.p() * 100), within(1e-9 * Math.max(1, Math.abs(at.value()))));
        }
    }

    @Test
    void noStretchBetweenRecordedRanksHoldsMoreThanTwoShares() {
        double[] values = heavyTailed(50_000, 5);
        java.util.Arrays.sort(values);

        int[] ranks = NumericStatistics.ranks(values, 1_001);

        assertThat(ranks.length).isLessThanOrEqualTo(1_001);
        assertThat(ranks[0]).isZero();
        assertThat(ranks[ranks.length - 1]).isEqualTo(values.length - 1);
        int longest = (int) Math.ceil(2.0 * (values.length - 1) / 1_000);
        for (int i = 1; i < ranks.length; i++) {
            assertThat(ranks[i] - ranks[i - 1]).as("ranks %d to %d", ranks[i - 1], ranks[i])
                    .isBetween(1, longest);
        }
        // the budget is used: stretches of at most two shares alone would need only half of it
        assertThat(ranks.length).isGreaterThan(900);
    }

    @Test
    void theExtremeValuesOfAHeavyTailAreRecordedOneByOne() {
        double[] values = heavyTailed(50_000, 2);
        java.util.Arrays.sort(values);

        Set<Integer> recorded = new HashSet<>();
        for (int rank : NumericStatistics.ranks(values, 1_001)) {
            recorded.add(rank);
        }

        for (int k = 0; k < 10; k++) {
            assertThat(recorded).as("the %d-th smallest and largest values", k).contains(k, values.length - 1 - k);
        }
    }

    @Test
    void everyRunOfTiesIsRecordedAtBothEndsWhenTheBudgetAllows() {
        // 30,000 small integers, 13 distinct values: each one's first and last rank is recorded
        SplittableRandom random = new SplittableRandom(11);
        double[] values = new double[30_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.min(12, (int) (-3 * Math.log(1 - random.nextDouble())));
        }
        java.util.Arrays.sort(values);

        Set<Integer> recorded = new HashSet<>();
        for (int rank : NumericStatistics.ranks(values, 101)) {
            recorded.add(rank);
        }

        for (int i = 0; i < values.length; i++) {
            boolean first = i == 0 || values[i - 1] != values[i];
            boolean last = i == values.length - 1 || values[i + 1] != values[i];
            if (first || last) {
                assertThat(recorded).as("rank %d, an end of the run of %s", i, values[i]).contains(i);
            }
        }
        assertThat(recorded).hasSizeLessThanOrEqualTo(2 * 13);
    }

    @Test
    void aBudgetOfTwoKeepsTheMinimumAndTheMaximum() {
        assertThat(NumericStatistics.quantiles(new double[] {1, 2, 3, 4}, 2))
                .containsExactly(new Quantile(0, 1), new Quantile(1, 4));
        assertThatThrownBy(() -> NumericStatistics.ranks(new double[] {1, 2, 3}, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valuesSpanningMoreThanTheLargestDoubleStillGetOrderStatistics() {
        double[] values = new double[5_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i - 2_500) * 1e304;
        }

        int[] ranks = NumericStatistics.ranks(values, 101);

        assertThat(ranks).hasSizeLessThanOrEqualTo(101).startsWith(0).endsWith(values.length - 1);
    }

    /** Student-t-like values with {@code df} degrees of freedom: a normal over the root of a scaled chi-square. */
    private static double[] heavyTailed(int n, int df) {
        SplittableRandom random = new SplittableRandom(df * 31L);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double chi = 0;
            for (int k = 0; k < df; k++) {
                double z = gaussian(random);
                chi += z * z;
            }
            out[i] = gaussian(random) / Math.sqrt(chi / df);
        }
        return out;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Test
    void ofSortsTheValuesFirst() {
        FeatureProfile.Numeric f = NumericStatistics.of("x", new double[] {9, 1, 5, 3, 7}, 4, 1_001, 0);

        assertThat(f.edges()).containsExactly(1.0, 3.0, 5.0, 7.0, 9.0);
        assertThat(f.counts()).containsExactly(1L, 1L, 1L, 2L);
        assertThat(f.quantiles().get(2)).isEqualTo(new Quantile(0.5, 5));
    }

    @Test
    void aFeatureWithoutValuesHasNoHistogramAndNoQuantiles() {
        FeatureProfile.Numeric f = NumericStatistics.of("x", new double[0], 10, 1_001, 7);

        assertThat(f.edges()).isEmpty();
        assertThat(f.counts()).isEmpty();
        assertThat(f.quantiles()).isEmpty();
        assertThat(f.missing()).isEqualTo(7);
    }
}
