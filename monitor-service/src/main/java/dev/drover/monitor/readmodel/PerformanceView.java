package dev.drover.monitor.readmodel;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * A version's performance on the labelled predictions of a window, against its registered baseline; with the
 * degradation it was judged to be, if it was one.
 */
@Serdeable
public record PerformanceView(String windowId, int version, String metric, double observed, long labelCount,
                              double baseline, Instant at, Degradation degradation) {

    /**
     * How far the performance fell, when that was more than the policy allows.
     *
     * @param drop         in the metric's units, positive: worse
     * @param relativeDrop {@code drop / |baseline|}; null when the baseline is 0
     */
    @Serdeable
    public record Degradation(String direction, double drop, Double relativeDrop, String reason) {
    }
}
