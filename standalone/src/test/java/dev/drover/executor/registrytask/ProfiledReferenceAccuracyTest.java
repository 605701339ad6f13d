package dev.drover.executor.registrytask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.drover.monitor.drift.DriftDetector;
import dev.drover.monitor.drift.DriftMethod;
import dev.drover.monitor.drift.DriftSettings;
import dev.drover.monitor.drift.FeatureDrift;
import dev.drover.monitor.drift.FeatureKind;
import dev.drover.monitor.drift.KolmogorovSmirnov;
import dev.drover.monitor.drift.NumericReference;
import dev.drover.monitor.drift.NumericWindow;
import dev.drover.monitor.drift.TestStatistic;
import dev.drover.monitor.window.RegistryStatistics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue #13, part 6: the monitor's drift statistics on a reference profiled by {@code profile_feature_set} match
 * SciPy's on the raw values, within the bounds docs/drift.md states ("Accuracy of profiled references").
 *
 * <p>Each case of {@code monitor-service/src/test/resources/drift-fixtures/profiled_accuracy.json.gz} (written by
 * {@code monitor-service/src/test/python/generate_drift_fixtures.py}: heavy tails, tied integers, small and large
 * samples, with SciPy's {@code ks_2samp}, {@code wasserstein_distance} and Evidently's PSI and Jensen–Shannon) takes
 * the path production takes: its reference sample, written as a CSV file, is profiled by the executor's
 * {@link CsvProfiler}; the registry request {@link ProfileFeatureSetTask} would send is read back by the monitor
 * ({@link RegistryStatistics}, what it does with the registry's answer); the current sample fills a
 * {@link NumericWindow}; {@link DriftDetector} computes every statistic. The test lives in the standalone module,
 * where both services are on the class path, in the profiler's package, which it calls directly.
 */
class ProfiledReferenceAccuracyTest {
    /** The bounds with 1,001 quantiles per feature (up to 13 numeric features in a feature set). */
    static final Bounds FULL = new Bounds(0.005, 0.0003, 0.002, 0.15, 0.005, 0.02, 0.001);
    /**
     * The same for integer columns with more distinct values than half the quantiles: the profile cannot end every
     * run of ties, so some are spread between their neighbours.
     */
    static final Bounds FULL_MANY_INTEGERS = new Bounds(0.005, 0.0015, 0.003, 0.2, 0.005, 0.05, 0.003);
    /** The looser bounds with 140 quantiles per feature (a hundred numeric features share the registry write). */
    static final Bounds HUNDRED_FEATURES = new Bounds(0.05, 0.006, 0.008, 0.4, 0.015, 0.4, 0.008);

    private static final double EXACT = 1e-9;
    private static final double EXACT_P_VALUE = 1e-6;

    /**
     * Documented error bounds, sketch versus exact. Wasserstein (normed): the larger of a relative and an absolute
     * error. KS statistic, its p-value, Jensen–Shannon: absolute. PSI: absolute while the exact PSI is at most 0.25
     * (around the 0.1 threshold), relative above (strong drift, where a tail bin's tiny share weighs most).
     */
    record Bounds(double wassersteinRelative, double wassersteinAbsolute, double ksStatistic, double pValue,
                  double psiNear, double psiFarRelative, double jensenShannon) {
        double wasserstein(double exact) {
            return Math.max(wassersteinRelative * exact, wassersteinAbsolute);
        }

        double psi(double exact) {
            return exact <= 0.25 ? psiNear : Math.max(psiNear, psiFarRelative * exact);
        }
    }

    @Test
    void profiledReferencesMatchScipyWithinTheDocumentedBounds() throws Exception {
        Map<String, double[]> worst = new TreeMap<>();
        for (JsonNode c : cases()) {
            String name = c.get("name").asText();
            double[] current = sample(c.get("current"));
            NumericReference reference = profileCsv(csv(c.get("reference")), CsvProfiler.QUANTILE_BUDGET, name);
            Measured m = measure(reference, current);
            boolean exact = exactlyRepresented(c);

            check(name, m, c, exact ? null : c.get("kind").asText().equals("many distinct integers")
                    ? FULL_MANY_INTEGERS : FULL);
            worst.merge(exact ? "exact: " + c.get("kind").asText() : c.get("kind").asText(), m.errors(c),
                    ProfiledReferenceAccuracyTest::max);
        }
        report("profiled-reference-accuracy-1001.txt", worst);
    }

    @Test
    void aHundredFeaturesSharingTheRegistryWriteStayWithinTheLooserBounds() throws Exception {
        Map<String, double[]> worst = new TreeMap<>();
        for (JsonNode c : cases()) {
            String name = c.get("name").asText();
            if (c.get("reference").get("deltas").size() <= 140) {
                continue;  // all values fit in 140 quantiles: exact, as above
            }
            // what each numeric feature gets when a hundred share the budget
            int budget = CsvProfiler.quantilesPerFeature(CsvProfiler.QUANTILE_BUDGET, 100);
            NumericReference reference = profileCsv(csv(c.get("reference")), budget, name);
            Measured m = measure(reference, sample(c.get("current")));

            check(name + " (140 quantiles)", m, c, c.get("kind").asText().equals("tied integers") ? null
                    : HUNDRED_FEATURES);
            worst.merge(c.get("kind").asText(), m.errors(c), ProfiledReferenceAccuracyTest::max);
        }
        report("profiled-reference-accuracy-140.txt", worst);
    }

    @Test
    void defaultVerdictsAreTheExactOnes() throws Exception {
        for (JsonNode c : cases()) {
            String name = c.get("name").asText();
            NumericReference reference = profileCsv(csv(c.get("reference")), CsvProfiler.QUANTILE_BUDGET, name);
            NumericWindow window = window(reference, sample(c.get("current")));
            DriftMethod method = DriftMethod.defaultFor(FeatureKind.NUMERIC, reference.count());
            DriftSettings defaults = DriftSettings.defaults();

            FeatureDrift drift = DriftDetector.feature("x", reference, window, method,
                    defaults.thresholdFor("x", method));

            // Evidently's defaults: KS below 1,001 reference values, Wasserstein (normed) from there on
            boolean exact = method == DriftMethod.KS ? c.get("ksPValue").asDouble() < 0.05
                    : c.get("wassersteinNormed").asDouble() >= 0.1;
            assertThat(drift.drifted()).as("%s: %s %s", name, method, drift.statistic()).isEqualTo(exact);
        }
    }

    /** Reference statistics from a CSV file, as the executor sends them and the monitor reads them back. */
    static NumericReference profileCsv(String csv, int quantileBudget, String source) throws TaskFailure {
        DatasetProfile profile = CsvProfiler.profile(new StringReader(csv), new CsvProfiler.Spec(List.of(), Set.of(),
                ProfileFeatureSetTask.DEFAULT_BINS, quantileBudget), source);
        return readBack(profile);
    }

    /** The same for values in memory (the profiler's numeric path without the CSV parsing). */
    static NumericReference profile(double[] values, int quantiles) {
        return readBack(new DatasetProfile(values.length, List.of(NumericStatistics.of("x", values.clone(),
                ProfileFeatureSetTask.DEFAULT_BINS, quantiles, 0))));
    }

    private static NumericReference readBack(DatasetProfile profile) {
        JsonNode statistics = ProfileFeatureSetTask.request("fixture", "fixture.csv", null, profile).body()
                .path("statistics");
        return (NumericReference) RegistryStatistics.reference(FeatureKind.NUMERIC,
                statistics.path("features").path("x"), statistics.path("rowCount").asLong());
    }

    /**
     * Whether the profile holds the reference exactly and the window keeps its values or bins them exactly: at most
     * 1,001 reference values (all recorded) and a window small enough to keep its values, or tied integers (the ends
     * of every run recorded; every value the reference holds starts a window bin).
     */
    private static boolean exactlyRepresented(JsonNode c) {
        int n = c.get("reference").get("deltas").size();
        int m = c.get("current").get("deltas").size();
        return c.get("kind").asText().equals("tied integers") || (n <= NumericStatistics.MAX_QUANTILES
                && m <= KolmogorovSmirnov.MAX_EXACT_SAMPLE);
    }

    private static void check(String name, Measured m, JsonNode c, Bounds bounds) {
        double w = c.get("wassersteinNormed").asDouble();
        double d = c.get("ksStatistic").asDouble();
        double p = c.get("ksPValue").asDouble();
        double psi = c.get("psi").asDouble();
        double js = c.get("jensenShannon").asDouble();
        if (bounds == null) {
            assertThat(m.wasserstein).as("%s: Wasserstein", name).isCloseTo(w, within(EXACT * w));
            assertThat(m.ks.statistic()).as("%s: KS D", name).isCloseTo(d, within(EXACT * d));
            assertThat(m.ks.pValue()).as("%s: KS p-value", name).isCloseTo(p, within(EXACT_P_VALUE * p));
            assertThat(m.psi).as("%s: PSI", name).isCloseTo(psi, within(EXACT * psi));
            assertThat(m.jensenShannon).as("%s: Jensen-Shannon", name).isCloseTo(js, within(EXACT * js));
            return;
        }
        assertThat(m.wasserstein).as("%s: Wasserstein", name).isCloseTo(w, within(bounds.wasserstein(w)));
        assertThat(m.ks.statistic()).as("%s: KS D", name).isCloseTo(d, within(bounds.ksStatistic()));
        assertThat(m.ks.pValue()).as("%s: KS p-value", name).isCloseTo(p, within(bounds.pValue()));
        assertThat(m.psi).as("%s: PSI", name).isCloseTo(psi, within(bounds.psi(psi)));
        assertThat(m.jensenShannon).as("%s: Jensen-Shannon", name).isCloseTo(js, within(bounds.jensenShannon()));
    }

    private static org.assertj.core.data.Offset<Double> within(double tolerance) {
        return org.assertj.core.data.Offset.offset(tolerance);
    }

    /** The monitor's statistics for one reference and window. */
    private record Measured(double wasserstein, TestStatistic ks, double psi, double jensenShannon,
                            double standardDeviation) {
        /** Relative errors (Wasserstein, standard deviation), absolute ones (KS D and p, PSI, Jensen–Shannon). */
        double[] errors(JsonNode c) {
            double w = c.get("wassersteinNormed").asDouble();
            double sd = c.get("referenceStd").asDouble();
            return new double[] {
                    Math.abs(wasserstein - w) / w,
                    Math.abs(standardDeviation - sd) / sd,
                    Math.abs(ks.statistic() - c.get("ksStatistic").asDouble()),
                    Math.abs(ks.pValue() - c.get("ksPValue").asDouble()),
                    Math.abs(psi - c.get("psi").asDouble()),
                    Math.abs(jensenShannon - c.get("jensenShannon").asDouble())};
        }
    }

    private static Measured measure(NumericReference reference, double[] current) {
        NumericWindow window = window(reference, current);
        FeatureDrift ks = DriftDetector.feature("x", reference, window, DriftMethod.KS, 0.05);
        return new Measured(
                DriftDetector.feature("x", reference, window, DriftMethod.WASSERSTEIN, 0.1).statistic(),
                new TestStatistic(ks.statistic(), ks.pValue()),
                DriftDetector.feature("x", reference, window, DriftMethod.PSI, 0.1).statistic(),
                DriftDetector.feature("x", reference, window, DriftMethod.JENSEN_SHANNON, 0.1).statistic(),
                reference.standardDeviation());
    }

    private static NumericWindow window(NumericReference reference, double[] values) {
        NumericWindow w = new NumericWindow(reference);
        w.addAll(values, 0, values.length);
        return w;
    }

    private static double[] max(double[] a, double[] b) {
        double[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(a[i], b[i]);
        }
        return out;
    }

    /** The worst errors per kind of sample, for docs/drift.md. */
    private static void report(String file, Map<String, double[]> worst) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-28s %12s %12s %10s %10s %10s %10s", "kind", "W relative", "std relative",
                "KS D", "KS p", "PSI", "JS"));
        worst.forEach((kind, e) -> lines.add(String.format("%-28s %12.6f %12.2e %10.6f %10.5f %10.6f %10.6f", kind,
                e[0], e[1], e[2], e[3], e[4], e[5])));
        Path out = Path.of("target", file);
        Files.createDirectories(out.getParent());
        Files.writeString(out, String.join("\n", lines) + "\n");
    }

    private static List<JsonNode> cases() throws IOException {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        Path fixture = module.getParent().resolve(
                "monitor-service/src/test/resources/drift-fixtures/profiled_accuracy.json.gz");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(fixture))) {
            List<JsonNode> out = new ArrayList<>();
            new JsonMapper().readTree(in).get("cases").forEach(out::add);
            assertThat(out).as("cases in " + fixture).hasSizeGreaterThan(10);
            return out;
        }
    }

    /** A stored sample (sorted fixed-point integers, see the generator): the same doubles NumPy had. */
    private static double[] sample(JsonNode stored) {
        double scale = Math.pow(10, stored.get("decimals").asInt());
        JsonNode deltas = stored.get("deltas");
        double[] out = new double[deltas.size()];
        long sum = 0;
        for (int i = 0; i < out.length; i++) {
            sum += deltas.get(i).asLong();
            out[i] = sum / scale;
        }
        return out;
    }

    /**
     * The sample as a one-column CSV file, each value written with the sample's decimals, as a data file has it
     * (parsing such a decimal gives the nearest double, the same that NumPy's division gave).
     */
    private static String csv(JsonNode stored) {
        int decimals = stored.get("decimals").asInt();
        StringBuilder out = new StringBuilder("x\n");
        long sum = 0;
        for (JsonNode delta : stored.get("deltas")) {
            sum += delta.asLong();
            out.append(BigDecimal.valueOf(sum, decimals).toPlainString()).append('\n');
        }
        return out.toString();
    }
}
