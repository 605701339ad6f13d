package dev.drover.scheduler.api;

import dev.drover.platform.readmodel.ReadModelSql;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.PipelineSpecs;
import dev.drover.scheduler.pipeline.Schedule;
import dev.drover.scheduler.schedule.ScheduleClock;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of the scheduling read models (V5): a pipeline's schedule, pause state and next run time, its skipped
 * intervals, and its backfills. Like every read, they can lag the log by the projector's delay.
 */
@Singleton
@Requires(property = "drover.scheduler.enabled", value = "true")
public class SchedulingQueries {
    private final DataSource dataSource;

    SchedulingQueries(@Named("scheduler") DataSource dataSource, DataSourceResolver resolver) {
        this.dataSource = resolver.resolve(dataSource);
    }

    /** {@code schedule}, {@code maxActiveRuns}, {@code paused} (+ who, when, why) and {@code nextRunAt}. */
    public Map<String, Object> summary(String pipelineId) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> specs = query("select spec::text from pipeline_revisions where pipeline_id = ? "
                + "order by revision desc limit 1", List.of(pipelineId), rs -> rs.getString(1));
        if (specs.isEmpty()) {
            return out;
        }
        PipelineSpec spec = PipelineSpecs.fromJson(specs.get(0));
        Schedule schedule = spec.options().schedule();
        List<Object[]> rows = query("select paused, paused_by, paused_at, pause_reason, schedule_cursor, "
                + "scheduled_since from pipeline_scheduling where pipeline_id = ?", List.of(pipelineId), rs ->
                new Object[]{rs.getBoolean(1), rs.getString(2), instant(rs.getTimestamp(3)), rs.getString(4),
                        instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6))});
        Object[] row = rows.isEmpty() ? new Object[]{false, null, null, null, null, null} : rows.get(0);
        out.put("paused", row[0]);
        out.put("pausedBy", row[1]);
        out.put("pausedAt", row[2] == null ? null : row[2].toString());
        out.put("pauseReason", row[3]);
        if (schedule != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("cron", schedule.cron());
            s.put("timezone", schedule.timezone());
            s.put("startDate", schedule.startDate() == null ? null : schedule.startDate().toString());
            s.put("endDate", schedule.endDate() == null ? null : schedule.endDate().toString());
            s.put("catchup", schedule.catchup());
            s.put("maxCatchupRuns", schedule.maxCatchupRuns());
            out.put("schedule", s);
            Instant since = row[5] != null ? (Instant) row[5] : Instant.now();
            Instant next = ScheduleClock.nextDue(schedule, (Instant) row[4], since);
            out.put("nextRunAt", next == null ? null : next.toString());
        } else {
            out.put("schedule", null);
            out.put("nextRunAt", null);
        }
        out.put("maxActiveRuns", spec.options().maxActiveRuns());
        return out;
    }

    public List<Map<String, Object>> skipped(String pipelineId, int limit) {
        return query("select run_id, logical_date, data_interval_end, backfill_id, reason, at from skipped_intervals "
                + "where pipeline_id = ? order by at desc, logical_date desc limit ?", List.of(pipelineId, limit), rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runId", rs.getString(1));
            m.put("logicalDate", iso(rs.getTimestamp(2)));
            m.put("dataIntervalEnd", iso(rs.getTimestamp(3)));
            m.put("backfillId", rs.getString(4));
            m.put("reason", rs.getString(5));
            m.put("at", iso(rs.getTimestamp(6)));
            return m;
        });
    }

    public List<Map<String, Object>> backfills(String pipelineId) {
        return query(BACKFILL + " where pipeline_id = ? order by requested_at desc", List.of(pipelineId),
                this::backfillRow);
    }

    public Optional<Map<String, Object>> backfill(String pipelineId, String backfillId) {
        return query(BACKFILL + " where pipeline_id = ? and backfill_id = ?", List.of(pipelineId, backfillId),
                this::backfillRow).stream().findFirst();
    }

    private static final String BACKFILL = "select backfill_id, pipeline_id, range_start, range_end, max_concurrency, "
            + "parameters::text, intervals, runs_started, intervals_skipped, runs_succeeded, runs_failed, status, "
            + "reason, requested_by, requested_at, finished_at, (select count(*) from runs r where r.backfill_id = "
            + "b.backfill_id and r.status = 'RUNNING') from backfills b";

    private Map<String, Object> backfillRow(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backfillId", rs.getString(1));
        m.put("pipelineId", rs.getString(2));
        m.put("start", iso(rs.getTimestamp(3)));
        m.put("end", iso(rs.getTimestamp(4)));
        m.put("maxConcurrency", rs.getInt(5));
        m.put("parameters", Json.parse(rs.getString(6)));
        m.put("intervals", rs.getInt(7));
        m.put("runsStarted", rs.getInt(8));
        m.put("intervalsSkipped", rs.getInt(9));
        m.put("runsSucceeded", rs.getInt(10));
        m.put("runsFailed", rs.getInt(11));
        m.put("runsActive", rs.getLong(17));
        m.put("status", rs.getString(12));
        m.put("reason", rs.getString(13));
        m.put("requestedBy", rs.getString(14));
        m.put("requestedAt", iso(rs.getTimestamp(15)));
        m.put("finishedAt", iso(rs.getTimestamp(16)));
        return m;
    }

    private <T> List<T> query(String sql, List<Object> args, ReadModelSql.Row<T> row) {
        return ReadModelSql.query(dataSource, "read model", sql, args, row);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String iso(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }
}
