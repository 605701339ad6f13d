package dev.drover.monitor.readmodel;

import dev.drover.monitor.core.AlertKind;
import dev.drover.monitor.core.ClosedWindow;
import dev.drover.monitor.core.DegradationPolicy;
import dev.drover.monitor.core.FeatureResult;
import dev.drover.monitor.core.FeatureSetRef;
import dev.drover.monitor.core.MetricDirection;
import dev.drover.monitor.core.MonitorEvent;
import dev.drover.monitor.core.MonitorEvent.AlertRaised;
import dev.drover.monitor.core.MonitorEvent.DegradationDetected;
import dev.drover.monitor.core.MonitorEvent.DriftReportRecorded;
import dev.drover.monitor.core.MonitorEvent.MonitorCommandRejected;
import dev.drover.monitor.core.MonitorEvent.MonitoringConfigured;
import dev.drover.monitor.core.MonitorEvent.PerformanceRecorded;
import dev.drover.monitor.core.MonitorEvent.RetrainRequested;
import dev.drover.monitor.core.MonitorEvent.RetrainRunLinked;
import dev.drover.monitor.core.MonitorEvent.RetrainAwaitingLabels;
import dev.drover.monitor.core.MonitorEvent.RetrainSuppressed;
import dev.drover.monitor.core.MonitorEvent.RollbackRequested;
import dev.drover.monitor.core.MonitoringPolicy;
import dev.drover.monitor.core.RejectionCode;
import dev.drover.monitor.core.TumblingWindow;
import dev.drover.monitor.core.Webhook;
import dev.drover.monitor.core.WebhookFormat;
import dev.drover.monitor.wire.EventEnvelope;
import dev.drover.monitor.wire.MonitorKeys;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A monitored model's history that holds every kind of monitor event, as the decision loop would log it. */
final class MonitorStory {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final FeatureSetRef FEATURES = new FeatureSetRef("churn-features", 2);
    static final Webhook HOOK = new Webhook("https://hooks.example.com/drover", WebhookFormat.SLACK);
    static final MonitoringPolicy POLICY = new MonitoringPolicy(TumblingWindow.ofRows(1000), 0.5, Map.of(),
            Duration.ofHours(1), new DegradationPolicy("auc", MetricDirection.GREATER, 0.05, null, true),
            List.of(HOOK));

    private final String model;
    private final List<EventEnvelope> envelopes = new ArrayList<>();

    private MonitorStory(String model) {
        this.model = model;
    }

    static Instant minutes(long m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    static List<FeatureResult> results() {
        return List.of(new FeatureResult("age", "KS", 0.31, 1e-9, 0.05, true),
                new FeatureResult("income", "WASSERSTEIN", Double.POSITIVE_INFINITY, null, 0.1, true),
                new FeatureResult("plan", "CHI_SQUARE", 1.2, 0.55, 0.05, false));
    }

    static ClosedWindow window(int n) {
        return new ClosedWindow("w-" + n, minutes(10L * (n - 1)), minutes(10L * n), 1000, 3, FEATURES);
    }

    /** Configuration, two drifted windows (a request, then a suppression), a run, a degradation and rollback. */
    static MonitorStory everyEventType(String model) {
        MonitorStory s = new MonitorStory(model);
        s.decide("configure", minutes(0), new MonitoringConfigured(model, POLICY, "alice", minutes(0)));
        String r1 = model + "/w-1";
        s.decide("window-1", minutes(10),
                new DriftReportRecorded(model, r1, window(1), results(), Map.of("missing_feature", 4L), 2.0 / 3,
                        0.5, true, minutes(10)),
                new RetrainRequested(model, r1, "age and income drifted", 3, FEATURES, minutes(10),
                        List.of("/data/churn/windows/w-1.csv"), List.of("/data/churn/labeled/p-0.csv"),
                        List.of("/data/churn/labeled/p-1.csv"), "/models/churn-3.json"),
                new AlertRaised(model, AlertKind.DRIFT, "churn drifted", List.of(HOOK), minutes(10)));
        String r2 = model + "/w-2";
        s.decide("window-2", minutes(20),
                new DriftReportRecorded(model, r2, window(2), results(), Map.of(), 2.0 / 3, 0.5, true, minutes(20)),
                new RetrainSuppressed(model, r2, r1, minutes(70), minutes(20)));
        s.decide("run", minutes(21), new RetrainRunLinked(model, r1, "retrain-churn", "run-7", minutes(21)));
        s.decide("declined", minutes(25), new MonitorEvent.RetrainDeclined(model, r1, "retrain-churn", "run-7",
                "version 4 is not better on auc", minutes(70), minutes(25)));
        s.decide("performance", minutes(30),
                new PerformanceRecorded(model, "p-1", 3, "auc", 0.70, 500, 0.80, minutes(30),
                        "/data/churn/labeled/p-1.csv", Map.of("w-1", 20L, "w-3", 480L)),
                new DegradationDetected(model, "p-1", 3, "auc", MetricDirection.GREATER, 0.70, 0.80, 0.10, 0.125,
                        "auc of version 3 fell", minutes(30)),
                new RollbackRequested(model, 3, "auc of version 3 fell", minutes(30)),
                new AlertRaised(model, AlertKind.ROLLBACK, "rolling churn back from 3", List.of(HOOK), minutes(30)));
        s.decide("bad-window", minutes(31), new MonitorCommandRejected(model, "bad-window",
                RejectionCode.DUPLICATE_WINDOW, "window w-2 was already recorded"));
        String r3 = model + "/w-3";
        s.decide("window-3", minutes(80),
                new DriftReportRecorded(model, r3, new ClosedWindow("w-3", minutes(20), minutes(30), 1000, 3, FEATURES,
                        "/data/churn/windows/w-3.csv", "/models/churn-3.json"), results(), Map.of(), 2.0 / 3, 0.5, true,
                        minutes(80)),
                new RetrainAwaitingLabels(model, r3, "age and income drifted", 500, 1000, minutes(80)));
        return s;
    }

    private void decide(String commandId, Instant at, MonitorEvent... events) {
        for (int i = 0; i < events.length; i++) {
            envelopes.add(new EventEnvelope(model + "-" + commandId + "#" + i, at, MonitorKeys.model(model),
                    model + "-" + commandId, "story", i, events.length, events[i]));
        }
    }

    List<EventEnvelope> envelopes() {
        return List.copyOf(envelopes);
    }
}
