package dev.drover.monitor.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How one model is monitored. In a {@link MonitorCommand.ConfigureMonitoring} any optional part may be null; the
 * decider fills in the defaults before it logs the policy, so a {@link MonitorEvent.MonitoringConfigured} always
 * holds every value explicitly and a replay never depends on what the defaults were when the event was written.
 *
 * @param window             how production data is cut into windows (required)
 * @param datasetDriftShare  the share of drifted features at which the whole dataset counts as drifted, in
 *                           {@code (0, 1]}; default {@value #DEFAULT_DATASET_DRIFT_SHARE}
 * @param featureOverrides   per feature, a method or threshold other than the default (empty: none)
 * @param retrainCooldown    after a retrain request, how long drifted windows request no other one (zero: none);
 *                           default {@link #DEFAULT_RETRAIN_COOLDOWN}
 * @param degradation        when performance counts as degraded; null: performance is not monitored
 * @param webhooks           where alerts go (empty: alerts are only logged)
 * @param retrainMinLabeledRows how many labelled production rows, kept since the last retrain request, a retrain
 *                           waits for (needs a degradation policy: labels are scored and kept only with one);
 *                           default 0, ask at once
 */
public record MonitoringPolicy(TumblingWindow window, Double datasetDriftShare,
                               Map<String, FeatureOverride> featureOverrides, Duration retrainCooldown,
                               DegradationPolicy degradation, List<Webhook> webhooks, Long retrainMinLabeledRows) {

    public static final double DEFAULT_DATASET_DRIFT_SHARE = 0.5;
    public static final Duration DEFAULT_RETRAIN_COOLDOWN = Duration.ofHours(1);

    public MonitoringPolicy {
        featureOverrides = Copies.sorted(featureOverrides);
        webhooks = Copies.list(webhooks);
    }

    /** A policy whose retrains do not wait for labels. */
    public MonitoringPolicy(TumblingWindow window, Double datasetDriftShare,
                            Map<String, FeatureOverride> featureOverrides, Duration retrainCooldown,
                            DegradationPolicy degradation, List<Webhook> webhooks) {
        this(window, datasetDriftShare, featureOverrides, retrainCooldown, degradation, webhooks, null);
    }

    /** How many labelled rows a retrain waits for (0 when unset: ask at once). */
    public long minLabeledRowsForRetrain() {
        return retrainMinLabeledRows == null ? 0 : retrainMinLabeledRows;
    }

    /** This policy with every unset optional part set to its default (call only on a valid policy). */
    public MonitoringPolicy withDefaults() {
        List<Webhook> hooks = new ArrayList<>();
        for (Webhook w : webhooks) {
            hooks.add(new Webhook(w.url(), w.format() == null ? WebhookFormat.GENERIC : w.format()));
        }
        DegradationPolicy d = degradation == null ? null : new DegradationPolicy(degradation.metric(),
                degradation.direction(), degradation.maxAbsoluteDrop(), degradation.maxRelativeDrop(),
                degradation.rollsBack());
        return new MonitoringPolicy(window,
                datasetDriftShare == null ? DEFAULT_DATASET_DRIFT_SHARE : datasetDriftShare, featureOverrides,
                retrainCooldown == null ? DEFAULT_RETRAIN_COOLDOWN : retrainCooldown, d, hooks,
                retrainMinLabeledRows == null ? 0L : retrainMinLabeledRows);
    }
}
