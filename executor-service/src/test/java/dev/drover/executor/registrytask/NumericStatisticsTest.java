package dev.drover.executor.registrytask;

import dev.drover.executor.registrytask.FeatureProfile.Quantile;
import dev.drover.executor.registrytask.NumericStatistics.Histogram;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
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
        FeatureProfile.Numeric f = NumericStatistics.of("c", new double[] {4, 4, 4}, 10, 2);

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
    void quantilesInterpolateLinearlyBetweenOrderStatistics() {
        // 1..101: with h = (n - 1) p = 100 p every quantile falls on a value, 1 + 100 p.
        double[] values = IntStream.rangeClosed(1, 101).asDoubleStream().toArray();

        List<Quantile> q = NumericStatistics.quantiles(values);
        assertThat(q).hasSize(101);
        for (int k = 0; k <= 100; k++) {
            assertThat(q.get(k).p()).isEqualTo(k / 100.0);
            assertThat(q.get(k).value()).as("percentile %d", k).isCloseTo(1 + k, within(1e-9));
        }
    }

    @Test
    void quantilesBetweenValuesAreInterpolated() {
        List<Quantile> q = NumericStatistics.quantiles(new double[] {1, 2, 3, 4, 5});

        // h = 4 p: p = 0.01 gives 1 + 0.04, p = 0.9 gives 4 + 0.6, as numpy.quantile does
        assertThat(q).extracting(Quantile::p).containsExactlyElementsOf(NumericStatistics.PROBABILITIES);
        assertThat(q).hasSize(101);
        double[] p = {0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1};
        double[] expected = {1, 1.04, 1.2, 1.4, 2, 3, 4, 4.6, 4.8, 4.96, 5};
        for (int i = 0; i < expected.length; i++) {
            Quantile at = q.get((int) Math.round(p[i] * 100));
            assertThat(at.p()).isCloseTo(p[i], within(1e-12));
            assertThat(at.value()).as("quantile %s", at.p()).isCloseTo(expected[i], within(1e-12));
        }
    }

    @Test
    void ofSortsTheValuesFirst() {
        FeatureProfile.Numeric f = NumericStatistics.of("x", new double[] {9, 1, 5, 3, 7}, 4, 0);

        assertThat(f.edges()).containsExactly(1.0, 3.0, 5.0, 7.0, 9.0);
        assertThat(f.counts()).containsExactly(1L, 1L, 1L, 2L);
        assertThat(f.quantiles().get(50)).isEqualTo(new Quantile(0.5, 5));
    }

    @Test
    void aFeatureWithoutValuesHasNoHistogramAndNoQuantiles() {
        FeatureProfile.Numeric f = NumericStatistics.of("x", new double[0], 10, 7);

        assertThat(f.edges()).isEmpty();
        assertThat(f.counts()).isEmpty();
        assertThat(f.quantiles()).isEmpty();
        assertThat(f.missing()).isEqualTo(7);
    }
}
