package dev.drover.monitor.window;

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
 */
public record WindowSettings(Duration grace, int recentPredictions, Duration referenceRetry,
                             int maxPerformanceLabels) {
    public static WindowSettings defaults() {
        return new WindowSettings(Duration.ofMinutes(1), 1_000_000, Duration.ofSeconds(30), 1_000_000);
    }
}
