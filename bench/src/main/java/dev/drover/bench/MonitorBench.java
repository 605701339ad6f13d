package dev.drover.bench;

import dev.drover.monitor.drift.DriftBenchmark;

import java.util.Arrays;
import java.util.Locale;

/**
 * The monitor suite (see bench/README.md). For now one figure: {@code drift_1m_x_100_s}, every default drift test on
 * 1,000,000 rows × 100 numeric features against a 100,000-row reference, from the first row into the window
 * sketches to the dataset verdict ({@link DriftBenchmark}). The median of three runs in this JVM is printed; the
 * first (cold) run is included, and every run is logged.
 */
final class MonitorBench {
    private static final int ROWS = Integer.getInteger("bench.drift-rows", 1_000_000);
    private static final int FEATURES = Integer.getInteger("bench.drift-features", 100);
    private static final int REFERENCE_ROWS = Integer.getInteger("bench.drift-reference-rows", 100_000);

    private MonitorBench() {
    }

    static void run() {
        double[] runs = new double[3];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = DriftBenchmark.run(ROWS, FEATURES, REFERENCE_ROWS);
            Log.err(String.format(Locale.ROOT, "drift run %d: %d rows x %d features vs %d reference rows in %.2f s",
                    i + 1, ROWS, FEATURES, REFERENCE_ROWS, runs[i]));
        }
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        Bench.figure("drift_1m_x_100_s", Math.round(sorted[1] * 100) / 100.0);
    }
}
