package dev.drover.scheduler.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.platform.kafka.Topics;
import dev.drover.platform.readmodel.TableProjector;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.core.SchedulerEvent.PipelineRegistered;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.core.SchedulerEvent.TaskCanceled;
import dev.drover.scheduler.core.SchedulerEvent.TaskDispatched;
import dev.drover.scheduler.core.SchedulerEvent.TaskFailed;
import dev.drover.scheduler.core.SchedulerEvent.TaskFailedFinally;
import dev.drover.scheduler.core.SchedulerEvent.TaskLeaseRenewed;
import dev.drover.scheduler.core.SchedulerEvent.TaskLost;
import dev.drover.scheduler.core.SchedulerEvent.TaskRetryScheduled;
import dev.drover.scheduler.core.SchedulerEvent.TaskStarted;
import dev.drover.scheduler.core.SchedulerEvent.TaskSucceeded;
import dev.drover.scheduler.core.SchedulerEvent.TaskTimedOut;
import dev.drover.scheduler.core.SchedulerEvent.TaskUpstreamFailed;
import dev.drover.scheduler.loop.EventEnvelope;
import dev.drover.scheduler.loop.LogCodec;
import dev.drover.scheduler.pipeline.PipelineSpecs;
import dev.drover.scheduler.pipeline.TaskSpec;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Projects {@code drover.run.events} and {@code drover.task.logs} into the scheduler's Postgres read models, on the
 * platform's {@link TableProjector} like every other service: each poll in one transaction with the offsets it
 * reached, a record that cannot be projected quarantined after a few tries (never skipped silently, never retried
 * forever), and {@link #rebuild()} to empty the tables and project the whole log again.
 */
public final class ReadModelProjector implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TABLES = List.of("pipelines", "pipeline_revisions", "runs", "task_runs",
            "task_attempts", "task_logs", "scheduler_events", "asset_updates", "asset_consumptions",
            "asset_triggered_runs", "pools", "pool_slots", "pipeline_scheduling", "skipped_intervals", "backfills");

    private final TableProjector<Object> projector;

    public ReadModelProjector(String bootstrapServers, DataSource dataSource, LogCodec codec) {
        /* Task ids of each pipeline revision, in spec order; revisions never change, so this never goes stale. */
        Map<String, List<String>> revisionTasks = new ConcurrentHashMap<>();
        this.projector = new TableProjector<>("scheduler", bootstrapServers, List.of(Topics.RUN_EVENTS,
                Topics.TASK_LOGS), dataSource,
                (topic, value) -> topic.equals(Topics.RUN_EVENTS) ? codec.decodeEvent(value)
                        : codec.decodeLogBatch(value),
                new TableProjector.Projection<>() {
                    @Override
                    public List<String> tables() {
                        return TABLES;
                    }

                    @Override
                    public TableProjector.Applier<Object> applier(Connection conn) throws SQLException {
                        return new Writer(conn, revisionTasks);
                    }

                    @Override
                    public void rebuilt() {
                        revisionTasks.clear();
                    }
                });
    }

    /** Starts projecting on its own thread. */
    public void start() {
        projector.start();
    }

    /** Empties every read model and projects the log again from its beginning. Returns at once. */
    public void rebuild() {
        projector.rebuild();
    }

    /** Whether the read model of events partition {@code partition} includes the event at {@code offset}. */
    public boolean hasProjected(int partition, long offset) {
        return projector.hasProjected(partition, offset);
    }

    /** The platform projector underneath: its quarantine, for the admin endpoints and health. */
    public TableProjector<Object> projector() {
        return projector;
    }

    /** Applies events to the tables within one transaction. */
    private static final class Writer implements TableProjector.Applier<Object> {
        private final Connection conn;
        private final PreparedStatement eventRow;
        private final PreparedStatement logRow;
        private final Map<String, List<String>> revisionTasks;

        Writer(Connection conn, Map<String, List<String>> revisionTasks) throws SQLException {
            this.conn = conn;
            this.revisionTasks = revisionTasks;
            this.eventRow = conn.prepareStatement("insert into scheduler_events (partition_no, log_offset, event_id, "
                    + "pipeline_id, run_id, task_id, attempt, type, at, causation_id, detail, requested_by) "
                    + "values (?,?,?,?,?,?,?,?,?,?,?,?) on conflict do nothing");
            this.logRow = conn.prepareStatement("insert into task_logs values (?,?,?,?,?,?,?) on conflict do nothing");
        }

        @Override
        public void apply(Object record, TableProjector.Position at) throws SQLException {
            if (record instanceof EventEnvelope e) {
                event(at.partition(), at.offset(), e);
            } else {
                logs((LogBatch) record);
            }
        }

        @Override
        public void flush() throws SQLException {
            eventRow.executeBatch();
            logRow.executeBatch();
        }

        void logs(LogBatch batch) throws SQLException {
            for (LogBatch.Line l : batch.lines()) {
                logRow.setString(1, batch.runId());
                logRow.setString(2, batch.taskId());
                logRow.setInt(3, batch.attempt());
                logRow.setLong(4, l.seq());
                logRow.setTimestamp(5, Timestamp.from(l.timestamp()));
                logRow.setString(6, l.stream());
                logRow.setString(7, l.line());
                logRow.addBatch();
            }
        }

        void event(int partition, long offset, EventEnvelope env) throws SQLException {
            SchedulerEvent event = env.event();
            Instant at = env.timestamp();
            String runId = null;
            String taskId = null;
            Integer attempt = null;
            String detail = null;
            String requestedBy = null;
            if (event instanceof PipelineRegistered e) {
                exec("insert into pipelines values (?, ?, ?, ?, ?) on conflict (pipeline_id) do update set "
                                + "latest_revision = excluded.latest_revision, description = excluded.description, "
                                + "updated_at = excluded.updated_at",
                        e.pipelineId(), e.revision(), e.spec().description(), ts(at), ts(at));
                exec("insert into pipeline_revisions values (?, ?, ?::jsonb, ?, ?, ?) on conflict do nothing",
                        e.pipelineId(), e.revision(), PipelineSpecs.toJson(e.spec()), e.specHash(), e.registeredBy(),
                        ts(at));
                detail = "revision " + e.revision();
            } else if (event instanceof RunStarted e) {
                runId = e.runId();
                exec("insert into runs values (?, ?, ?, 'RUNNING', ?::jsonb, ?, ?, ?, null, null) on conflict do nothing",
                        e.runId(), e.pipelineId(), e.revision(), json(e.parameters()), e.trigger(), e.requestedBy(),
                        ts(at));
                List<String> tasks = specTasks(e.pipelineId(), e.revision());
                for (int i = 0; i < tasks.size(); i++) {
                    exec("insert into task_runs values (?, ?, ?, 'PENDING', 0, ?) on conflict do nothing",
                            e.runId(), tasks.get(i), i, ts(at));
                }
                detail = "revision " + e.revision() + ", trigger " + e.trigger();
            } else if (event instanceof TaskDispatched e) {
                runId = e.runId();
                taskId = e.taskId();
                attempt = e.attempt();
                task(e.runId(), e.taskId(), "DISPATCHED", e.attempt(), at);
                exec("insert into task_attempts (run_id, task_id, attempt, status, type, queue, config, dispatched_at) "
                                + "values (?, ?, ?, 'DISPATCHED', ?, ?, ?::jsonb, ?) on conflict do nothing",
                        e.runId(), e.taskId(), e.attempt(), e.type(), e.queue(), json(e.config()), ts(at));
                detail = "queue " + e.queue();
            } else if (event instanceof TaskStarted e) {
                runId = e.runId();
                taskId = e.taskId();
                attempt = e.attempt();
                task(e.runId(), e.taskId(), "RUNNING", e.attempt(), at);
                attempt(e.runId(), e.taskId(), e.attempt(), "RUNNING",
                        "executor_id = ?, started_at = ?", e.executorId(), ts(at));
                detail = "on " + e.executorId();
            } else if (event instanceof TaskLeaseRenewed e) {
                return; // a heartbeat: not worth a row in the story
            } else if (event instanceof TaskSucceeded e) {
                runId = e.runId();
                taskId = e.taskId();
                attempt = e.attempt();
                task(e.runId(), e.taskId(), "SUCCEEDED", e.attempt(), at);
                attempt(e.runId(), e.taskId(), e.attempt(), "SUCCEEDED", "finished_at = ?, outputs = ?::jsonb",
                        ts(at), json(e.outputs()));
            } else if (event instanceof TaskFailed e) {
                runId = e.runId();
                taskId = e.taskId();
                attempt = e.attempt();
                attempt(e.runId(), e.taskId(), e.attempt(), "FAILED", "finished_at = ?, exit_code = ?, message = ?",
                        ts(at), e.exitCode(), e.message());
                detail = e.message();
            } else if (event instanceof TaskTimedOut e) {
                runId = e.runId();
                taskId = e.taskId();
                attempt = e.attempt();
                attempt(e.runId(), e.taskId(), e.attempt(), "TIMED_OUT", "finished_at = ?, message = ?", ts(at),
                        "timed out");
            } else if (event instanceof TaskLost e) {
                runId = e.runId();
                taskId = e.taskId();
                attempt = e.attempt();
                // without an executor, the attempt was never started: its start deadline passed in the queue
                detail = e.executorId() == null
                        ? "not started before its start deadline: no executor took it from its queue"
                        : "executor " + e.executorId() + " stopped renewing its lease";
                attempt(e.runId(), e.taskId(), e.attempt(), "LOST", "finished_at = ?, message = ?", ts(at), detail);
            } else if (event instanceof TaskRetryScheduled e) {
                runId = e.runId();
                taskId = e.taskId();
                attempt = e.nextAttempt();
                task(e.runId(), e.taskId(), "RETRY_WAIT", e.nextAttempt(), at);
                detail = "attempt " + e.nextAttempt() + " due at " + e.dueAt();
            } else if (event instanceof TaskFailedFinally e) {
                runId = e.runId();
                taskId = e.taskId();
                attempt = e.attempt();
                task(e.runId(), e.taskId(), "FAILED", e.attempt(), at);
                detail = e.reason();
            } else if (event instanceof TaskUpstreamFailed e) {
                runId = e.runId();
                taskId = e.taskId();
                exec("update task_runs set status = 'UPSTREAM_FAILED', updated_at = ? where run_id = ? and task_id = ?",
                        ts(at), e.runId(), e.taskId());
                detail = "upstream " + e.upstreamTaskId() + " failed";
            } else if (event instanceof SchedulerEvent.TaskSkipped e) {
                runId = e.runId();
                taskId = e.taskId();
                exec("update task_runs set status = 'SKIPPED', updated_at = ? where run_id = ? and task_id = ?",
                        ts(at), e.runId(), e.taskId());
                detail = e.reason();
            } else if (event instanceof SchedulerEvent.TaskRescheduled e) {
                runId = e.runId();
                taskId = e.taskId();
                attempt = e.attempt();
                task(e.runId(), e.taskId(), "UP_FOR_RESCHEDULE", e.attempt(), at);
                attempt(e.runId(), e.taskId(), e.attempt(), "UP_FOR_RESCHEDULE", "message = ?", e.reason());
                detail = (e.poke() > 0 ? "poke " + e.poke() + ": " : "") + e.reason() + "; next poke at "
                        + e.nextPokeAt();
            } else if (event instanceof SchedulerEvent.TaskExpanded e) {
                runId = e.runId();
                taskId = e.taskId();
                exec("update task_runs set status = 'MAPPED', updated_at = ? where run_id = ? and task_id = ?",
                        ts(at), e.runId(), e.taskId());
                // one row per instance, right after the mapped task (same position, ordered by map_index)
                exec("insert into task_runs (run_id, task_id, position, status, attempt, updated_at, map_index) "
                                + "select r.run_id, r.task_id || '[' || i || ']', r.position, 'PENDING', 0, ?, i "
                                + "from task_runs r, generate_series(0, ? - 1) i where r.run_id = ? and r.task_id = ? "
                                + "on conflict do nothing",
                        ts(at), e.items().size(), e.runId(), e.taskId());
                detail = "mapped over " + e.items().size() + " element(s)";
            } else if (event instanceof TaskCanceled e) {
                runId = e.runId();
                taskId = e.taskId();
                exec("update task_runs set status = 'CANCELED', updated_at = ? where run_id = ? and task_id = ?",
                        ts(at), e.runId(), e.taskId());
                if (e.attempt() > 0) {
                    attempt = e.attempt();
                    attempt(e.runId(), e.taskId(), e.attempt(), "CANCELED", "finished_at = ?", ts(at));
                }
            } else if (event instanceof RunFinished e) {
                runId = e.runId();
                exec("update runs set status = ?, finished_at = ?, reason = ? where run_id = ?",
                        e.status().name(), ts(at), e.reason(), e.runId());
                detail = e.status() + ": " + e.reason();
            } else if (event instanceof CommandRejected e) {
                detail = e.code() + ": " + e.message();
            } else if (event instanceof SchedulerEvent.AssetUpdated
                    || event instanceof SchedulerEvent.AssetUpdateRecorded
                    || event instanceof SchedulerEvent.AssetRunTriggered) {
                runId = AssetRows.runId(event);
                taskId = event instanceof SchedulerEvent.AssetUpdated e ? e.taskId() : null;
                detail = AssetRows.write(conn, event, at);
            } else if (event instanceof SchedulerEvent.TasksCleared e) {
                runId = e.runId();
                requestedBy = e.requestedBy();
                for (String t : e.taskIds()) {
                    exec("update task_runs set status = 'PENDING', deadline_missed_at = null, updated_at = ? "
                            + "where run_id = ? and task_id = ?", ts(at), e.runId(), t);
                }
                detail = "cleared " + String.join(", ", e.taskIds()) + (e.downstream() ? " (with downstream)" : "")
                        + " by " + e.requestedBy();
            } else if (event instanceof SchedulerEvent.RunReopened e) {
                runId = e.runId();
                requestedBy = e.requestedBy();
                exec("update runs set status = 'RUNNING', finished_at = null, reason = null where run_id = ?",
                        e.runId());
                detail = "reopened by " + e.requestedBy();
            } else if (event instanceof SchedulerEvent.TaskMarked e) {
                runId = e.runId();
                taskId = e.taskId();
                requestedBy = e.requestedBy();
                exec("update task_runs set status = ?, updated_at = ? where run_id = ? and task_id = ?",
                        e.status().name(), ts(at), e.runId(), e.taskId());
                detail = "marked " + e.status() + " by " + e.requestedBy();
                if (e.attempt() > 0) {
                    attempt = e.attempt();
                    attempt(e.runId(), e.taskId(), e.attempt(), e.status().name(), "finished_at = ?, message = ?",
                            ts(at), detail);
                }
            } else if (event instanceof SchedulerEvent.RunDeadlineMissed e) {
                runId = e.runId();
                exec("update runs set deadline_missed_at = ? where run_id = ?", ts(at), e.runId());
                detail = "still running past its deadline of "
                        + dev.drover.scheduler.pipeline.Durations.format(Duration.ofMillis(e.deadlineMs()));
            } else if (event instanceof SchedulerEvent.TaskDeadlineMissed e) {
                runId = e.runId();
                taskId = e.taskId();
                exec("update task_runs set deadline_missed_at = ? where run_id = ? and task_id = ?", ts(at),
                        e.runId(), e.taskId());
                detail = "still unfinished past its deadline of "
                        + dev.drover.scheduler.pipeline.Durations.format(Duration.ofMillis(e.deadlineMs()));
            } else if (event instanceof SchedulerEvent.TaskQueued e) {
                runId = e.runId();
                taskId = e.taskId();
                attempt = e.attempt();
                task(e.runId(), e.taskId(), "QUEUED", e.attempt(), at);
                detail = e.reason();
            } else if (event instanceof SchedulerEvent.TaskAwaitingPool e) {
                runId = e.runId();
                taskId = e.taskId();
                attempt = e.attempt();
                task(e.runId(), e.taskId(), "QUEUED", e.attempt(), at);
                detail = "waiting for a slot of pool " + e.pool() + " (priority " + e.priority() + ")";
            } else if (event instanceof SchedulerEvent.PoolDefined e) {
                exec("insert into pools values (?, ?, ?, ?, ?, ?) on conflict (name) do update set slots = "
                                + "excluded.slots, description = excluded.description, defined_by = excluded.defined_by, "
                                + "updated_at = excluded.updated_at",
                        e.pool(), e.slots(), e.description(), e.definedBy(), ts(at), ts(at));
                detail = e.slots() + " slots";
            } else if (event instanceof SchedulerEvent.PoolSlotQueued e) {
                poolSlot(e.pool(), e.runId(), e.taskId(), e.attempt(), e.holderPipelineId(), "QUEUED", e.priority(), at);
                runId = e.runId();
                taskId = e.taskId();
                attempt = e.attempt();
                detail = "queued for pool " + e.pool();
            } else if (event instanceof SchedulerEvent.PoolSlotGranted e) {
                poolSlot(e.pool(), e.runId(), e.taskId(), e.attempt(), e.holderPipelineId(), "OCCUPIED", e.priority(),
                        at);
                runId = e.runId();
                taskId = e.taskId();
                attempt = e.attempt();
                detail = "granted a slot of pool " + e.pool();
            } else if (event instanceof SchedulerEvent.PoolSlotReleased e) {
                exec("delete from pool_slots where pool = ? and run_id = ? and task_id = ? and attempt = ?",
                        e.pool(), e.runId(), e.taskId(), e.attempt());
                runId = e.runId();
                taskId = e.taskId();
                attempt = e.attempt();
                detail = (e.held() ? "released a slot of pool " : "withdrew from pool ") + e.pool() + ": "
                        + e.reason();
            }
            String scheduling = SchedulingProjection.project(this::exec, event, at);
            if (detail == null || event instanceof RunStarted) {
                detail = scheduling != null ? (detail == null ? scheduling : detail + ", " + scheduling) : detail;
            }
            if (runId == null && event instanceof SchedulerEvent.RunQueued e) {
                runId = e.runId();
            }
            eventRow.setInt(1, partition);
            eventRow.setLong(2, offset);
            eventRow.setString(3, env.eventId());
            eventRow.setString(4, env.pipelineId());
            eventRow.setString(5, runId);
            eventRow.setString(6, taskId);
            if (attempt == null) {
                eventRow.setNull(7, Types.INTEGER);
            } else {
                eventRow.setInt(7, attempt);
            }
            eventRow.setString(8, event.getClass().getSimpleName());
            eventRow.setTimestamp(9, ts(at));
            eventRow.setString(10, env.causationId());
            eventRow.setString(11, detail);
            eventRow.setString(12, requestedBy);
            eventRow.addBatch();
        }

        private List<String> specTasks(String pipelineId, int revision) throws SQLException {
            String key = pipelineId + "@" + revision;
            List<String> cached = revisionTasks.get(key);
            if (cached != null) {
                return cached;
            }
            try (PreparedStatement ps = conn.prepareStatement(
                    "select spec::text from pipeline_revisions where pipeline_id = ? and revision = ?")) {
                ps.setString(1, pipelineId);
                ps.setInt(2, revision);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return List.of();
                    }
                    List<String> ids = PipelineSpecs.fromJson(rs.getString(1)).tasks().stream().map(TaskSpec::id)
                            .toList();
                    revisionTasks.put(key, ids);
                    return ids;
                }
            }
        }

        private void poolSlot(String pool, String runId, String taskId, int attempt, String pipelineId, String state,
                              int priority, Instant at) throws SQLException {
            exec("insert into pool_slots values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (pool, run_id, task_id, attempt) "
                            + "do update set state = excluded.state, since = excluded.since",
                    pool, runId, taskId, attempt, pipelineId, state, priority, ts(at));
        }

        private void task(String runId, String taskId, String status, int attempt, Instant at) throws SQLException {
            exec("update task_runs set status = ?, attempt = ?, updated_at = ? where run_id = ? and task_id = ?",
                    status, attempt, ts(at), runId, taskId);
        }

        private void attempt(String runId, String taskId, int attempt, String status, String set, Object... values)
                throws SQLException {
            Object[] args = new Object[values.length + 4];
            args[0] = status;
            System.arraycopy(values, 0, args, 1, values.length);
            args[values.length + 1] = runId;
            args[values.length + 2] = taskId;
            args[values.length + 3] = attempt;
            exec("update task_attempts set status = ?, " + set + " where run_id = ? and task_id = ? and attempt = ?",
                    args);
        }

        private void exec(String sql, Object... args) throws SQLException {
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    Object a = args[i];
                    if (a == null) {
                        ps.setNull(i + 1, Types.NULL);
                    } else {
                        ps.setObject(i + 1, a);
                    }
                }
                ps.executeUpdate();
            }
        }

        private static Timestamp ts(Instant at) {
            return Timestamp.from(at);
        }

        private static String json(Object value) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }

    @Override
    public void close() {
        projector.close();
    }
}
