package dev.drover.monitor.wire;

import java.time.Instant;

/**
 * The ground truth of an earlier prediction, published on {@code drover.monitor.labels} and matched to it by
 * {@code requestId}. The label is a {@link Double}, a {@link String} or a {@link Boolean}.
 */
public record Label(String modelName, String requestId, Instant timestamp, Object label) {
}
