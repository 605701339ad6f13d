package dev.drover.monitor.drift;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The window's bins follow its reference, and a bin holding one value (once or many times) keeps it exactly. */
class NumericWindowTest {
    private final SplittableRandom random = new SplittableRandom(99);

    @Test
    void aValueFallsInTheBinWhoseEdgesEncloseIt() {
        double[] reference = new double[20_000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = cauchy();
        }
        WindowBins bins = NumericReference.ofValues(reference).windowBins();

        assertThat(bins.bins()).isBetween(2_000, 2_600);
        for (int i = 0; i < 100_000; i++) {
            double v = i % 3 == 0 ? bins.lower(random.nextInt(bins.bins())) : i % 3 == 1 ? 3 * cauchy()
                    : Math.pow(10, random.nextInt(300)) * cauchy();
            assertThat(bins.binOf(v)).as("value %s", v).isEqualTo(bySearch(bins, v));
        }
        assertThat(bins.binOf(bins.high())).isEqualTo(bins.bins());
        assertThat(bins.binOf(Math.nextDown(bins.low()))).isEqualTo(-1);
    }

    @Test
    void everyValueTheReferenceRepeatsStartsABinOfItsOwn() {
        double[] reference = new double[5_000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = random.nextInt(10);
        }
        WindowBins bins = NumericReference.ofValues(reference).windowBins();

        for (int k = 0; k < 10; k++) {
            int bin = bins.binOf(k);
            assertThat(bins.lower(bin)).isEqualTo(k);
            assertThat(bins.upper(bin)).isLessThan(k + 0.1);
        }
    }

    @Test
    void valuesAloneInTheirBinsAreKeptExactly() {
        double[] reference = new double[50_000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = cauchy();
        }
        NumericReference sketch = NumericReference.ofValues(reference);
        // a few values far apart: each alone in its bin, so the window is their exact distribution
        double[] current = {-2_000, -7.25, -0.5, 0.125, 3, 40, 900, 900};
        assertThat(Arrays.stream(current).mapToInt(sketch.windowBins()::binOf).distinct().count()).isEqualTo(7);
        NumericWindow window = new NumericWindow(sketch);
        window.addAll(current, 0, current.length);

        PiecewiseLinearCdf cdf = window.cdf();
        for (int i = 0; i < current.length - 1; i++) {
            assertThat(cdf.below(current[i])).as("below %s", current[i]).isCloseTo(i / 8.0, within(1e-12));
            assertThat(cdf.at(current[i])).as("at %s", current[i])
                    .isCloseTo(i < 6 ? (i + 1) / 8.0 : 1, within(1e-12));
        }
    }

    @Test
    void mergingKeepsEachBinsSmallestAndLargestValue() {
        double[] reference = new double[20_000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = i % 10;
        }
        // a reference of more than 10,000 values: windows keep no values, only the sketch
        NumericReference sketch = NumericReference.ofValues(reference);
        NumericWindow one = new NumericWindow(sketch);
        NumericWindow other = new NumericWindow(sketch);
        one.addAll(new double[] {4.001, 4.003}, 0, 2);
        other.addAll(new double[] {4.002, 4.004, 30}, 0, 3);

        one.merge(other);

        NumericWindow all = new NumericWindow(sketch);
        all.addAll(new double[] {4.001, 4.002, 4.003, 4.004, 30}, 0, 5);
        assertThat(one.values()).isNull();
        assertThat(one.cdf().knots()).containsExactly(all.cdf().knots())
                .contains(4.001, 4.004).doesNotContain(4.002, 4.003);
        assertThat(one.count()).isEqualTo(5);
    }

    @Test
    void extremeAndConstantReferencesStillGetIncreasingEdges() {
        for (double[] reference : new double[][] {{-1e308, 1e308}, {5, 5}, {1e300, 1e300}, {0, 1e-320}}) {
            WindowBins bins = NumericReference.of(2, new double[] {0, 1}, reference, null, null, 1.0).windowBins();
            double previous = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < bins.bins(); i++) {
                assertThat(bins.lower(i)).as(Arrays.toString(reference)).isGreaterThan(previous).isFinite();
                previous = bins.lower(i);
            }
            assertThat(bins.high()).isGreaterThan(previous);
            for (double v : reference) {
                int bin = bins.binOf(v);
                assertThat(bin).as("%s in %s", v, Arrays.toString(reference)).isEqualTo(bySearch(bins, v));
                assertThat(bin).isBetween(0, bins.bins() - 1);
            }
        }
    }

    private static int bySearch(WindowBins bins, double v) {
        if (v < bins.low()) {
            return -1;
        }
        if (v >= bins.high()) {
            return bins.bins();
        }
        int bin = 0;
        while (bin + 1 < bins.bins() && bins.lower(bin + 1) <= v) {
            bin++;
        }
        return bin;
    }

    private double cauchy() {
        return Math.tan(Math.PI * (random.nextDouble() - 0.5));
    }
}
