package dev.drover.scheduler.api;

import dev.drover.platform.readmodel.ReadModelSql;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import io.micronaut.jdbc.DataSourceResolver;
import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of the scheduler's read models for the REST API. Results are plain maps in the documented response shape
 * (docs/api.md); they can lag the event log by the projector's delay (typically milliseconds).
 */
@Singleton
@Requires(property = "drover.scheduler.enabled", value = "true")
public class SchedulerQueries {
    private final DataSource dataSource;

    SchedulerQueries(@Named("scheduler") DataSource dataSource, DataSourceResolver resolver) {
        this.dataSource = resolver.resolve(dataSource);
    }

    public List<Map<String, Object>> pipelines() {
        return query("select p.pipeline_id, p.latest_revision, p.description, p.created_at, p.updated_at, "
                + "(select count(*) from runs r where r.pipeline_id = p.pipeline_id) as runs "
                + "from pipelines p order by p.pipeline_id", List.of(), this::pipelineRow);
    }

    /**
     * Every pipeline with what a list page shows of it: the statuses of its {@code recent} latest runs (newest first),
     * how many of its runs are running and failed, and whether it is paused. One query per part, each by an index,
     * so the page costs the same with a long history.
     */
    public List<Map<String, Object>> pipelineOverview(int recent) {
        List<Map<String, Object>> rows = query("select p.pipeline_id, p.latest_revision, p.description, p.created_at, "
                + "p.updated_at, coalesce(s.paused, false) from pipelines p left join pipeline_scheduling s "
                + "on s.pipeline_id = p.pipeline_id order by p.pipeline_id", List.of(), rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", rs.getString(1));
            m.put("latestRevision", rs.getInt(2));
            m.put("description", rs.getString(3));
            m.put("createdAt", iso(rs.getTimestamp(4)));
            m.put("updatedAt", iso(rs.getTimestamp(5)));
            m.put("paused", rs.getBoolean(6));
            m.put("recentRuns", new ArrayList<Map<String, Object>>());
            m.put("runningRuns", 0L);
            m.put("failedRuns", 0L);
            return m;
        });
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        rows.forEach(r -> byId.put((String) r.get("id"), r));
        query("select p.pipeline_id, r.run_id, r.status, r.started_at from pipelines p cross join lateral "
                + "(select run_id, status, started_at from runs where runs.pipeline_id = p.pipeline_id "
                + "order by started_at desc, run_id desc limit ?) r", List.of(recent), rs -> {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("runId", rs.getString(2));
            run.put("status", rs.getString(3));
            run.put("startedAt", iso(rs.getTimestamp(4)));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> runs = (List<Map<String, Object>>) byId.get(rs.getString(1)).get("recentRuns");
            runs.add(run);
            return run;
        });
        query("select pipeline_id, status, count(*) from runs where status in ('RUNNING', 'FAILED') "
                + "group by pipeline_id, status", List.of(), rs -> {
            Map<String, Object> p = byId.get(rs.getString(1));
            if (p != null) {
                p.put("RUNNING".equals(rs.getString(2)) ? "runningRuns" : "failedRuns", rs.getLong(3));
            }
            return p;
        });
        return rows;
    }

    /**
     * The grid of a pipeline (Airflow's grid view): its {@code limit} latest runs, newest first, each with the status
     * and attempt of every task it has, and the task ids in the order of the latest revision (then any task only
     * older runs had).
     */
    public Map<String, Object> grid(String pipelineId, int limit) {
        List<Map<String, Object>> runs = query("select run_id, status, started_at, finished_at, trigger, revision "
                + "from runs where pipeline_id = ? order by started_at desc, run_id desc limit ?",
                List.of(pipelineId, limit), rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runId", rs.getString(1));
            m.put("status", rs.getString(2));
            m.put("startedAt", iso(rs.getTimestamp(3)));
            m.put("finishedAt", iso(rs.getTimestamp(4)));
            m.put("trigger", rs.getString(5));
            m.put("revision", rs.getInt(6));
            m.put("tasks", new LinkedHashMap<String, Map<String, Object>>());
            return m;
        });
        Map<String, Map<String, Object>> byRun = new LinkedHashMap<>();
        runs.forEach(r -> byRun.put((String) r.get("runId"), r));
        java.util.LinkedHashSet<String> taskIds = new java.util.LinkedHashSet<>();
        query("select t.task->>'id' from pipelines p join pipeline_revisions r on r.pipeline_id = p.pipeline_id "
                + "and r.revision = p.latest_revision, jsonb_array_elements(r.spec->'tasks') with ordinality "
                + "t(task, n) where p.pipeline_id = ? order by t.n", List.of(pipelineId),
                rs -> taskIds.add(rs.getString(1)));
        if (!runs.isEmpty()) {
            String marks = String.join(", ", java.util.Collections.nCopies(byRun.size(), "?"));
            query("select run_id, task_id, status, attempt from task_runs where run_id in (" + marks + ") "
                    + "order by run_id, position", new ArrayList<>(byRun.keySet()), rs -> {
                Map<String, Object> cell = new LinkedHashMap<>();
                cell.put("status", rs.getString(3));
                cell.put("attempt", rs.getInt(4));
                taskIds.add(rs.getString(2));
                @SuppressWarnings("unchecked")
                Map<String, Object> tasks = (Map<String, Object>) byRun.get(rs.getString(1)).get("tasks");
                tasks.put(rs.getString(2), cell);
                return cell;
            });
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pipelineId", pipelineId);
        out.put("taskIds", new ArrayList<>(taskIds));
        out.put("runs", runs);
        return out;
    }

    public Optional<Map<String, Object>> pipeline(String pipelineId) {
        return query("select p.pipeline_id, p.latest_revision, p.description, p.created_at, p.updated_at, "
                + "(select count(*) from runs r where r.pipeline_id = p.pipeline_id) as runs "
                + "from pipelines p where p.pipeline_id = ?", List.of(pipelineId), this::pipelineRow)
                .stream().findFirst();
    }

    private Map<String, Object> pipelineRow(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getString(1));
        m.put("latestRevision", rs.getInt(2));
        m.put("description", rs.getString(3));
        m.put("createdAt", iso(rs.getTimestamp(4)));
        m.put("updatedAt", iso(rs.getTimestamp(5)));
        m.put("runs", rs.getLong(6));
        return m;
    }

    public List<Map<String, Object>> revisions(String pipelineId) {
        return query("select revision, spec_hash, registered_by, registered_at, spec::text from pipeline_revisions "
                + "where pipeline_id = ? order by revision", List.of(pipelineId), rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("revision", rs.getInt(1));
            m.put("specHash", rs.getString(2));
            m.put("registeredBy", rs.getString(3));
            m.put("registeredAt", iso(rs.getTimestamp(4)));
            m.put("spec", Json.parse(rs.getString(5)));
            return m;
        });
    }

    private static final String RUN_COLUMNS = "run_id, pipeline_id, revision, status, parameters::text, trigger, "
            + "requested_by, started_at, finished_at, reason, logical_date, data_interval_start, data_interval_end, "
            + "backfill_id";

    public List<Map<String, Object>> runs(String pipelineId, String status, int limit) {
        StringBuilder sql = new StringBuilder("select " + RUN_COLUMNS + " from runs where true");
        List<Object> args = new ArrayList<>();
        if (pipelineId != null) {
            sql.append(" and pipeline_id = ?");
            args.add(pipelineId);
        }
        if (status != null) {
            sql.append(" and status = ?");
            args.add(status);
        }
        sql.append(" order by started_at desc, run_id desc limit ?");
        args.add(limit);
        return query(sql.toString(), args, this::runRow);
    }

    public Optional<Map<String, Object>> run(String runId) {
        Optional<Map<String, Object>> run = query("select " + RUN_COLUMNS + " from runs where run_id = ?", List.of(runId),
                this::runRow).stream().findFirst();
        run.ifPresent(r -> r.put("tasks", tasks(runId)));
        run.ifPresent(this::addDeadlines);
        return run;
    }

    private Map<String, Object> runRow(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", rs.getString(1));
        m.put("pipelineId", rs.getString(2));
        m.put("revision", rs.getInt(3));
        m.put("status", rs.getString(4));
        m.put("parameters", Json.parse(rs.getString(5)));
        m.put("trigger", rs.getString(6));
        m.put("requestedBy", rs.getString(7));
        m.put("startedAt", iso(rs.getTimestamp(8)));
        m.put("finishedAt", iso(rs.getTimestamp(9)));
        m.put("reason", rs.getString(10));
        Timestamp start = rs.getTimestamp(8);
        Timestamp end = rs.getTimestamp(9);
        m.put("durationMs", start != null && end != null ? end.getTime() - start.getTime() : null);
        // scheduled and backfilled runs: the interval they cover (Airflow's logical date and data interval)
        m.put("logicalDate", iso(rs.getTimestamp(11)));
        m.put("dataIntervalStart", iso(rs.getTimestamp(12)));
        m.put("dataIntervalEnd", iso(rs.getTimestamp(13)));
        m.put("backfillId", rs.getString(14));
        return m;
    }

    private List<Map<String, Object>> tasks(String runId) {
        List<Map<String, Object>> tasks = query("select task_id, status, attempt, map_index from task_runs "
                + "where run_id = ? order by position, map_index nulls first", List.of(runId), rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("taskId", rs.getString(1));
            m.put("status", rs.getString(2));
            m.put("attempt", rs.getInt(3));
            int mapIndex = rs.getInt(4);
            if (!rs.wasNull()) {
                // an instance of a mapped task: its id is <task>[<mapIndex>]
                m.put("mapIndex", mapIndex);
            }
            m.put("attempts", new ArrayList<Map<String, Object>>());
            return m;
        });
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        tasks.forEach(t -> byId.put((String) t.get("taskId"), t));
        query("select task_id, attempt, status, type, queue, executor_id, dispatched_at, started_at, finished_at, "
                + "exit_code, message, outputs::text, config::text from task_attempts where run_id = ? "
                + "order by task_id, attempt", List.of(runId), rs -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("attempt", rs.getInt(2));
            a.put("status", rs.getString(3));
            a.put("type", rs.getString(4));
            a.put("queue", rs.getString(5));
            a.put("executorId", rs.getString(6));
            a.put("dispatchedAt", iso(rs.getTimestamp(7)));
            a.put("startedAt", iso(rs.getTimestamp(8)));
            a.put("finishedAt", iso(rs.getTimestamp(9)));
            Timestamp s = rs.getTimestamp(8);
            Timestamp f = rs.getTimestamp(9);
            a.put("durationMs", s != null && f != null ? f.getTime() - s.getTime() : null);
            int exit = rs.getInt(10);
            a.put("exitCode", rs.wasNull() ? null : exit);
            a.put("message", rs.getString(11));
            a.put("outputs", Json.parse(rs.getString(12)));
            a.put("config", Json.parse(rs.getString(13)));
            Map<String, Object> task = byId.get(rs.getString(1));
            if (task != null) {
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> attempts = (List<Map<String, Object>>) task.get("attempts");
                attempts.add(a);
            }
            return a;
        });
        return tasks;
    }

    public List<Map<String, Object>> events(String runId) {
        return query("select event_id, type, at, task_id, attempt, causation_id, detail, partition_no, log_offset, "
                + "requested_by from scheduler_events where run_id = ? "
                // the story in time order; the run's own partition first on a tie (what other partitions decide
                // about a run — a pool's grant — is caused by it), and log order within a partition
                + "order by at, case when partition_no = (select min(partition_no) from scheduler_events "
                + "where run_id = ? and type in ('RunStarted', 'RunQueued')) then 0 else 1 end, partition_no, "
                + "log_offset",
                List.of(runId, runId), rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("eventId", rs.getString(1));
            m.put("type", rs.getString(2));
            m.put("at", iso(rs.getTimestamp(3)));
            m.put("taskId", rs.getString(4));
            int attempt = rs.getInt(5);
            m.put("attempt", rs.wasNull() ? null : attempt);
            m.put("causationId", rs.getString(6));
            m.put("detail", rs.getString(7));
            m.put("position", rs.getInt(8) + ":" + rs.getLong(9));
            m.put("requestedBy", rs.getString(10));
            return m;
        });
    }

    public List<Map<String, Object>> logs(String runId, String taskId, int attempt, long afterSeq, int limit) {
        return query("select seq, ts, stream, line from task_logs where run_id = ? and task_id = ? and attempt = ? "
                + "and seq > ? order by seq limit ?", List.of(runId, taskId, attempt, afterSeq, limit), rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", rs.getLong(1));
            m.put("at", iso(rs.getTimestamp(2)));
            m.put("stream", rs.getString(3));
            m.put("line", rs.getString(4));
            return m;
        });
    }

    /** When the run and each of its tasks missed their deadlines (null: not missed, or none set). */
    private void addDeadlines(Map<String, Object> run) {
        String runId = (String) run.get("runId");
        run.put("deadlineMissedAt", query("select deadline_missed_at from runs where run_id = ?", List.of(runId),
                rs -> iso(rs.getTimestamp(1))).stream().filter(java.util.Objects::nonNull).findFirst().orElse(null));
        Map<String, String> tasks = new LinkedHashMap<>();
        query("select task_id, deadline_missed_at from task_runs where run_id = ? and deadline_missed_at is not null",
                List.of(runId), rs -> tasks.put(rs.getString(1), iso(rs.getTimestamp(2))));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> taskRows = (List<Map<String, Object>>) run.get("tasks");
        taskRows.forEach(t -> t.put("deadlineMissedAt", tasks.get((String) t.get("taskId"))));
    }

    /** The events a write with this command id ({@code Idempotency-Key}) caused, if it was decided already. */
    public List<Map<String, Object>> eventsCausedBy(String commandId) {
        return query("select event_id, type, run_id, task_id, detail, partition_no, log_offset from scheduler_events "
                + "where causation_id = ? order by partition_no, log_offset", List.of(commandId), rs -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("eventId", rs.getString(1));
            m.put("type", rs.getString(2));
            m.put("runId", rs.getString(3));
            m.put("taskId", rs.getString(4));
            m.put("detail", rs.getString(5));
            m.put("position", rs.getInt(6) + ":" + rs.getLong(7));
            return m;
        });
    }

    /** The latest attempt number of a task, if it ever ran. */
    /** Whether the task of the run has (or had) this attempt. */
    public boolean attemptExists(String runId, String taskId, int attempt) {
        return !query("select 1 from task_attempts where run_id = ? and task_id = ? and attempt = ?",
                List.of(runId, taskId, attempt), rs -> true).isEmpty();
    }

    public Optional<Integer> latestAttempt(String runId, String taskId) {
        return query("select max(attempt) from task_attempts where run_id = ? and task_id = ?",
                List.of(runId, taskId), rs -> {
                    int a = rs.getInt(1);
                    return rs.wasNull() ? null : a;
                }).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    private <T> List<T> query(String sql, List<Object> args, ReadModelSql.Row<T> row) {
        return ReadModelSql.query(dataSource, "read model", sql, args, row);
    }

    private static String iso(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }
}
