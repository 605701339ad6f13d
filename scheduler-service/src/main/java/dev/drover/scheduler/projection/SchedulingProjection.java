package dev.drover.scheduler.projection;

import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.core.SchedulerEvent.BackfillFinished;
import dev.drover.scheduler.core.SchedulerEvent.BackfillIntervalSkipped;
import dev.drover.scheduler.core.SchedulerEvent.BackfillRequested;
import dev.drover.scheduler.core.SchedulerEvent.PipelinePaused;
import dev.drover.scheduler.core.SchedulerEvent.PipelineRegistered;
import dev.drover.scheduler.core.SchedulerEvent.PipelineResumed;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.RunQueued;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.core.SchedulerEvent.ScheduledRunSkipped;
import dev.drover.scheduler.core.RunStatus;
import dev.drover.scheduler.schedule.DataInterval;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Projects schedules, pause, queued runs and backfills into {@code pipeline_scheduling}, {@code skipped_intervals},
 * {@code backfills} and the interval columns of {@code runs} (migration V5). Called by {@link ReadModelProjector} for
 * every event, in the same transaction.
 */
final class SchedulingProjection {
    /** Tables emptied on a rebuild. */
    /** Runs one SQL statement with arguments. */
    interface Sql {
        void exec(String sql, Object... args) throws SQLException;
    }

    private SchedulingProjection() {
    }

    /** Projects the event; returns a one-line detail for the event history, or null. */
    static String project(Sql sql, SchedulerEvent event, Instant at) throws SQLException {
        if (event instanceof PipelineRegistered e) {
            boolean scheduled = e.spec().options().schedule() != null;
            sql.exec("insert into pipeline_scheduling (pipeline_id, scheduled_since) values (?, ?) "
                    + "on conflict (pipeline_id) do update set scheduled_since = case when ? then "
                    + "coalesce(pipeline_scheduling.scheduled_since, excluded.scheduled_since) else null end, "
                    + "schedule_cursor = case when ? then pipeline_scheduling.schedule_cursor else null end",
                    e.pipelineId(), scheduled ? ts(at) : null, scheduled, scheduled);
            return null;
        } else if (event instanceof RunStarted e) {
            // a run that was queued has its row; it starts now
            sql.exec("update runs set status = 'RUNNING', started_at = ? where run_id = ? and status = 'QUEUED'",
                    ts(at), e.runId());
            interval(sql, e.runId(), e.interval(), e.backfillId());
            if (e.backfillId() != null) {
                sql.exec("update backfills set runs_started = runs_started + 1 where backfill_id = ?", e.backfillId());
            } else if ("schedule".equals(e.trigger()) && e.interval() != null) {
                cursor(sql, e.pipelineId(), e.interval());
            }
            return e.interval() == null ? null : "logical date " + e.interval().start();
        } else if (event instanceof RunQueued e) {
            sql.exec("insert into runs (run_id, pipeline_id, revision, status, parameters, trigger, requested_by, "
                            + "started_at) values (?, ?, ?, 'QUEUED', ?::jsonb, ?, ?, ?) on conflict do nothing",
                    e.runId(), e.pipelineId(), e.revision(), json(e.parameters()), e.trigger(),
                    e.requestedBy(), ts(at));
            interval(sql, e.runId(), e.interval(), null);
            if ("schedule".equals(e.trigger()) && e.interval() != null) {
                cursor(sql, e.pipelineId(), e.interval());
            }
            return e.reason();
        } else if (event instanceof RunFinished e) {
            String column = e.status() == RunStatus.SUCCEEDED ? "runs_succeeded" : "runs_failed";
            sql.exec("update backfills set " + column + " = " + column + " + 1 where backfill_id = "
                    + "(select backfill_id from runs where run_id = ?)", e.runId());
            return null;
        } else if (event instanceof PipelinePaused e) {
            sql.exec("insert into pipeline_scheduling (pipeline_id, paused, paused_by, paused_at, pause_reason) "
                    + "values (?, true, ?, ?, ?) on conflict (pipeline_id) do update set paused = true, "
                    + "paused_by = excluded.paused_by, paused_at = excluded.paused_at, "
                    + "pause_reason = excluded.pause_reason", e.pipelineId(), e.pausedBy(), ts(at), e.reason());
            return "by " + e.pausedBy() + (e.reason() == null ? "" : ": " + e.reason());
        } else if (event instanceof PipelineResumed e) {
            sql.exec("update pipeline_scheduling set paused = false, paused_by = null, paused_at = null, "
                    + "pause_reason = null where pipeline_id = ?", e.pipelineId());
            return "by " + e.resumedBy();
        } else if (event instanceof ScheduledRunSkipped e) {
            sql.exec("insert into skipped_intervals values (?, ?, ?, ?, null, ?, ?)", e.pipelineId(), e.runId(),
                    ts(start(e.interval())), ts(end(e.interval())), e.reason(), ts(at));
            cursor(sql, e.pipelineId(), e.interval());
            return e.runId() + ": " + e.reason();
        } else if (event instanceof BackfillRequested e) {
            sql.exec("insert into backfills (backfill_id, pipeline_id, range_start, range_end, max_concurrency, "
                            + "parameters, intervals, status, requested_by, requested_at) "
                            + "values (?, ?, ?, ?, ?, ?::jsonb, ?, 'RUNNING', ?, ?) on conflict do nothing",
                    e.backfillId(), e.pipelineId(), ts(e.start()), ts(e.end()), e.maxConcurrency(),
                    json(e.parameters()), e.intervals(), e.requestedBy(), ts(at));
            return e.backfillId() + ": " + e.intervals() + " intervals, concurrency " + e.maxConcurrency();
        } else if (event instanceof BackfillIntervalSkipped e) {
            sql.exec("insert into skipped_intervals values (?, ?, ?, ?, ?, ?, ?)", e.pipelineId(), e.runId(),
                    ts(start(e.interval())), ts(end(e.interval())), e.backfillId(), e.reason(), ts(at));
            sql.exec("update backfills set intervals_skipped = intervals_skipped + 1 where backfill_id = ?",
                    e.backfillId());
            return e.backfillId() + ": " + e.reason();
        } else if (event instanceof BackfillFinished e) {
            sql.exec("update backfills set status = ?, reason = ?, finished_at = ? where backfill_id = ?", e.status(),
                    e.reason(), ts(at), e.backfillId());
            return e.backfillId() + " " + e.status();
        }
        return null;
    }

    private static void interval(Sql sql, String runId, DataInterval interval, String backfillId)
            throws SQLException {
        if (interval != null || backfillId != null) {
            sql.exec("update runs set logical_date = ?, data_interval_start = ?, data_interval_end = ?, "
                    + "backfill_id = ? where run_id = ?", ts(start(interval)), ts(start(interval)),
                    ts(end(interval)), backfillId, runId);
        }
    }

    private static void cursor(Sql sql, String pipelineId, DataInterval interval) throws SQLException {
        if (interval != null) {
            sql.exec("update pipeline_scheduling set schedule_cursor = greatest(coalesce(schedule_cursor, ?), ?) "
                    + "where pipeline_id = ?", ts(interval.end()), ts(interval.end()), pipelineId);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Instant start(DataInterval i) {
        return i == null ? null : i.start();
    }

    private static Instant end(DataInterval i) {
        return i == null ? null : i.end();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
