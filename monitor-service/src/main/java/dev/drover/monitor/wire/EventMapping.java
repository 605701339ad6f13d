package dev.drover.monitor.wire;

import dev.drover.monitor.core.AlertKind;
import dev.drover.monitor.core.ClosedWindow;
import dev.drover.monitor.core.DegradationPolicy;
import dev.drover.monitor.core.FeatureOverride;
import dev.drover.monitor.core.FeatureResult;
import dev.drover.monitor.core.FeatureSetRef;
import dev.drover.monitor.core.MetricDirection;
import dev.drover.monitor.core.MonitorEvent;
import dev.drover.monitor.core.MonitoringPolicy;
import dev.drover.monitor.core.RejectionCode;
import dev.drover.monitor.core.TumblingWindow;
import dev.drover.monitor.core.Webhook;
import dev.drover.monitor.core.WebhookFormat;
import dev.drover.schemas.monitor.event.AlertRaised;
import dev.drover.schemas.monitor.event.DegradationDetected;
import dev.drover.schemas.monitor.event.DriftReportRecorded;
import dev.drover.schemas.monitor.event.MonitorCommandRejected;
import dev.drover.schemas.monitor.event.MonitoringConfigured;
import dev.drover.schemas.monitor.event.PerformanceRecorded;
import dev.drover.schemas.monitor.event.RetrainAwaitingLabels;
import dev.drover.schemas.monitor.event.RetrainRequested;
import dev.drover.schemas.monitor.event.RetrainRunLinked;
import dev.drover.schemas.monitor.event.RetrainSuppressed;
import dev.drover.schemas.monitor.event.RollbackRequested;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps every {@link MonitorEvent} to and from its payload record in {@code MonitorEventEnvelope}. Payloads do not
 * carry the model's name: the envelope's key does.
 *
 * <p>Events hold what the decider let through, so what it guarantees (a policy's defaults, a result's feature and
 * method, a webhook's format) is required in the schema and a writer that forgets one fails at once. An
 * {@code instanceof} chain ending in an exception, kept exhaustive by {@code MonitorCodecTest}.
 */
final class EventMapping {
    private EventMapping() {
    }

    /** The payload record of an event. */
    static Object toAvro(MonitorEvent event) {
        if (event instanceof MonitorEvent.MonitoringConfigured e) {
            return MonitoringConfigured.newBuilder().setPolicy(policy(e.policy())).setBy(e.by()).setAt(e.at())
                    .build();
        } else if (event instanceof MonitorEvent.DriftReportRecorded e) {
            List<dev.drover.schemas.monitor.event.FeatureResult> results = new ArrayList<>();
            for (FeatureResult r : e.results()) {
                results.add(dev.drover.schemas.monitor.event.FeatureResult.newBuilder().setFeature(r.feature())
                        .setMethod(r.method()).setStatistic(r.statistic()).setPValue(r.pValue())
                        .setThreshold(r.threshold()).setDrifted(r.drifted()).build());
            }
            return DriftReportRecorded.newBuilder().setReportId(e.reportId()).setWindow(window(e.window()))
                    .setResults(results).setBadRecords(new LinkedHashMap<>(e.badRecords()))
                    .setDriftedShare(e.driftedShare()).setThreshold(e.threshold())
                    .setDatasetDrifted(e.datasetDrifted()).setAt(e.at()).build();
        } else if (event instanceof MonitorEvent.RetrainRequested e) {
            return RetrainRequested.newBuilder().setReportId(e.reportId()).setReason(e.reason())
                    .setChampionVersion(e.championVersion()).setFeatureSet(featureSet(e.featureSet()))
                    .setAt(e.at()).setWindowData(e.windowData()).setTrainingData(e.trainingData())
                    .setEvaluationData(e.evaluationData()).setChampionArtifact(e.championArtifact()).build();
        } else if (event instanceof MonitorEvent.RetrainDeclined e) {
            return dev.drover.schemas.monitor.event.RetrainDeclined.newBuilder().setReportId(e.reportId())
                    .setPipelineId(e.pipelineId()).setRunId(e.runId()).setReason(e.reason())
                    .setNextRetrainAt(e.nextRetrainAt()).setAt(e.at()).build();
        } else if (event instanceof MonitorEvent.RetrainAwaitingLabels e) {
            return RetrainAwaitingLabels.newBuilder().setReportId(e.reportId()).setReason(e.reason())
                    .setLabeledRows(e.labeledRows()).setNeeded(e.needed()).setAt(e.at()).build();
        } else if (event instanceof MonitorEvent.RetrainSuppressed e) {
            return RetrainSuppressed.newBuilder().setReportId(e.reportId()).setLastReportId(e.lastReportId())
                    .setCooldownUntil(e.cooldownUntil()).setAt(e.at()).build();
        } else if (event instanceof MonitorEvent.PerformanceRecorded e) {
            return PerformanceRecorded.newBuilder().setWindowId(e.windowId()).setVersion(e.version())
                    .setMetric(e.metric()).setObserved(e.observed()).setLabelCount(e.labelCount())
                    .setBaseline(e.baseline()).setAt(e.at()).setLabeledDataLocation(e.labeledDataLocation())
                    .setLabelsByWindow(new LinkedHashMap<>(e.labelsByWindow())).build();
        } else if (event instanceof MonitorEvent.DegradationDetected e) {
            return DegradationDetected.newBuilder().setWindowId(e.windowId()).setVersion(e.version())
                    .setMetric(e.metric()).setDirection(direction(e.direction())).setObserved(e.observed())
                    .setBaseline(e.baseline()).setDrop(e.drop()).setRelativeDrop(e.relativeDrop())
                    .setReason(e.reason()).setAt(e.at()).build();
        } else if (event instanceof MonitorEvent.RollbackRequested e) {
            return RollbackRequested.newBuilder().setFromVersion(e.fromVersion()).setReason(e.reason())
                    .setAt(e.at()).build();
        } else if (event instanceof MonitorEvent.AlertRaised e) {
            return AlertRaised.newBuilder()
                    .setKind(e.kind() == null ? null
                            : dev.drover.schemas.monitor.event.AlertKind.valueOf(e.kind().name()))
                    .setMessage(e.message()).setWebhooks(webhooks(e.webhooks())).setAt(e.at()).build();
        } else if (event instanceof MonitorEvent.RetrainRunLinked e) {
            return RetrainRunLinked.newBuilder().setReportId(e.reportId()).setPipelineId(e.pipelineId())
                    .setRunId(e.runId()).setAt(e.at()).build();
        } else if (event instanceof MonitorEvent.MonitorCommandRejected e) {
            return MonitorCommandRejected.newBuilder().setCommandId(e.commandId())
                    .setCode(e.code() == null ? null
                            : dev.drover.schemas.monitor.event.RejectionCode.valueOf(e.code().name()))
                    .setMessage(e.message()).build();
        }
        throw new IllegalArgumentException("no wire form for monitor event "
                + (event == null ? "null" : event.getClass().getName()));
    }

    /**
     * The event a payload carries.
     *
     * @param name the model's name, taken from the envelope's key
     * @throws IllegalArgumentException if the payload is of no known event type or holds an unreadable value
     */
    static MonitorEvent toDomain(String eventId, String name, Object payload) {
        if (payload instanceof MonitoringConfigured p) {
            return new MonitorEvent.MonitoringConfigured(name, policy(p.getPolicy()), p.getBy(), p.getAt());
        } else if (payload instanceof DriftReportRecorded p) {
            List<FeatureResult> results = new ArrayList<>();
            for (var r : p.getResults()) {
                results.add(new FeatureResult(r.getFeature(), r.getMethod(), r.getStatistic(), r.getPValue(),
                        r.getThreshold(), r.getDrifted()));
            }
            return new MonitorEvent.DriftReportRecorded(name, p.getReportId(), window(p.getWindow()), results,
                    p.getBadRecords(), p.getDriftedShare(), p.getThreshold(), p.getDatasetDrifted(), p.getAt());
        } else if (payload instanceof RetrainRequested p) {
            return new MonitorEvent.RetrainRequested(name, p.getReportId(), p.getReason(), p.getChampionVersion(),
                    featureSet(p.getFeatureSet()), p.getAt(), p.getWindowData(), p.getTrainingData(),
                    p.getEvaluationData(), p.getChampionArtifact());
        } else if (payload instanceof dev.drover.schemas.monitor.event.RetrainDeclined p) {
            return new MonitorEvent.RetrainDeclined(name, p.getReportId(), p.getPipelineId(), p.getRunId(),
                    p.getReason(), p.getNextRetrainAt(), p.getAt());
        } else if (payload instanceof RetrainAwaitingLabels p) {
            return new MonitorEvent.RetrainAwaitingLabels(name, p.getReportId(), p.getReason(), p.getLabeledRows(),
                    p.getNeeded(), p.getAt());
        } else if (payload instanceof RetrainSuppressed p) {
            return new MonitorEvent.RetrainSuppressed(name, p.getReportId(), p.getLastReportId(),
                    p.getCooldownUntil(), p.getAt());
        } else if (payload instanceof PerformanceRecorded p) {
            return new MonitorEvent.PerformanceRecorded(name, p.getWindowId(), p.getVersion(), p.getMetric(),
                    p.getObserved(), p.getLabelCount(), p.getBaseline(), p.getAt(), p.getLabeledDataLocation(),
                    new LinkedHashMap<>(p.getLabelsByWindow()));
        } else if (payload instanceof DegradationDetected p) {
            return new MonitorEvent.DegradationDetected(name, p.getWindowId(), p.getVersion(), p.getMetric(),
                    direction(p.getDirection()), p.getObserved(), p.getBaseline(), p.getDrop(), p.getRelativeDrop(),
                    p.getReason(), p.getAt());
        } else if (payload instanceof RollbackRequested p) {
            return new MonitorEvent.RollbackRequested(name, p.getFromVersion(), p.getReason(), p.getAt());
        } else if (payload instanceof AlertRaised p) {
            return new MonitorEvent.AlertRaised(name, AlertKind.valueOf(p.getKind().name()), p.getMessage(),
                    webhooksOf(p.getWebhooks()), p.getAt());
        } else if (payload instanceof RetrainRunLinked p) {
            return new MonitorEvent.RetrainRunLinked(name, p.getReportId(), p.getPipelineId(), p.getRunId(),
                    p.getAt());
        } else if (payload instanceof MonitorCommandRejected p) {
            return new MonitorEvent.MonitorCommandRejected(name, p.getCommandId(),
                    RejectionCode.valueOf(p.getCode().name()), p.getMessage());
        }
        throw new IllegalArgumentException("event " + eventId + " has an unknown payload "
                + (payload == null ? "null" : payload.getClass().getName()));
    }

    // ---- nested values (event namespace: what the decider let through)

    private static dev.drover.schemas.monitor.event.MonitoringPolicy policy(MonitoringPolicy p) {
        Map<String, dev.drover.schemas.monitor.event.FeatureOverride> overrides = new LinkedHashMap<>();
        p.featureOverrides().forEach((feature, o) -> overrides.put(feature,
                new dev.drover.schemas.monitor.event.FeatureOverride(o.method(), o.threshold())));
        TumblingWindow window = p.window();
        DegradationPolicy d = p.degradation();
        return dev.drover.schemas.monitor.event.MonitoringPolicy.newBuilder()
                .setWindow(window == null ? null : new dev.drover.schemas.monitor.event.TumblingWindow(window.rows(),
                        Durations.toText(window.duration())))
                .setDatasetDriftShare(p.datasetDriftShare()).setFeatureOverrides(overrides)
                .setRetrainCooldown(Durations.toText(p.retrainCooldown()))
                .setDegradation(d == null ? null : dev.drover.schemas.monitor.event.DegradationPolicy.newBuilder()
                        .setMetric(d.metric()).setDirection(direction(d.direction()))
                        .setMaxAbsoluteDrop(d.maxAbsoluteDrop()).setMaxRelativeDrop(d.maxRelativeDrop())
                        .setRollback(d.rollback()).build())
                .setWebhooks(webhooks(p.webhooks())).setRetrainMinLabeledRows(p.minLabeledRowsForRetrain()).build();
    }

    private static MonitoringPolicy policy(dev.drover.schemas.monitor.event.MonitoringPolicy p) {
        Map<String, FeatureOverride> overrides = new LinkedHashMap<>();
        p.getFeatureOverrides().forEach((feature, o) -> overrides.put(feature,
                new FeatureOverride(o.getMethod(), o.getThreshold())));
        var window = p.getWindow();
        var d = p.getDegradation();
        return new MonitoringPolicy(new TumblingWindow(window.getRows(),
                Durations.fromText(window.getDuration(), "window duration")), p.getDatasetDriftShare(), overrides,
                Durations.fromText(p.getRetrainCooldown(), "retrainCooldown"),
                d == null ? null : new DegradationPolicy(d.getMetric(), direction(d.getDirection()),
                        d.getMaxAbsoluteDrop(), d.getMaxRelativeDrop(), d.getRollback()),
                webhooksOf(p.getWebhooks()), p.getRetrainMinLabeledRows());
    }

    private static List<dev.drover.schemas.monitor.event.Webhook> webhooks(List<Webhook> webhooks) {
        List<dev.drover.schemas.monitor.event.Webhook> out = new ArrayList<>();
        for (Webhook w : webhooks) {
            out.add(new dev.drover.schemas.monitor.event.Webhook(w.url(), w.format() == null ? null
                    : dev.drover.schemas.monitor.event.WebhookFormat.valueOf(w.format().name())));
        }
        return out;
    }

    private static List<Webhook> webhooksOf(List<dev.drover.schemas.monitor.event.Webhook> webhooks) {
        List<Webhook> out = new ArrayList<>();
        for (var w : webhooks) {
            out.add(new Webhook(w.getUrl(), WebhookFormat.valueOf(w.getFormat().name())));
        }
        return out;
    }

    private static dev.drover.schemas.monitor.event.MetricDirection direction(MetricDirection d) {
        return d == null ? null : dev.drover.schemas.monitor.event.MetricDirection.valueOf(d.name());
    }

    private static MetricDirection direction(dev.drover.schemas.monitor.event.MetricDirection d) {
        return MetricDirection.valueOf(d.name());
    }

    private static dev.drover.schemas.monitor.event.ClosedWindow window(ClosedWindow w) {
        return dev.drover.schemas.monitor.event.ClosedWindow.newBuilder().setWindowId(w.windowId())
                .setStart(w.start()).setEnd(w.end()).setRowCount(w.rowCount())
                .setChampionVersion(w.championVersion()).setFeatureSet(featureSet(w.featureSet()))
                .setDataLocation(w.dataLocation()).setChampionArtifact(w.championArtifact()).build();
    }

    private static ClosedWindow window(dev.drover.schemas.monitor.event.ClosedWindow w) {
        return new ClosedWindow(w.getWindowId(), w.getStart(), w.getEnd(), w.getRowCount(), w.getChampionVersion(),
                featureSet(w.getFeatureSet()), w.getDataLocation(), w.getChampionArtifact());
    }

    private static dev.drover.schemas.monitor.event.FeatureSetRef featureSet(FeatureSetRef fs) {
        return fs == null ? null : new dev.drover.schemas.monitor.event.FeatureSetRef(fs.name(), fs.version());
    }

    private static FeatureSetRef featureSet(dev.drover.schemas.monitor.event.FeatureSetRef fs) {
        return new FeatureSetRef(fs.getName(), fs.getVersion());
    }
}
