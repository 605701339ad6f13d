package dev.drover.monitor.core;

import java.time.Duration;

/**
 * How production data is cut into windows: consecutive, non-overlapping windows of either a number of rows or a
 * span of time — exactly one of the two is set.
 *
 * @param rows     rows per window (at least {@value #MIN_ROWS}), or null for windows by time
 * @param duration time per window (positive), or null for windows by count
 */
public record TumblingWindow(Long rows, Duration duration) {
    /** Fewer rows than this make every two-sample test meaningless. */
    public static final long MIN_ROWS = 10;

    public static TumblingWindow ofRows(long rows) {
        return new TumblingWindow(rows, null);
    }

    public static TumblingWindow ofDuration(Duration duration) {
        return new TumblingWindow(null, duration);
    }

    /** Whether windows are cut by count. */
    public boolean byCount() {
        return rows != null;
    }
}
