package dev.drover.monitor.window;

import dev.drover.monitor.datastore.DataLocation;
import dev.drover.monitor.datastore.S3Settings;

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
 * @param dataLocation        where production data is kept ({@link ProductionData}); null: none kept
 * @param dataRetention       how long kept files stay
 * @param s3                  how to reach an {@code s3://} data location
 */
public record WindowSettings(Duration grace, int recentPredictions, Duration referenceRetry,
                             int maxPerformanceLabels, DataLocation dataLocation, Duration dataRetention,
                             S3Settings s3) {
    public static final Duration DEFAULT_DATA_RETENTION = Duration.ofDays(30);

    /** Settings that keep no production data. */
    public WindowSettings(Duration grace, int recentPredictions, Duration referenceRetry, int maxPerformanceLabels) {
        this(grace, recentPredictions, referenceRetry, maxPerformanceLabels, null, DEFAULT_DATA_RETENTION,
                S3Settings.defaults());
    }

    public static WindowSettings defaults() {
        return new WindowSettings(Duration.ofMinutes(1), 1_000_000, Duration.ofSeconds(30), 1_000_000);
    }

    /** The same settings, keeping production data under the directory {@code location}. */
    public WindowSettings keepingDataAt(Path location) {
        return keepingDataAt(new DataLocation.Directory(location.toAbsolutePath().normalize()), s3);
    }

    /** The same settings, keeping production data at {@code location}, reached with {@code s3} if a bucket. */
    public WindowSettings keepingDataAt(DataLocation location, S3Settings s3) {
        return new WindowSettings(grace, recentPredictions, referenceRetry, maxPerformanceLabels, location,
                dataRetention, s3);
    }

    /** The same settings, deleting kept files after {@code retention}. */
    public WindowSettings retainingDataFor(Duration retention) {
        return new WindowSettings(grace, recentPredictions, referenceRetry, maxPerformanceLabels, dataLocation,
                retention, s3);
    }
}
