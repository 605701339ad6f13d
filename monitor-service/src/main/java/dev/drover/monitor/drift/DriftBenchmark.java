package dev.drover.monitor.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The {@code drift_1m_x_100_s} benchmark: every default test on {@code rows} rows of {@code features} numeric
 * features against a reference of {@code referenceRows} rows, timed from the first row into the window sketches to
 * the dataset verdict. The reference sketches (1,001 interpolated quantiles each, as many as the registry holds) are
 * built before the clock starts; so is the pool of random values the rows are drawn from, so that the clock measures
 * the monitor and not the random number generator. Features are sketched in parallel, one task per feature.
 *
 * <p>Run: {@code java -cp <monitor classpath> dev.drover.monitor.drift.DriftBenchmark 1000000 100 100000}.
 */
public final class DriftBenchmark {
    private static final int POOL = 1 << 20;

    private DriftBenchmark() {
    }

    /** Runs the benchmark once and returns the elapsed seconds. */
    public static double run(int rows, int features, int referenceRows) {
        SplittableRandom random = new SplittableRandom(2024);
        double[] pool = new double[POOL];
        for (int i = 0; i < POOL; i++) {
            double u = 1 - random.nextDouble();
            pool[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
        }
        Map<String, FeatureReference> references = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (int f = 0; f < features; f++) {
            double[] reference = new double[referenceRows];
            for (int i = 0; i < referenceRows; i++) {
                reference[i] = f + pool[(int) ((i * 40_503L + f * 7_919L) & (POOL - 1))];
            }
            String name = "f" + f;
            names.add(name);
            references.put(name, NumericReference.ofValues(reference));
        }

        long start = System.nanoTime();
        NumericWindow[] windows = new NumericWindow[features];
        IntStream.range(0, features).parallel().forEach(f -> {
            NumericWindow w = new NumericWindow((NumericReference) references.get(names.get(f)));
            // every third feature drifts by a tenth of a standard deviation
            double shift = f % 3 == 0 ? f + 0.1 : f;
            double[] batch = new double[4096];
            for (int row = 0; row < rows; row += batch.length) {
                int n = Math.min(batch.length, rows - row);
                for (int i = 0; i < n; i++) {
                    batch[i] = shift + pool[(int) (((row + i) * 2_654_435_761L + f * 97L) & (POOL - 1))];
                }
                w.addAll(batch, 0, n);
            }
            windows[f] = w;
        });
        Map<String, FeatureWindow> byName = new HashMap<>();
        for (int f = 0; f < features; f++) {
            byName.put(names.get(f), windows[f]);
        }
        DatasetDrift drift = DriftDetector.detect(references, byName, DriftSettings.defaults());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (drift.features().size() != features) {
            throw new IllegalStateException("expected a verdict on every feature: " + drift.skipped());
        }
        return seconds;
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int features = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int referenceRows = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        double[] runs = new double[3];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = run(rows, features, referenceRows);
        }
        System.out.println("drift_" + rows + "x" + features + " vs " + referenceRows + " reference rows: "
                + Arrays.toString(runs) + " s");
    }
}
