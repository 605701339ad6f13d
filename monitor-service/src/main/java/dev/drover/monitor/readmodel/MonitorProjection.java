package dev.drover.monitor.readmodel;

import dev.drover.monitor.core.FeatureResult;
import dev.drover.monitor.core.MonitorEvent;
import dev.drover.monitor.core.MonitorEvent.AlertRaised;
import dev.drover.monitor.core.MonitorEvent.DegradationDetected;
import dev.drover.monitor.core.MonitorEvent.DriftReportRecorded;
import dev.drover.monitor.core.MonitorEvent.MonitorCommandRejected;
import dev.drover.monitor.core.MonitorEvent.MonitoringConfigured;
import dev.drover.monitor.core.MonitorEvent.PerformanceRecorded;
import dev.drover.monitor.core.MonitorEvent.RetrainAwaitingLabels;
import dev.drover.monitor.core.MonitorEvent.RetrainRequested;
import dev.drover.monitor.core.MonitorEvent.RetrainRunLinked;
import dev.drover.monitor.core.MonitorEvent.RetrainSuppressed;
import dev.drover.monitor.core.MonitorEvent.RollbackRequested;
import dev.drover.monitor.wire.EventEnvelope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Applies monitor events to the read model's tables ({@code db/monitor/V1__monitor_read_model.sql}): the one place
 * where the tables change, live and during a rebuild alike.
 *
 * <p>Each call works through the caller's connection, inside the caller's transaction, so that the projector can
 * commit a batch of events together with the log offsets they reached. Applying an event twice is harmless: every
 * event is first recorded in {@code monitor_events} by its id, and an event found there is not applied again.
 *
 * <p>Stateless and thread-safe.
 */
public final class MonitorProjection {

    /** Every table of the read model, emptied together by a rebuild. */
    public static final List<String> TABLES = List.of("feature_results", "bad_records", "drift_reports",
            "retrain_triggers", "retrain_runs", "performance", "degradations", "rollbacks", "alerts",
            "monitored_models", "monitor_events", "projection_offsets", "window_labels");

    /**
     * Applies one event that sits at {@code offset} of events partition {@code partition}.
     *
     * @return false if the event was in the read model already (nothing was changed)
     */
    public boolean apply(Connection conn, EventEnvelope envelope, int partition, long offset) throws SQLException {
        MonitorEvent event = envelope.event();
        Sql sql = new Sql(conn);
        boolean recorded = sql.update("insert into monitor_events (event_id, model_name, log_partition, log_offset, "
                        + "type, causation_id, correlation_id, at, payload) values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) "
                        + "on conflict (event_id) do nothing", envelope.eventId(), event.modelName(), partition,
                offset, event.getClass().getSimpleName(), envelope.causationId(), envelope.correlationId(),
                time(envelope.at()), MonitorJson.write(event)) == 1;
        if (recorded) {
            applyEvent(sql, envelope.eventId(), event, offset);
        }
        return recorded;
    }

    private static void applyEvent(Sql sql, String eventId, MonitorEvent event, long offset) throws SQLException {
        String model = event.modelName();
        if (event instanceof MonitoringConfigured e) {
            sql.update("insert into monitored_models (model_name, policy, configured_by, configured_at, updated_at) "
                            + "values (?, ?::jsonb, ?, ?, ?) on conflict (model_name) do update set policy = "
                            + "excluded.policy, configured_by = excluded.configured_by, updated_at = excluded.updated_at",
                    model, MonitorJson.write(MonitorJson.policy(e.policy())), e.by(), time(e.at()), time(e.at()));
        } else if (event instanceof DriftReportRecorded e) {
            long drifted = e.results().stream().filter(FeatureResult::drifted).count();
            long bad = e.badRecords().values().stream().mapToLong(Long::longValue).sum();
            sql.update("insert into drift_reports (report_id, model_name, window_id, window_start, window_end, "
                            + "row_count, champion_version, feature_set_name, feature_set_version, feature_count, "
                            + "drifted_feature_count, drifted_share, threshold, dataset_drifted, bad_record_count, "
                            + "recorded_at, log_offset, data_location, champion_artifact) values (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                            + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    e.reportId(), model, e.window().windowId(), time(e.window().start()), time(e.window().end()),
                    e.window().rowCount(), e.window().championVersion(), e.window().featureSet().name(),
                    e.window().featureSet().version(), e.results().size(), (int) drifted, e.driftedShare(),
                    e.threshold(), e.datasetDrifted(), bad, time(e.at()), offset, e.window().dataLocation(),
                    e.window().championArtifact());
            int position = 0;
            for (FeatureResult r : e.results()) {
                sql.update("insert into feature_results (report_id, position, feature, method, statistic, p_value, "
                                + "threshold, drifted) values (?, ?, ?, ?, ?, ?, ?, ?)", e.reportId(), position++,
                        r.feature(), r.method(), r.statistic(), r.pValue(), r.threshold(), r.drifted());
            }
            for (Map.Entry<String, Long> b : e.badRecords().entrySet()) {
                sql.update("insert into bad_records (report_id, reason, count) values (?, ?, ?)", e.reportId(),
                        b.getKey(), b.getValue());
            }
            sql.update("update monitored_models set report_count = report_count + 1, drifted_report_count = "
                            + "drifted_report_count + ?, latest_report_id = ?, latest_window_end = ?, bad_record_count "
                            + "= bad_record_count + ? where model_name = ?", e.datasetDrifted() ? 1 : 0, e.reportId(),
                    time(e.window().end()), bad, model);
        } else if (event instanceof RetrainRequested e) {
            // a retrain that waited for labels was AWAITING_LABELS under the same report: it is requested now
            sql.update("insert into retrain_triggers (report_id, model_name, outcome, reason, champion_version, "
                            + "feature_set_name, feature_set_version, at, log_offset, window_data, training_data, "
                            + "evaluation_data, champion_artifact) values (?, ?, 'REQUESTED', ?, ?, ?, ?, ?, ?, "
                            + "?::jsonb, ?::jsonb, ?::jsonb, ?) on conflict (report_id) do update set outcome = "
                            + "'REQUESTED', champion_version = excluded.champion_version, feature_set_name = "
                            + "excluded.feature_set_name, feature_set_version = excluded.feature_set_version, at = "
                            + "excluded.at, log_offset = excluded.log_offset, window_data = excluded.window_data, "
                            + "training_data = excluded.training_data, evaluation_data = excluded.evaluation_data, "
                            + "champion_artifact = excluded.champion_artifact", e.reportId(), model, e.reason(),
                    e.championVersion(), e.featureSet() == null ? null : e.featureSet().name(),
                    e.featureSet() == null ? null : e.featureSet().version(), time(e.at()), offset,
                    MonitorJson.write(e.windowData()), MonitorJson.write(e.trainingData()),
                    MonitorJson.write(e.evaluationData()), e.championArtifact());
            sql.update("update monitored_models set retrain_request_count = retrain_request_count + 1, "
                    + "last_retrain_report_id = ?, last_retrain_at = ? where model_name = ?", e.reportId(),
                    time(e.at()), model);
        } else if (event instanceof MonitorEvent.RetrainDeclined e) {
            sql.update("update retrain_triggers set declined_run_id = ?, declined_reason = ?, next_retrain_at = ? "
                    + "where report_id = ?", e.runId(), e.reason(), time(e.nextRetrainAt()), e.reportId());
        } else if (event instanceof RetrainAwaitingLabels e) {
            sql.update("insert into retrain_triggers (report_id, model_name, outcome, reason, labeled_rows, "
                            + "labels_needed, at, log_offset) values (?, ?, 'AWAITING_LABELS', ?, ?, ?, ?, ?)",
                    e.reportId(), model, e.reason(), e.labeledRows(), e.needed(), time(e.at()), offset);
        } else if (event instanceof RetrainSuppressed e) {
            sql.update("insert into retrain_triggers (report_id, model_name, outcome, last_report_id, cooldown_until, "
                            + "at, log_offset) values (?, ?, 'SUPPRESSED', ?, ?, ?, ?)", e.reportId(), model,
                    e.lastReportId(), time(e.cooldownUntil()), time(e.at()), offset);
        } else if (event instanceof RetrainRunLinked e) {
            sql.update("insert into retrain_runs (report_id, pipeline_id, run_id, linked_at, log_offset) "
                            + "values (?, ?, ?, ?, ?) on conflict do nothing", e.reportId(), e.pipelineId(), e.runId(),
                    time(e.at()), offset);
        } else if (event instanceof PerformanceRecorded e) {
            sql.update("insert into performance (event_id, model_name, window_id, version, metric, observed, "
                            + "label_count, baseline, at, log_offset, labeled_data_location) values (?, ?, ?, ?, ?, ?, "
                            + "?, ?, ?, ?, ?)", eventId, model, e.windowId(), e.version(), e.metric(), e.observed(),
                    e.labelCount(), e.baseline(), time(e.at()), offset, e.labeledDataLocation());
            for (Map.Entry<String, Long> w : e.labelsByWindow().entrySet()) {
                sql.update("insert into window_labels (model_name, window_id, labels) values (?, ?, ?) on conflict "
                        + "(model_name, window_id) do update set labels = window_labels.labels + excluded.labels",
                        model, w.getKey(), w.getValue());
            }
        } else if (event instanceof DegradationDetected e) {
            sql.update("insert into degradations (event_id, model_name, window_id, version, metric, direction, "
                            + "observed, baseline, drop, relative_drop, reason, at, log_offset) values (?, ?, ?, ?, ?, "
                            + "?, ?, ?, ?, ?, ?, ?, ?)", eventId, model, e.windowId(), e.version(), e.metric(),
                    e.direction().name(), e.observed(), e.baseline(), e.drop(), e.relativeDrop(), e.reason(),
                    time(e.at()), offset);
            sql.update("update monitored_models set degraded_versions = case when ? = any(degraded_versions) then "
                    + "degraded_versions else array_append(degraded_versions, ?) end where model_name = ?",
                    e.version(), e.version(), model);
        } else if (event instanceof RollbackRequested e) {
            sql.update("insert into rollbacks (event_id, model_name, from_version, reason, at, log_offset) "
                    + "values (?, ?, ?, ?, ?, ?)", eventId, model, e.fromVersion(), e.reason(), time(e.at()),
                    offset);
            sql.update("update monitored_models set rolled_back_versions = case when ? = any(rolled_back_versions) "
                    + "then rolled_back_versions else array_append(rolled_back_versions, ?) end where model_name = ?",
                    e.fromVersion(), e.fromVersion(), model);
        } else if (event instanceof AlertRaised e) {
            sql.update("insert into alerts (event_id, model_name, kind, message, webhooks, at, log_offset) "
                    + "values (?, ?, ?, ?, ?::jsonb, ?, ?)", eventId, model, e.kind().name(), e.message(),
                    MonitorJson.write(MonitorJson.webhooks(e.webhooks())), time(e.at()), offset);
        } else if (event instanceof MonitorCommandRejected) {
            return; // part of the history (monitor_events) only
        } else {
            throw new IllegalArgumentException("the monitor read model does not project "
                    + event.getClass().getSimpleName() + " yet: add it to MonitorProjection");
        }
    }

    static OffsetDateTime time(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    /** Positional parameters, nulls typed as the driver needs. */
    private static final class Sql {
        private final Connection conn;

        Sql(Connection conn) {
            this.conn = conn;
        }

        int update(String statement, Object... args) throws SQLException {
            try (PreparedStatement ps = conn.prepareStatement(statement)) {
                for (int i = 0; i < args.length; i++) {
                    if (args[i] == null) {
                        ps.setNull(i + 1, Types.NULL);
                    } else {
                        ps.setObject(i + 1, args[i]);
                    }
                }
                return ps.executeUpdate();
            }
        }
    }
}
