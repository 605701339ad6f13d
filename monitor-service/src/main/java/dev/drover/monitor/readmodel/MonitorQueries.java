package dev.drover.monitor.readmodel;

import dev.drover.platform.readmodel.ReadModelSql;
import dev.drover.platform.readmodel.PageTokens;
import dev.drover.monitor.readmodel.DriftReportView.FeatureResultView;
import dev.drover.monitor.readmodel.DriftReportView.FeatureSetVersion;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads of the monitor's read model that its REST API needs. Lists of a model's reports, triggers, performance
 * and alerts are newest first: by the log offset of the event they came from, which orders a model's events because
 * all of them are in one partition.
 *
 * <p>What these return can lag the event log by the projector's delay (typically milliseconds); writes wait for
 * their own events with {@link ProjectionProgress#awaitProjected} before reading back.
 */
@Singleton
@Requires(property = "drover.monitor.enabled", value = "true")
public class MonitorQueries {
    /** The most items one page of a list may hold. */
    public static final int MAX_PAGE_SIZE = 1000;

    private static final String MODEL_COLUMNS = "model_name, policy::text, configured_by, configured_at, updated_at, "
            + "report_count, drifted_report_count, latest_report_id, latest_window_end, retrain_request_count, "
            + "last_retrain_report_id, last_retrain_at, bad_record_count, degraded_versions, rolled_back_versions ";
    private static final String REPORT_COLUMNS = "report_id, window_id, window_start, window_end, row_count, "
            + "champion_version, feature_set_name, feature_set_version, feature_count, drifted_feature_count, "
            + "drifted_share, threshold, dataset_drifted, bad_record_count, recorded_at, log_offset ";

    private final DataSource dataSource;

    @Inject
    MonitorQueries(@Named("monitor") DataSource dataSource, @Nullable DataSourceResolver resolver) {
        this(resolver == null ? dataSource : resolver.resolve(dataSource));
    }

    /** Reads through a plain (unproxied) data source. */
    public MonitorQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    // ---- monitored models

    public Optional<MonitorView> monitor(String model) {
        return first(query("select " + MODEL_COLUMNS + "from monitored_models where model_name = ?", List.of(model),
                MonitorQueries::monitorRow));
    }

    /** Monitored models in name order. */
    public Page<MonitorView> monitors(int limit, String pageToken) {
        checkLimit(limit);
        String after = decodeToken(pageToken, "model");
        List<Object> args = new ArrayList<>();
        String where = "";
        if (after != null) {
            where = "where model_name > ? ";
            args.add(after);
        }
        args.add(limit + 1);
        List<MonitorView> rows = query("select " + MODEL_COLUMNS + "from monitored_models " + where
                + "order by model_name limit ?", args, MonitorQueries::monitorRow);
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<MonitorView> page = rows.subList(0, limit);
        return new Page<>(page, encodeToken("model", page.get(limit - 1).model()));
    }

    private static MonitorView monitorRow(ResultSet rs) throws SQLException {
        return new MonitorView(rs.getString(1), MonitorJson.read(rs.getString(2)), rs.getString(3), instant(rs, 4),
                instant(rs, 5), rs.getLong(6), rs.getLong(7), rs.getString(8), instant(rs, 9), rs.getLong(10),
                rs.getString(11), instant(rs, 12), rs.getLong(13), integers(rs.getArray(14)),
                integers(rs.getArray(15)));
    }

    // ---- drift reports

    /** A model's drift reports, newest first, without their features. */
    public Page<DriftReportView> reports(String model, int limit, String pageToken) {
        return newestFirst("report", "select " + REPORT_COLUMNS + "from drift_reports where model_name = ?", model,
                limit, pageToken, MonitorQueries::reportRow);
    }

    /** The same page of reports, each with every feature's result (one more query for the whole page). */
    public Page<DriftReportView> reportsWithFeatures(String model, int limit, String pageToken) {
        Page<DriftReportView> page = reports(model, limit, pageToken);
        if (page.items().isEmpty()) {
            return page;
        }
        Map<String, List<FeatureResultView>> byReport = new LinkedHashMap<>();
        page.items().forEach(r -> byReport.put(r.reportId(), new java.util.ArrayList<>()));
        String marks = String.join(", ", java.util.Collections.nCopies(byReport.size(), "?"));
        query("select report_id, feature, method, statistic, p_value, threshold, drifted from feature_results "
                + "where report_id in (" + marks + ") order by report_id, position",
                new java.util.ArrayList<>(byReport.keySet()), rs -> byReport.get(rs.getString(1))
                        .add(new FeatureResultView(rs.getString(2), rs.getString(3), rs.getDouble(4),
                                nullableDouble(rs, 5), rs.getDouble(6), rs.getBoolean(7))));
        return new Page<>(page.items().stream().map(r -> r.withDetails(byReport.get(r.reportId()), null)).toList(),
                page.nextPageToken());
    }

    /** One report with every feature's result and its bad-record counts. */
    public Optional<DriftReportView> report(String model, String windowId) {
        Optional<Positioned<DriftReportView>> found = first(query("select " + REPORT_COLUMNS
                + "from drift_reports where model_name = ? and window_id = ?", List.of(model, windowId),
                MonitorQueries::reportRow));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        DriftReportView summary = found.get().item();
        List<FeatureResultView> features = query("select feature, method, statistic, p_value, threshold, drifted "
                + "from feature_results where report_id = ? order by position", List.of(summary.reportId()),
                rs -> new FeatureResultView(rs.getString(1), rs.getString(2), rs.getDouble(3), nullableDouble(rs, 4),
                        rs.getDouble(5), rs.getBoolean(6)));
        Map<String, Long> bad = new LinkedHashMap<>();
        query("select reason, count from bad_records where report_id = ? order by reason",
                List.of(summary.reportId()), rs -> bad.put(rs.getString(1), rs.getLong(2)));
        return Optional.of(summary.withDetails(features, bad));
    }

    private static Positioned<DriftReportView> reportRow(ResultSet rs) throws SQLException {
        return new Positioned<>(new DriftReportView(rs.getString(1), rs.getString(2), instant(rs, 3), instant(rs, 4),
                rs.getLong(5), rs.getInt(6), new FeatureSetVersion(rs.getString(7), rs.getInt(8)), rs.getInt(9),
                rs.getInt(10), rs.getDouble(11), rs.getDouble(12), rs.getBoolean(13), rs.getLong(14),
                instant(rs, 15), null, null), rs.getLong(16));
    }

    // ---- triggers

    /** A model's retrain requests and suppressions, newest first, each request with the runs it started. */
    public Page<TriggerView> triggers(String model, int limit, String pageToken) {
        return newestFirst("trigger", "select t.report_id, t.outcome, t.reason, t.champion_version, "
                + "t.feature_set_name, t.feature_set_version, t.last_report_id, t.cooldown_until, t.at, "
                + "(select coalesce(jsonb_agg(jsonb_build_array(r.pipeline_id, r.run_id, r.linked_at) "
                + "order by r.log_offset), '[]')::text from retrain_runs r where r.report_id = t.report_id), "
                + "t.log_offset, t.window_data::text, t.training_data::text, t.evaluation_data::text, "
                + "t.champion_artifact, t.labeled_rows, t.labels_needed, t.declined_run_id, t.declined_reason, "
                + "t.next_retrain_at from retrain_triggers t "
                + "where t.model_name = ?", model, limit, pageToken,
                MonitorQueries::triggerRow);
    }

    private static Positioned<TriggerView> triggerRow(ResultSet rs) throws SQLException {
        String setName = rs.getString(5);
        List<TriggerView.RunView> runs = new ArrayList<>();
        for (Object run : (List<?>) MonitorJson.read(rs.getString(10))) {
            List<?> r = (List<?>) run;
            runs.add(new TriggerView.RunView((String) r.get(0), (String) r.get(1),
                    OffsetDateTime.parse((String) r.get(2)).toInstant()));
        }
        return new Positioned<>(new TriggerView(rs.getString(1), rs.getString(2), rs.getString(3),
                nullableInt(rs, 4), setName == null ? null : new FeatureSetVersion(setName, rs.getInt(6)),
                rs.getString(7), instant(rs, 8), instant(rs, 9), runs, texts(rs.getString(12)),
                texts(rs.getString(13)), texts(rs.getString(14)), rs.getString(15), nullableLong(rs, 16),
                nullableLong(rs, 17), rs.getString(18) == null ? null
                : new TriggerView.Declined(rs.getString(18), rs.getString(19), instant(rs, 20))), rs.getLong(11));
    }

    private static List<String> texts(String json) {
        List<String> out = new ArrayList<>();
        if (json != null) {
            for (Object o : (List<?>) MonitorJson.read(json)) {
                out.add((String) o);
            }
        }
        return out;
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    // ---- window data

    /** Where a window's rows are kept, how many, and how many labelled rows score its predictions. */
    public Optional<WindowDataView> windowData(String model, String windowId) {
        return first(query("select r.window_id, r.data_location, r.row_count, coalesce(l.labels, 0), r.report_id "
                + "from drift_reports r left join window_labels l on l.model_name = r.model_name and l.window_id = "
                + "r.window_id where r.model_name = ? and r.window_id = ?", List.of(model, windowId),
                rs -> new WindowDataView(rs.getString(1), rs.getString(5), rs.getString(2), rs.getLong(3),
                        rs.getLong(4))));
    }

    // ---- performance

    /** A model's performance windows, newest first, each with the degradation it was judged to be, if any. */
    public Page<PerformanceView> performance(String model, int limit, String pageToken) {
        return newestFirst("performance", "select p.window_id, p.version, p.metric, p.observed, p.label_count, "
                + "p.baseline, p.at, d.direction, d.drop, d.relative_drop, d.reason, p.log_offset from performance p "
                + "left join lateral (select * from degradations d where d.model_name = p.model_name and "
                + "d.window_id = p.window_id and d.version = p.version and d.log_offset > p.log_offset "
                + "order by d.log_offset limit 1) d on true where p.model_name = ?", model, limit, pageToken,
                rs -> {
                    String direction = rs.getString(8);
                    PerformanceView.Degradation d = direction == null ? null : new PerformanceView.Degradation(
                            direction, rs.getDouble(9), nullableDouble(rs, 10), rs.getString(11));
                    return new Positioned<>(new PerformanceView(rs.getString(1), rs.getInt(2), rs.getString(3),
                            rs.getDouble(4), rs.getLong(5), rs.getDouble(6), instant(rs, 7), d), rs.getLong(12));
                }, "p.");
    }

    // ---- alerts

    /** A model's alerts, newest first. */
    public Page<AlertView> alerts(String model, int limit, String pageToken) {
        return newestFirst("alert", "select event_id, kind, message, webhooks::text, at, log_offset from alerts "
                        + "where model_name = ?", model, limit, pageToken,
                rs -> new Positioned<>(new AlertView(rs.getString(1), rs.getString(2), rs.getString(3),
                        MonitorJson.read(rs.getString(4)), instant(rs, 5)), rs.getLong(6)));
    }

    // ---- plumbing

    /** A list read with bad paging arguments; the message says what was wrong and what is allowed. */
    public static final class InvalidQueryException extends IllegalArgumentException {
        public InvalidQueryException(String message) {
            super(message);
        }
    }

    /** A row and the log offset of the event it came from: where the next page starts. */
    private record Positioned<T>(T item, long offset) {
    }

    private <T> Page<T> newestFirst(String kind, String select, String model, int limit, String pageToken,
                                    ReadModelSql.Row<Positioned<T>> row) {
        return newestFirst(kind, select, model, limit, pageToken, row, "");
    }

    /** {@code select} ends in a where clause on the model; {@code alias} qualifies its log_offset column. */
    private <T> Page<T> newestFirst(String kind, String select, String model, int limit, String pageToken,
                                    ReadModelSql.Row<Positioned<T>> row, String alias) {
        checkLimit(limit);
        String before = decodeToken(pageToken, kind);
        List<Object> args = new ArrayList<>(List.of(model));
        StringBuilder sql = new StringBuilder(select);
        if (before != null) {
            try {
                args.add(Long.parseLong(before));
            } catch (NumberFormatException e) {
                throw badToken();
            }
            sql.append(" and ").append(alias).append("log_offset < ?");
        }
        sql.append(" order by ").append(alias).append("log_offset desc limit ?");
        args.add(limit + 1);
        List<Positioned<T>> rows = query(sql.toString(), args, row);
        List<T> items = new ArrayList<>();
        for (int i = 0; i < Math.min(limit, rows.size()); i++) {
            items.add(rows.get(i).item());
        }
        String next = rows.size() > limit ? encodeToken(kind, Long.toString(rows.get(limit - 1).offset())) : null;
        return new Page<>(items, next);
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new InvalidQueryException("limit must be between 1 and " + MAX_PAGE_SIZE + ", not " + limit);
        }
    }

    private static String encodeToken(String kind, String value) {
        return PageTokens.encode(kind, value);
    }

    private static String decodeToken(String token, String kind) {
        try {
            return PageTokens.decode(token, kind);
        } catch (IllegalArgumentException e) {
            throw badToken();
        }
    }

    private static InvalidQueryException badToken() {
        return new InvalidQueryException(PageTokens.INVALID);
    }

    private static List<Integer> integers(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        try {
            return List.of((Integer[]) array.getArray());
        } finally {
            array.free();
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private <T> List<T> query(String sql, List<Object> args, ReadModelSql.Row<T> row) {
        return ReadModelSql.query(dataSource, "monitor read model", sql, args, row);
    }
}
