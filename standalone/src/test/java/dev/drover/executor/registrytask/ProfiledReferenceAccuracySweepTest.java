package dev.drover.executor.registrytask;

import dev.drover.monitor.drift.DriftDetector;
import dev.drover.monitor.drift.DriftMethod;
import dev.drover.monitor.drift.FeatureDrift;
import dev.drover.monitor.drift.JensenShannon;
import dev.drover.monitor.drift.KolmogorovSmirnov;
import dev.drover.monitor.drift.NumericReference;
import dev.drover.monitor.drift.NumericWindow;
import dev.drover.monitor.drift.PopulationStabilityIndex;
import dev.drover.monitor.drift.TestStatistic;
import dev.drover.monitor.drift.Wasserstein;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wider measurement behind the bounds of docs/drift.md ("Accuracy of profiled references"): random references
 * and windows of eight kinds (Student-t with 2 and 3 degrees of freedom, Cauchy, normal, log-normal, Poisson, integers
 * from 0 to 599 and from 0 to 2,999), seven size pairs from 60/80 to 200,000/20,000 values, undrifted, shifted by
 * 0.03, 0.3 and 1 and scaled by 1.5, each profiled by the executor's profiler and tested by the monitor, against the
 * same statistics on the raw values (the monitor's exact implementations, which {@code ScipyParityTest} pins to
 * SciPy). It asserts the documented bounds and writes the worst errors per kind and size to
 * {@code target/profiled-reference-sweep-<quantiles>.txt}.
 *
 * <p>Every build runs {@value #DEFAULT_SEEDS} seeds per kind and size; the measurement behind the documented bounds
 * ran 40, which takes a few minutes: {@code ./mvnw -B -ntp -o test -pl standalone -am
 * -Dtest=ProfiledReferenceAccuracySweepTest -Dsurefire.failIfNoSpecifiedTests=false
 * -DargLine="-Ddrover.sweep.seeds=40 -Ddrover.sweep.quantiles=1001"} (quantiles 140: a hundred numeric features).
 */
class ProfiledReferenceAccuracySweepTest {
    /** Seeds per kind and size in an ordinary build: enough to catch a broken bound, quick enough for CI. */
    static final int DEFAULT_SEEDS = 2;
    private static final String[] KINDS = {"student-t 2", "student-t 3", "cauchy", "normal", "log-normal", "poisson 4",
            "integers 0-599", "integers 0-2999"};
    private static final int[][] SIZES = {{60, 80}, {1_000, 800}, {1_500, 1_000}, {5_000, 3_000}, {20_000, 20_000},
            {50_000, 15_000}, {200_000, 20_000}};

    @Test
    void profiledStatisticsStayWithinTheDocumentedBoundsOnRandomData() throws Exception {
        int seeds = Integer.getInteger("drover.sweep.seeds", DEFAULT_SEEDS);
        int quantiles = Integer.getInteger("drover.sweep.quantiles", NumericStatistics.MAX_QUANTILES);
        List<String> rows = new ArrayList<>();
        rows.add(String.format("%-16s %7s %6s | %6s %9s %9s | %8s | %7s %7s | %6s %8s %8s | %8s", "kind", "n", "m",
                "W/bnd", "W rel", "W abs", "KS D", "p abs", "p≈.05", "PSI/bd", "PSI<.25", "PSI rel", "JS abs"));
        Errors overall = new Errors();
        for (String kind : KINDS) {
            for (int[] size : SIZES) {
                Errors worst = new Errors();
                for (int seed = 0; seed < seeds; seed++) {
                    SplittableRandom random = new SplittableRandom(seed * 1_000L + size[0] + kind.hashCode());
                    double shift = new double[] {0, 0.03, 0.3, 1.0}[seed % 4];
                    double scale = seed % 5 == 4 ? 1.5 : 1;
                    double[] reference = draw(kind, random, size[0], 0, 1);
                    double[] current = draw(kind, random, size[1], shift, scale);
                    worst.add(compare(reference, current, quantiles, bounds(kind, quantiles)));
                }
                overall.add(worst);
                rows.add(String.format(
                        "%-16s %7d %6d | %6.2f %9.5f %9.6f | %8.6f | %7.4f %7.4f | %6.2f %8.5f %8.5f | %8.5f", kind,
                        size[0], size[1], worst.wassersteinOverBound, worst.wassersteinRelative, worst.wasserstein,
                        worst.ksStatistic, worst.pValue, worst.pValueNearThreshold, worst.psiOverBound,
                        worst.psiSmall, worst.psiRelative, worst.jensenShannon));
            }
        }
        Path out = Path.of("target", "profiled-reference-sweep-" + quantiles + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.join("\n", rows) + "\n");

        assertThat(overall.wassersteinOverBound).as("Wasserstein error over its bound").isLessThanOrEqualTo(1);
        assertThat(overall.ksOverBound).as("KS D over its bound").isLessThanOrEqualTo(1);
        assertThat(overall.pValueOverBound).as("KS p-value over its bound").isLessThanOrEqualTo(1);
        assertThat(overall.psiOverBound).as("PSI error over its bound").isLessThanOrEqualTo(1);
        assertThat(overall.jensenShannonOverBound).as("Jensen-Shannon over its bound").isLessThanOrEqualTo(1);
    }

    /** The documented bounds for a kind of data and a number of quantiles per feature. */
    private static ProfiledReferenceAccuracyTest.Bounds bounds(String kind, int quantiles) {
        if (quantiles < NumericStatistics.MAX_QUANTILES) {
            return ProfiledReferenceAccuracyTest.HUNDRED_FEATURES;
        }
        return kind.startsWith("integers") ? ProfiledReferenceAccuracyTest.FULL_MANY_INTEGERS
                : ProfiledReferenceAccuracyTest.FULL;
    }

    /** The absolute and relative errors of one reference and window, and how they compare with the bounds. */
    private static Errors compare(double[] reference, double[] current, int quantiles,
                                  ProfiledReferenceAccuracyTest.Bounds bounds) {
        NumericReference sketch = ProfiledReferenceAccuracyTest.profile(reference, quantiles);
        NumericWindow window = new NumericWindow(sketch);
        window.addAll(current, 0, current.length);
        Errors e = new Errors();
        double w = Wasserstein.normed(reference, current);
        double sw = DriftDetector.feature("x", sketch, window, DriftMethod.WASSERSTEIN, 0.1).statistic();
        e.wasserstein = Math.abs(sw - w);
        e.wassersteinRelative = e.wasserstein / w;
        e.wassersteinOverBound = e.wasserstein / bounds.wasserstein(w);
        TestStatistic ks = KolmogorovSmirnov.test(reference, current);
        FeatureDrift sks = DriftDetector.feature("x", sketch, window, DriftMethod.KS, 0.05);
        e.ksStatistic = Math.abs(sks.statistic() - ks.statistic());
        e.ksOverBound = e.ksStatistic / bounds.ksStatistic();
        e.pValue = Math.abs(sks.pValue() - ks.pValue());
        e.pValueOverBound = e.pValue / bounds.pValue();
        e.pValueNearThreshold = ks.pValue() >= 0.01 && ks.pValue() <= 0.1 ? e.pValue : 0;
        double psi = PopulationStabilityIndex.ofSamples(reference, current);
        e.psi = Math.abs(DriftDetector.feature("x", sketch, window, DriftMethod.PSI, 0.1).statistic() - psi);
        e.psiSmall = psi <= 0.25 ? e.psi : 0;
        e.psiRelative = psi > 0.25 ? e.psi / psi : 0;
        e.psiOverBound = e.psi / bounds.psi(psi);
        e.jensenShannon = Math.abs(DriftDetector.feature("x", sketch, window, DriftMethod.JENSEN_SHANNON, 0.1)
                .statistic() - JensenShannon.ofSamples(reference, current));
        e.jensenShannonOverBound = e.jensenShannon / bounds.jensenShannon();
        return e;
    }

    /** The worst of each error. */
    private static final class Errors {
        double wasserstein;
        double wassersteinRelative;
        double wassersteinOverBound;
        double ksStatistic;
        double ksOverBound;
        double pValue;
        double pValueOverBound;
        double pValueNearThreshold;
        double psi;
        double psiSmall;
        double psiRelative;
        double psiOverBound;
        double jensenShannon;
        double jensenShannonOverBound;

        void add(Errors o) {
            wasserstein = Math.max(wasserstein, o.wasserstein);
            wassersteinRelative = Math.max(wassersteinRelative, o.wassersteinRelative);
            wassersteinOverBound = Math.max(wassersteinOverBound, o.wassersteinOverBound);
            ksStatistic = Math.max(ksStatistic, o.ksStatistic);
            ksOverBound = Math.max(ksOverBound, o.ksOverBound);
            pValue = Math.max(pValue, o.pValue);
            pValueOverBound = Math.max(pValueOverBound, o.pValueOverBound);
            pValueNearThreshold = Math.max(pValueNearThreshold, o.pValueNearThreshold);
            psi = Math.max(psi, o.psi);
            psiSmall = Math.max(psiSmall, o.psiSmall);
            psiRelative = Math.max(psiRelative, o.psiRelative);
            psiOverBound = Math.max(psiOverBound, o.psiOverBound);
            jensenShannon = Math.max(jensenShannon, o.jensenShannon);
            jensenShannonOverBound = Math.max(jensenShannonOverBound, o.jensenShannonOverBound);
        }
    }

    /** {@code n} values of a kind, shifted and scaled (continuous kinds rounded to 5 decimals, as data is written). */
    private static double[] draw(String kind, SplittableRandom random, int n, double shift, double scale) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (kind) {
                case "student-t 2" -> written((studentT(random, 2) + shift) * scale);
                case "student-t 3" -> written((studentT(random, 3) + shift) * scale);
                case "cauchy" -> written((Math.tan(Math.PI * (random.nextDouble() - 0.5)) + shift) * scale);
                case "normal" -> written((gaussian(random) + shift) * scale);
                case "log-normal" -> written((Math.exp(1.5 * gaussian(random)) + shift) * scale);
                case "poisson 4" -> Math.round(poisson(random, 4 + 3 * shift) * scale);
                case "integers 0-599" -> Math.round((random.nextInt(600) + 600 * shift) * scale);
                case "integers 0-2999" -> Math.round((random.nextInt(3_000) + 3_000 * shift) * scale);
                default -> throw new IllegalArgumentException(kind);
            };
        }
        return out;
    }

    private static double written(double v) {
        return Math.round(v * 1e5) / 1e5;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static double studentT(SplittableRandom random, int df) {
        double chi = 0;
        for (int i = 0; i < df; i++) {
            double z = gaussian(random);
            chi += z * z;
        }
        return gaussian(random) / Math.sqrt(chi / df);
    }

    private static int poisson(SplittableRandom random, double mean) {
        double limit = Math.exp(-mean);
        int k = 0;
        double product = random.nextDouble();
        while (product > limit) {
            k++;
            product *= random.nextDouble();
        }
        return k;
    }
}
