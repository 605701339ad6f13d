package dev.drover.schemas.golden;

import dev.drover.schemas.monitor.command.ConfigureMonitoring;
import dev.drover.schemas.monitor.command.MonitorCommandEnvelope;
import dev.drover.schemas.monitor.command.RecordPerformance;
import dev.drover.schemas.monitor.command.RecordRetrainRun;
import dev.drover.schemas.monitor.command.RecordRunFailed;
import dev.drover.schemas.monitor.command.RecordWindow;
import dev.drover.schemas.monitor.event.AlertKind;
import dev.drover.schemas.monitor.event.AlertRaised;
import dev.drover.schemas.monitor.event.DegradationDetected;
import dev.drover.schemas.monitor.event.DriftReportRecorded;
import dev.drover.schemas.monitor.event.MonitorCommandRejected;
import dev.drover.schemas.monitor.event.MonitorEventEnvelope;
import dev.drover.schemas.monitor.event.MonitoringConfigured;
import dev.drover.schemas.monitor.event.PerformanceRecorded;
import dev.drover.schemas.monitor.event.RejectionCode;
import dev.drover.schemas.monitor.event.RetrainAwaitingLabels;
import dev.drover.schemas.monitor.event.RetrainRequested;
import dev.drover.schemas.monitor.event.RetrainRunLinked;
import dev.drover.schemas.monitor.event.RetrainSuppressed;
import dev.drover.schemas.monitor.event.RollbackRequested;
import dev.drover.schemas.monitor.inference.Label;
import dev.drover.schemas.monitor.inference.Prediction;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The golden samples of the monitor's schemas: one envelope per payload kind of {@code MonitorCommandEnvelope} and
 * {@code MonitorEventEnvelope}, every optional field filled, all about one model ({@link #MODEL}); and one
 * {@code Prediction} and one {@code Label}. Part of {@link GoldenRecordGenerator#samples()}.
 */
final class MonitorGoldenSamples {
    static final String MODEL = "golden-model";
    static final String KEY = "monitor/" + MODEL;
    static final String REPORT = MODEL + "/golden-window";
    static final String DATA = "/var/lib/drover/monitor-data/" + MODEL;
    static final String ARTIFACT = "/var/lib/drover/models/golden-model-1.json";
    private static final Instant T = GoldenRecordGenerator.T;

    private MonitorGoldenSamples() {
    }

    static Map<String, SpecificRecord> samples() {
        Map<String, SpecificRecord> out = new LinkedHashMap<>();
        for (Object payload : commands()) {
            out.put("MonitorCommandEnvelope-" + payload.getClass().getSimpleName(),
                    MonitorCommandEnvelope.newBuilder().setCommandId("golden-command").setIssuedAt(T)
                            .setCorrelationId("golden-window").setKey(KEY).setPayload(payload).build());
        }
        for (Object payload : events()) {
            out.put("MonitorEventEnvelope-" + payload.getClass().getSimpleName(),
                    MonitorEventEnvelope.newBuilder().setEventId("golden-command#0").setTimestamp(T).setKey(KEY)
                            .setCausationId("golden-command").setCorrelationId("golden-window").setIndex(0)
                            .setCount(1).setPayload(payload).build());
        }
        Map<String, Object> features = new LinkedHashMap<>();
        features.put("age", 42.5);
        features.put("plan", "pro");
        features.put("churned_before", true);
        features.put("income", null);
        out.put("Prediction", Prediction.newBuilder().setModelName(MODEL).setModelVersion(1).setTimestamp(T)
                .setRequestId("golden-request").setFeatures(features).setPrediction(0.87).build());
        out.put("Label", Label.newBuilder().setModelName(MODEL).setRequestId("golden-request").setTimestamp(T)
                .setLabel(true).build());
        return out;
    }

    private static List<Object> commands() {
        var webhook = new dev.drover.schemas.monitor.command.Webhook("https://hooks.example.com/drover",
                dev.drover.schemas.monitor.command.WebhookFormat.SLACK);
        var policy = dev.drover.schemas.monitor.command.MonitoringPolicy.newBuilder()
                .setWindow(new dev.drover.schemas.monitor.command.TumblingWindow(10_000L, null))
                .setDatasetDriftShare(0.5)
                .setFeatureOverrides(Map.of("age", new dev.drover.schemas.monitor.command.FeatureOverride("PSI", 0.2)))
                .setRetrainCooldown("PT1H")
                .setDegradation(dev.drover.schemas.monitor.command.DegradationPolicy.newBuilder().setMetric("auc")
                        .setDirection(dev.drover.schemas.monitor.command.MetricDirection.GREATER)
                        .setMaxAbsoluteDrop(0.05).setMaxRelativeDrop(0.1).setRollback(true).build())
                .setWebhooks(List.of(webhook)).setRetrainMinLabeledRows(1000L).build();
        var window = dev.drover.schemas.monitor.command.ClosedWindow.newBuilder().setWindowId("golden-window")
                .setStart(T.minusSeconds(3600)).setEnd(T).setRowCount(10_000).setChampionVersion(1)
                .setFeatureSet(new dev.drover.schemas.monitor.command.FeatureSetRef("golden-features", 1))
                .setDataLocation(DATA + "/windows/golden-window.csv").setChampionArtifact(ARTIFACT).build();
        return List.of(
                ConfigureMonitoring.newBuilder().setPolicy(policy).setRequestedBy("alice").build(),
                RecordWindow.newBuilder().setWindow(window).setResults(List.of(
                        new dev.drover.schemas.monitor.command.FeatureResult("age", "KS", 0.21, 0.001, 0.05, true)))
                        .setBadRecords(Map.of("missing_feature", 3L)).build(),
                RecordPerformance.newBuilder().setWindowId("golden-window").setVersion(1).setMetric("auc")
                        .setObserved(0.8).setLabelCount(500).setBaseline(0.9)
                        .setLabeledDataLocation(DATA + "/labeled/golden-performance.csv")
                        .setLabelsByWindow(Map.of("golden-window", 500L)).build(),
                RecordRetrainRun.newBuilder().setReportId(REPORT).setPipelineId(GoldenRecordGenerator.PIPELINE)
                        .setRunId(GoldenRecordGenerator.RUN).build(),
                RecordRunFailed.newBuilder().setPipelineId(GoldenRecordGenerator.PIPELINE)
                        .setRunId(GoldenRecordGenerator.RUN).setReason("train failed").build(),
                dev.drover.schemas.monitor.command.RecordRetrainDeclined.newBuilder().setReportId(REPORT)
                        .setPipelineId(GoldenRecordGenerator.PIPELINE).setRunId(GoldenRecordGenerator.RUN)
                        .setReason("version 2 is not better on auc").build());
    }

    private static List<Object> events() {
        var webhook = new dev.drover.schemas.monitor.event.Webhook("https://hooks.example.com/drover",
                dev.drover.schemas.monitor.event.WebhookFormat.GENERIC);
        var featureSet = new dev.drover.schemas.monitor.event.FeatureSetRef("golden-features", 1);
        var policy = dev.drover.schemas.monitor.event.MonitoringPolicy.newBuilder()
                .setWindow(new dev.drover.schemas.monitor.event.TumblingWindow(null, "PT1H"))
                .setDatasetDriftShare(0.5)
                .setFeatureOverrides(Map.of("age", new dev.drover.schemas.monitor.event.FeatureOverride("PSI", 0.2)))
                .setRetrainCooldown("PT1H")
                .setDegradation(dev.drover.schemas.monitor.event.DegradationPolicy.newBuilder().setMetric("auc")
                        .setDirection(dev.drover.schemas.monitor.event.MetricDirection.GREATER)
                        .setMaxAbsoluteDrop(0.05).setMaxRelativeDrop(0.1).setRollback(true).build())
                .setWebhooks(List.of(webhook)).setRetrainMinLabeledRows(1000L).build();
        var window = dev.drover.schemas.monitor.event.ClosedWindow.newBuilder().setWindowId("golden-window")
                .setStart(T.minusSeconds(3600)).setEnd(T).setRowCount(10_000).setChampionVersion(1)
                .setFeatureSet(featureSet).setDataLocation(DATA + "/windows/golden-window.csv")
                .setChampionArtifact(ARTIFACT).build();
        return List.of(
                MonitoringConfigured.newBuilder().setPolicy(policy).setBy("alice").setAt(T).build(),
                DriftReportRecorded.newBuilder().setReportId(REPORT).setWindow(window).setResults(List.of(
                        new dev.drover.schemas.monitor.event.FeatureResult("age", "KS", 0.21, 0.001, 0.05, true)))
                        .setBadRecords(Map.of("missing_feature", 3L)).setDriftedShare(1.0).setThreshold(0.5)
                        .setDatasetDrifted(true).setAt(T).build(),
                RetrainRequested.newBuilder().setReportId(REPORT).setReason("1 of 1 features drifted")
                        .setChampionVersion(1).setFeatureSet(featureSet).setAt(T)
                        .setWindowData(List.of(DATA + "/windows/golden-window.csv"))
                        .setTrainingData(List.of(DATA + "/labeled/golden-performance.csv"))
                        .setEvaluationData(List.of(DATA + "/labeled/golden-newest.csv"))
                        .setChampionArtifact(ARTIFACT).build(),
                RetrainSuppressed.newBuilder().setReportId(REPORT).setLastReportId(MODEL + "/earlier-window")
                        .setCooldownUntil(T.plusSeconds(1800)).setAt(T).build(),
                PerformanceRecorded.newBuilder().setWindowId("golden-window").setVersion(1).setMetric("auc")
                        .setObserved(0.8).setLabelCount(500).setBaseline(0.9).setAt(T)
                        .setLabeledDataLocation(DATA + "/labeled/golden-performance.csv")
                        .setLabelsByWindow(Map.of("golden-window", 500L)).build(),
                DegradationDetected.newBuilder().setWindowId("golden-window").setVersion(1).setMetric("auc")
                        .setDirection(dev.drover.schemas.monitor.event.MetricDirection.GREATER).setObserved(0.8)
                        .setBaseline(0.9).setDrop(0.1).setRelativeDrop(0.111).setReason("auc fell").setAt(T).build(),
                RollbackRequested.newBuilder().setFromVersion(1).setReason("auc fell").setAt(T).build(),
                AlertRaised.newBuilder().setKind(AlertKind.ROLLBACK).setMessage("rollback requested")
                        .setWebhooks(List.of(webhook)).setAt(T).build(),
                RetrainRunLinked.newBuilder().setReportId(REPORT).setPipelineId(GoldenRecordGenerator.PIPELINE)
                        .setRunId(GoldenRecordGenerator.RUN).setAt(T).build(),
                MonitorCommandRejected.newBuilder().setCommandId("golden-command")
                        .setCode(RejectionCode.STALE_WINDOW).setMessage("send windows in order").build(),
                RetrainAwaitingLabels.newBuilder().setReportId(REPORT).setReason("1 of 1 features drifted")
                        .setLabeledRows(200).setNeeded(1000).setAt(T).build(),
                dev.drover.schemas.monitor.event.RetrainDeclined.newBuilder().setReportId(REPORT)
                        .setPipelineId(GoldenRecordGenerator.PIPELINE).setRunId(GoldenRecordGenerator.RUN)
                        .setReason("version 2 is not better on auc").setNextRetrainAt(T.plusSeconds(3600)).setAt(T)
                        .build());
    }
}
