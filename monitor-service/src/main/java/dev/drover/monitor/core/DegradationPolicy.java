package dev.drover.monitor.core;

/**
 * When a model version's production performance counts as degraded, and what to do about it. The performance is
 * compared with the version's baseline (the value of {@code metric} it was registered with) in the declared
 * direction; the drop is {@code baseline - observed} for {@link MetricDirection#GREATER} and
 * {@code observed - baseline} for {@link MetricDirection#SMALLER}.
 *
 * @param metric          the metric the serving labels are scored with, named as in the registry (e.g. {@code auc})
 * @param direction       which way the metric improves
 * @param maxAbsoluteDrop the largest drop allowed, in the metric's units; null: no absolute limit
 * @param maxRelativeDrop the largest drop allowed as a fraction of {@code |baseline|} (0.05 = 5 %); null: no
 *                        relative limit. At least one limit is set; with both, exceeding either is degradation
 * @param rollback        request a rollback of the champion when it degrades (null in a command means false)
 */
public record DegradationPolicy(String metric, MetricDirection direction, Double maxAbsoluteDrop,
                                Double maxRelativeDrop, Boolean rollback) {

    /** Whether degradation requests a rollback. */
    public boolean rollsBack() {
        return Boolean.TRUE.equals(rollback);
    }
}
