package dev.drover.monitor.wire;

import dev.drover.monitor.core.AlertKind;
import dev.drover.monitor.core.ClosedWindow;
import dev.drover.monitor.core.DegradationPolicy;
import dev.drover.monitor.core.FeatureOverride;
import dev.drover.monitor.core.FeatureResult;
import dev.drover.monitor.core.FeatureSetRef;
import dev.drover.monitor.core.MetricDirection;
import dev.drover.monitor.core.MonitorCommand;
import dev.drover.monitor.core.MonitorEvent;
import dev.drover.monitor.core.MonitoringPolicy;
import dev.drover.monitor.core.RejectionCode;
import dev.drover.monitor.core.TumblingWindow;
import dev.drover.monitor.core.Webhook;
import dev.drover.monitor.core.WebhookFormat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every monitor command and event, each twice: with every optional part set ({@link #fullCommands()},
 * {@link #fullEvents()}) and with every optional part null or empty ({@link #sparseCommands()},
 * {@link #sparseEvents()}). Instants are whole milliseconds, as the loop writes them.
 */
final class MonitorWireSamples {
    static final String MODEL = "churn";
    static final Instant T = Instant.parse("2030-05-06T07:08:09.123Z");
    static final FeatureSetRef FEATURES = new FeatureSetRef("churn-features", 2);
    static final List<Webhook> HOOKS = List.of(new Webhook("https://hooks.example.com/drover", WebhookFormat.GENERIC),
            new Webhook("https://hooks.slack.com/services/T0/B0/x", WebhookFormat.SLACK));
    static final MonitoringPolicy FULL_POLICY = new MonitoringPolicy(TumblingWindow.ofRows(5000), 0.4,
            Map.of("age", new FeatureOverride("PSI", 0.2), "plan", new FeatureOverride("CHI_SQUARE", null),
                    "tenure", new FeatureOverride(null, 0.07)),
            Duration.ofMinutes(90).plusMillis(1),
            new DegradationPolicy("auc", MetricDirection.GREATER, 0.05, 0.1, true), HOOKS, 2000L);
    /** Defaults filled in (as an event holds it), windows by time, no degradation policy, no webhooks. */
    static final MonitoringPolicy SPARSE_POLICY = new MonitoringPolicy(TumblingWindow.ofDuration(Duration.ofHours(1)),
            0.5, Map.of(), Duration.ZERO, null, List.of(), 0L);
    static final String DATA = "/var/lib/drover/monitor-data/churn";
    static final ClosedWindow WINDOW = new ClosedWindow("w-42", T.minusSeconds(3600), T, 5000, 3, FEATURES,
            DATA + "/windows/w-42.csv", "/models/churn-3.json");
    static final List<FeatureResult> RESULTS = List.of(
            new FeatureResult("age", "WASSERSTEIN", 0.31, null, 0.1, true),
            new FeatureResult("plan", "CHI_SQUARE", 31.2, 1.5e-7, 0.05, true),
            new FeatureResult("tenure", "KS", 0.02, 0.64, 0.05, false),
            new FeatureResult("constant", "WASSERSTEIN", Double.POSITIVE_INFINITY, null, 0.1, true));

    private MonitorWireSamples() {
    }

    static List<MonitorCommand> fullCommands() {
        return List.of(
                new MonitorCommand.ConfigureMonitoring("c-1", MODEL, FULL_POLICY, "alice"),
                new MonitorCommand.RecordWindow("c-2", MODEL, WINDOW, RESULTS, Map.of("missing_feature", 4L,
                        "not_finite", 1L)),
                new MonitorCommand.RecordPerformance("c-3", MODEL, "w-42", 3, "auc", 0.81, 912, 0.9,
                        DATA + "/labeled/perf-p0-7.csv", Map.of("w-41", 12L, "w-42", 900L)),
                new MonitorCommand.RecordRetrainRun("c-4", MODEL, "churn/w-42", "retrain", "retrain.7"),
                new MonitorCommand.RecordRunFailed("c-5", MODEL, "retrain", "retrain.7", "task train failed"),
                new MonitorCommand.RecordRetrainDeclined("c-6", MODEL, "churn/w-42", "retrain", "retrain.7",
                        "version 4 is not better on auc"));
    }

    /** Everything the sender may leave out left out — and, in commands, the nulls the decider must judge. */
    static List<MonitorCommand> sparseCommands() {
        return List.of(
                new MonitorCommand.ConfigureMonitoring("c-1", MODEL, null, null),
                new MonitorCommand.RecordWindow("c-2", MODEL, null, List.of(), Map.of()),
                new MonitorCommand.RecordPerformance("c-3", MODEL, null, 0, null, Double.NaN, 0, 0),
                new MonitorCommand.RecordRetrainRun("c-4", MODEL, null, null, null),
                new MonitorCommand.RecordRunFailed("c-5", MODEL, null, null, null),
                new MonitorCommand.RecordRetrainDeclined("c-6", MODEL, null, null, null, null));
    }

    /** Commands whose nested values are there but hollow: nulls inside the policy, the window and the lists. */
    static List<MonitorCommand> hollowCommands() {
        MonitoringPolicy hollow = new MonitoringPolicy(new TumblingWindow(null, null), null,
                mapWithNull("age"), null, new DegradationPolicy(null, null, null, null, null),
                Arrays.asList(new Webhook(null, null), null));
        Map<String, Long> nullCount = new HashMap<>();
        nullCount.put("missing_feature", null);
        return List.of(
                new MonitorCommand.ConfigureMonitoring("c-1", MODEL, hollow, "alice"),
                new MonitorCommand.RecordWindow("c-2", MODEL, new ClosedWindow(null, null, null, -1, 0, null),
                        Arrays.asList(new FeatureResult(null, null, Double.NaN, null, 0, false), null), nullCount),
                new MonitorCommand.RecordWindow("c-3", MODEL, new ClosedWindow("w", T, T, 0, 1,
                        new FeatureSetRef(null, 0)), List.of(), Map.of()));
    }

    static List<MonitorEvent> fullEvents() {
        return List.of(
                new MonitorEvent.MonitoringConfigured(MODEL, FULL_POLICY, "alice", T),
                new MonitorEvent.DriftReportRecorded(MODEL, "churn/w-42", WINDOW, RESULTS, Map.of("not_finite", 1L),
                        0.75, 0.4, true, T),
                new MonitorEvent.RetrainRequested(MODEL, "churn/w-42", "3 of 4 features drifted", 3, FEATURES, T,
                        List.of(DATA + "/windows/w-41.csv", DATA + "/windows/w-42.csv"),
                        List.of(DATA + "/labeled/perf-p0-1.csv"), List.of(DATA + "/labeled/perf-p0-7.csv"),
                        "/models/churn-3.json"),
                new MonitorEvent.RetrainSuppressed(MODEL, "churn/w-43", "churn/w-42", T.plusSeconds(5400), T),
                new MonitorEvent.PerformanceRecorded(MODEL, "w-42", 3, "auc", 0.81, 912, 0.9, T,
                        DATA + "/labeled/perf-p0-7.csv", Map.of("w-41", 12L, "w-42", 900L)),
                new MonitorEvent.RetrainAwaitingLabels(MODEL, "churn/w-44", "2 of 4 features drifted", 300, 2000, T),
                new MonitorEvent.RetrainDeclined(MODEL, "churn/w-42", "retrain", "retrain.7", "not better",
                        T.plusSeconds(3600), T),
                new MonitorEvent.DegradationDetected(MODEL, "w-42", 3, "rmse", MetricDirection.SMALLER, 12.5, 10.0,
                        2.5, 0.25, "rmse rose", T),
                new MonitorEvent.RollbackRequested(MODEL, 3, "auc fell", T),
                new MonitorEvent.AlertRaised(MODEL, AlertKind.ROLLBACK, "rolled back", HOOKS, T),
                new MonitorEvent.RetrainRunLinked(MODEL, "churn/w-42", "retrain", "retrain.7", T),
                new MonitorEvent.MonitorCommandRejected(MODEL, "c-9", RejectionCode.STALE_WINDOW, "send in order"));
    }

    static List<MonitorEvent> sparseEvents() {
        return List.of(
                new MonitorEvent.MonitoringConfigured(MODEL, SPARSE_POLICY, null, T),
                new MonitorEvent.DriftReportRecorded(MODEL, "churn/w-1", WINDOW, List.of(RESULTS.get(2)), Map.of(),
                        0, 0.5, false, T),
                new MonitorEvent.RetrainRequested(MODEL, "churn/w-1", "", 1, FEATURES, T),
                new MonitorEvent.RetrainSuppressed(MODEL, "churn/w-2", "churn/w-1", T, T),
                new MonitorEvent.PerformanceRecorded(MODEL, "w-1", 1, "auc", 0, 1, 0, T),
                new MonitorEvent.RetrainAwaitingLabels(MODEL, "churn/w-3", "", 0, 1, T),
                new MonitorEvent.RetrainDeclined(MODEL, "churn/w-1", "p", "p.1", "", T, T),
                new MonitorEvent.DegradationDetected(MODEL, "w-1", 1, "loss", MetricDirection.SMALLER, 0.1, 0, 0.1,
                        null, "", T),
                new MonitorEvent.RollbackRequested(MODEL, 1, "", T),
                new MonitorEvent.AlertRaised(MODEL, AlertKind.RUN_FAILED, "", List.of(), T),
                new MonitorEvent.RetrainRunLinked(MODEL, "churn/w-1", "p", "p.1", T),
                new MonitorEvent.MonitorCommandRejected(MODEL, "c-9", RejectionCode.UNCHANGED, ""));
    }

    private static Map<String, FeatureOverride> mapWithNull(String key) {
        Map<String, FeatureOverride> m = new HashMap<>();
        m.put(key, null);
        return m;
    }

    /** Every concrete class under a sealed root. */
    static Set<Class<?>> concreteTypes(Class<?> root) {
        Set<Class<?>> out = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (c.isSealed()) {
                todo.addAll(List.of(c.getPermittedSubclasses()));
            } else if (!c.isInterface()) {
                out.add(c);
            }
        }
        return out;
    }
}
