package dev.drover.monitor.window;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Knobs of the window loop (docs/configuration.md, {@code drover.monitor.*}).
 *
 * @param grace               how long after its end (by the wall clock) a window by time is closed although no
 *                            later prediction arrived, so a quiet model still reports
 * @param recentPredictions   per model, how many recent predictions labels can join (also how many records of a
 *                            partition are read again after a restart to rebuild that memory)
 * @param referenceRetry      how long to wait before asking the registry again after it had no reference
 * @param maxPerformanceLabels a performance window by time is closed early when it holds this many labels
 * @param dataLocation        the directory where production data is kept ({@link ProductionData}); null: none kept
 * @param dataRetention       how long kept files stay
 */
public record WindowSettings(Duration grace, int recentPredictions, Duration referenceRetry,
                             int maxPerformanceLabels, Path dataLocation, Duration dataRetention) {
    public static final Duration DEFAULT_DATA_RETENTION = Duration.ofDays(30);

    /** Settings that keep no production data. */
    public WindowSettings(Duration grace, int recentPredictions, Duration referenceRetry, int maxPerformanceLabels) {
        this(grace, recentPredictions, referenceRetry, maxPerformanceLabels, null, DEFAULT_DATA_RETENTION);
    }

    public static WindowSettings defaults() {
        return new WindowSettings(Duration.ofMinutes(1), 1_000_000, Duration.ofSeconds(30), 1_000_000);
    }

    /** The same settings, keeping production data under {@code location}. */
    public WindowSettings keepingDataAt(Path location) {
        return new WindowSettings(grace, recentPredictions, referenceRetry, maxPerformanceLabels, location,
                dataRetention);
    }
}
