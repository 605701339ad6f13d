package dev.drover.monitor.core;

import dev.drover.monitor.core.MonitorCommand.ConfigureMonitoring;
import dev.drover.monitor.core.MonitorCommand.RecordPerformance;
import dev.drover.monitor.core.MonitorCommand.RecordWindow;
import dev.drover.monitor.core.MonitorEvent.DriftReportRecorded;
import dev.drover.monitor.core.MonitorEvent.MonitoringConfigured;
import dev.drover.monitor.core.MonitorEvent.RetrainRequested;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The model, policies, windows and results the monitor's tests are told in terms of. */
final class MonitorFixtures {
    static final String MODEL = "churn";
    static final String CMD = "cmd-1";
    static final String ALICE = "alice";
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final FeatureSetRef FEATURES = new FeatureSetRef("churn-features", 2);
    static final String HOOK_URL = "https://hooks.example.com/drover";
    static final Webhook HOOK = new Webhook(HOOK_URL, WebhookFormat.GENERIC);
    static final Webhook SLACK = new Webhook("https://hooks.slack.com/services/T0/B0/x", WebhookFormat.SLACK);
    /** AUC may fall by 0.05 at most; a degradation rolls back. */
    static final DegradationPolicy AUC_ROLLBACK = new DegradationPolicy("auc", MetricDirection.GREATER, 0.05, null,
            true);
    /** The policy most tests run under, defaults filled in: windows of 1000 rows, share 0.5, cooldown 1 h. */
    static final MonitoringPolicy POLICY = new MonitoringPolicy(TumblingWindow.ofRows(1000), 0.5, Map.of(),
            Duration.ofHours(1), AUC_ROLLBACK, List.of(HOOK, SLACK), 0L);

    private MonitorFixtures() {
    }

    static Instant minutes(long m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    static MonitoringConfigured configured() {
        return configured(POLICY);
    }

    static MonitoringConfigured configured(MonitoringPolicy policy) {
        return new MonitoringConfigured(MODEL, policy, ALICE, T0);
    }

    static ConfigureMonitoring configure(MonitoringPolicy policy) {
        return new ConfigureMonitoring(CMD, MODEL, policy, ALICE);
    }

    // ---- windows

    static FeatureResult drifted(String feature) {
        return new FeatureResult(feature, "WASSERSTEIN", 0.31, null, 0.1, true);
    }

    static FeatureResult steady(String feature) {
        return new FeatureResult(feature, "KS", 0.02, 0.64, 0.05, false);
    }

    /** Results for {@code drifted} drifted features out of {@code total}. */
    static List<FeatureResult> results(int drifted, int total) {
        List<FeatureResult> out = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            out.add(i < drifted ? drifted("f" + i) : steady("f" + i));
        }
        return out;
    }

    /** Window {@code n}: ten minutes, closing at minute {@code 10 * n}, compared with champion 3. */
    static ClosedWindow window(int n) {
        return new ClosedWindow("w-" + n, minutes(10L * (n - 1)), minutes(10L * n), 1000, 3, FEATURES);
    }

    static RecordWindow recordWindow(int n, List<FeatureResult> results) {
        return new RecordWindow("cmd-w" + n, MODEL, window(n), results, Map.of());
    }

    static DriftReportRecorded report(int n, List<FeatureResult> results, Instant at) {
        long drifted = results.stream().filter(FeatureResult::drifted).count();
        double share = (double) drifted / results.size();
        return new DriftReportRecorded(MODEL, MODEL + "/w-" + n, window(n), results, Map.of(), share, 0.5,
                share >= 0.5, at);
    }

    static RetrainRequested retrainRequested(int n, Instant at) {
        return new RetrainRequested(MODEL, MODEL + "/w-" + n, "drift", 3, FEATURES, at);
    }

    // ---- performance

    static RecordPerformance performance(String windowId, int version, double observed, double baseline) {
        return new RecordPerformance("cmd-p-" + windowId, MODEL, windowId, version, "auc", observed, 500, baseline);
    }
}
