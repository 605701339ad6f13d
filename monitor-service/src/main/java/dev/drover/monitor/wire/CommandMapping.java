package dev.drover.monitor.wire;

import dev.drover.monitor.core.ClosedWindow;
import dev.drover.monitor.core.DegradationPolicy;
import dev.drover.monitor.core.FeatureOverride;
import dev.drover.monitor.core.FeatureResult;
import dev.drover.monitor.core.FeatureSetRef;
import dev.drover.monitor.core.MetricDirection;
import dev.drover.monitor.core.MonitorCommand;
import dev.drover.monitor.core.MonitoringPolicy;
import dev.drover.monitor.core.TumblingWindow;
import dev.drover.monitor.core.Webhook;
import dev.drover.monitor.core.WebhookFormat;
import dev.drover.schemas.monitor.command.ConfigureMonitoring;
import dev.drover.schemas.monitor.command.RecordPerformance;
import dev.drover.schemas.monitor.command.RecordRetrainRun;
import dev.drover.schemas.monitor.command.RecordRunFailed;
import dev.drover.schemas.monitor.command.RecordWindow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps every {@link MonitorCommand} to and from its payload record in {@code MonitorCommandEnvelope}. Payloads carry
 * neither the command id nor the model's name: the envelope has both (the name in its key).
 *
 * <p>Commands travel as the sender sent them, nulls included — the decider, not the wire, judges input — so every
 * nullable part of a command is nullable here too. Java 17 has no pattern matching for {@code switch}: the mapping
 * is an {@code instanceof} chain ending in an exception, kept exhaustive by {@code MonitorCodecTest}.
 */
final class CommandMapping {
    private CommandMapping() {
    }

    /** The payload record of a command. */
    static Object toAvro(MonitorCommand command) {
        if (command instanceof MonitorCommand.ConfigureMonitoring c) {
            return ConfigureMonitoring.newBuilder().setPolicy(policy(c.policy())).setRequestedBy(c.requestedBy())
                    .build();
        } else if (command instanceof MonitorCommand.RecordWindow c) {
            List<dev.drover.schemas.monitor.command.FeatureResult> results = new ArrayList<>();
            for (FeatureResult r : c.results()) {
                results.add(r == null ? null : dev.drover.schemas.monitor.command.FeatureResult.newBuilder()
                        .setFeature(r.feature()).setMethod(r.method()).setStatistic(r.statistic())
                        .setPValue(r.pValue()).setThreshold(r.threshold()).setDrifted(r.drifted()).build());
            }
            return RecordWindow.newBuilder().setWindow(window(c.window())).setResults(results)
                    .setBadRecords(new LinkedHashMap<>(c.badRecords())).build();
        } else if (command instanceof MonitorCommand.RecordPerformance c) {
            return RecordPerformance.newBuilder().setWindowId(c.windowId()).setVersion(c.version())
                    .setMetric(c.metric()).setObserved(c.observed()).setLabelCount(c.labelCount())
                    .setBaseline(c.baseline()).setLabeledDataLocation(c.labeledDataLocation())
                    .setLabelsByWindow(new LinkedHashMap<>(c.labelsByWindow())).build();
        } else if (command instanceof MonitorCommand.RecordRetrainRun c) {
            return RecordRetrainRun.newBuilder().setReportId(c.reportId()).setPipelineId(c.pipelineId())
                    .setRunId(c.runId()).build();
        } else if (command instanceof MonitorCommand.RecordRetrainDeclined c) {
            return dev.drover.schemas.monitor.command.RecordRetrainDeclined.newBuilder().setReportId(c.reportId())
                    .setPipelineId(c.pipelineId()).setRunId(c.runId()).setReason(c.reason()).build();
        } else if (command instanceof MonitorCommand.RecordRunFailed c) {
            return RecordRunFailed.newBuilder().setPipelineId(c.pipelineId()).setRunId(c.runId())
                    .setReason(c.reason()).build();
        }
        throw new IllegalArgumentException("no wire form for monitor command "
                + (command == null ? "null" : command.getClass().getName()));
    }

    /**
     * The command a payload carries.
     *
     * @param name the model's name, taken from the envelope's key
     * @throws IllegalArgumentException if the payload is of no known command type or holds an unreadable value
     */
    static MonitorCommand toDomain(String commandId, String name, Object payload) {
        if (payload instanceof ConfigureMonitoring p) {
            return new MonitorCommand.ConfigureMonitoring(commandId, name, policy(p.getPolicy()), p.getRequestedBy());
        } else if (payload instanceof RecordWindow p) {
            List<FeatureResult> results = new ArrayList<>();
            for (var r : p.getResults()) {
                results.add(r == null ? null : new FeatureResult(r.getFeature(), r.getMethod(), r.getStatistic(),
                        r.getPValue(), r.getThreshold(), r.getDrifted()));
            }
            return new MonitorCommand.RecordWindow(commandId, name, window(p.getWindow()), results,
                    p.getBadRecords());
        } else if (payload instanceof RecordPerformance p) {
            return new MonitorCommand.RecordPerformance(commandId, name, p.getWindowId(), p.getVersion(),
                    p.getMetric(), p.getObserved(), p.getLabelCount(), p.getBaseline(), p.getLabeledDataLocation(),
                    new LinkedHashMap<>(p.getLabelsByWindow()));
        } else if (payload instanceof RecordRetrainRun p) {
            return new MonitorCommand.RecordRetrainRun(commandId, name, p.getReportId(), p.getPipelineId(),
                    p.getRunId());
        } else if (payload instanceof dev.drover.schemas.monitor.command.RecordRetrainDeclined p) {
            return new MonitorCommand.RecordRetrainDeclined(commandId, name, p.getReportId(), p.getPipelineId(),
                    p.getRunId(), p.getReason());
        } else if (payload instanceof RecordRunFailed p) {
            return new MonitorCommand.RecordRunFailed(commandId, name, p.getPipelineId(), p.getRunId(),
                    p.getReason());
        }
        throw new IllegalArgumentException("command " + commandId + " has an unknown payload "
                + (payload == null ? "null" : payload.getClass().getName()));
    }

    // ---- nested values (command namespace: what the sender sent, nulls included)

    private static dev.drover.schemas.monitor.command.MonitoringPolicy policy(MonitoringPolicy p) {
        if (p == null) {
            return null;
        }
        Map<String, dev.drover.schemas.monitor.command.FeatureOverride> overrides = new LinkedHashMap<>();
        p.featureOverrides().forEach((feature, o) -> overrides.put(feature, o == null ? null
                : new dev.drover.schemas.monitor.command.FeatureOverride(o.method(), o.threshold())));
        List<dev.drover.schemas.monitor.command.Webhook> webhooks = new ArrayList<>();
        for (Webhook w : p.webhooks()) {
            webhooks.add(w == null ? null : new dev.drover.schemas.monitor.command.Webhook(w.url(),
                    w.format() == null ? null
                            : dev.drover.schemas.monitor.command.WebhookFormat.valueOf(w.format().name())));
        }
        TumblingWindow window = p.window();
        DegradationPolicy d = p.degradation();
        return dev.drover.schemas.monitor.command.MonitoringPolicy.newBuilder()
                .setWindow(window == null ? null : new dev.drover.schemas.monitor.command.TumblingWindow(
                        window.rows(), Durations.toText(window.duration())))
                .setDatasetDriftShare(p.datasetDriftShare()).setFeatureOverrides(overrides)
                .setRetrainCooldown(Durations.toText(p.retrainCooldown()))
                .setDegradation(d == null ? null : dev.drover.schemas.monitor.command.DegradationPolicy.newBuilder()
                        .setMetric(d.metric())
                        .setDirection(d.direction() == null ? null
                                : dev.drover.schemas.monitor.command.MetricDirection.valueOf(d.direction().name()))
                        .setMaxAbsoluteDrop(d.maxAbsoluteDrop()).setMaxRelativeDrop(d.maxRelativeDrop())
                        .setRollback(d.rollback()).build())
                .setWebhooks(webhooks).setRetrainMinLabeledRows(p.retrainMinLabeledRows()).build();
    }

    private static MonitoringPolicy policy(dev.drover.schemas.monitor.command.MonitoringPolicy p) {
        if (p == null) {
            return null;
        }
        Map<String, FeatureOverride> overrides = new LinkedHashMap<>();
        p.getFeatureOverrides().forEach((feature, o) -> overrides.put(feature, o == null ? null
                : new FeatureOverride(o.getMethod(), o.getThreshold())));
        List<Webhook> webhooks = new ArrayList<>();
        for (var w : p.getWebhooks()) {
            webhooks.add(w == null ? null : new Webhook(w.getUrl(),
                    w.getFormat() == null ? null : WebhookFormat.valueOf(w.getFormat().name())));
        }
        var window = p.getWindow();
        var d = p.getDegradation();
        return new MonitoringPolicy(window == null ? null : new TumblingWindow(window.getRows(),
                Durations.fromText(window.getDuration(), "window duration")), p.getDatasetDriftShare(), overrides,
                Durations.fromText(p.getRetrainCooldown(), "retrainCooldown"),
                d == null ? null : new DegradationPolicy(d.getMetric(),
                        d.getDirection() == null ? null : MetricDirection.valueOf(d.getDirection().name()),
                        d.getMaxAbsoluteDrop(), d.getMaxRelativeDrop(), d.getRollback()),
                webhooks, p.getRetrainMinLabeledRows());
    }

    private static dev.drover.schemas.monitor.command.ClosedWindow window(ClosedWindow w) {
        if (w == null) {
            return null;
        }
        FeatureSetRef fs = w.featureSet();
        return dev.drover.schemas.monitor.command.ClosedWindow.newBuilder().setWindowId(w.windowId())
                .setStart(w.start()).setEnd(w.end()).setRowCount(w.rowCount())
                .setChampionVersion(w.championVersion())
                .setFeatureSet(fs == null ? null
                        : new dev.drover.schemas.monitor.command.FeatureSetRef(fs.name(), fs.version()))
                .setDataLocation(w.dataLocation()).setChampionArtifact(w.championArtifact()).build();
    }

    private static ClosedWindow window(dev.drover.schemas.monitor.command.ClosedWindow w) {
        if (w == null) {
            return null;
        }
        var fs = w.getFeatureSet();
        return new ClosedWindow(w.getWindowId(), w.getStart(), w.getEnd(), w.getRowCount(), w.getChampionVersion(),
                fs == null ? null : new FeatureSetRef(fs.getName(), fs.getVersion()), w.getDataLocation(),
                w.getChampionArtifact());
    }
}
