package dev.drover.scheduler.projection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.scheduler.core.AssetTriggering;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.core.SchedulerEvent.AssetRunTriggered;
import dev.drover.scheduler.core.SchedulerEvent.AssetUpdateRecorded;
import dev.drover.scheduler.core.SchedulerEvent.AssetUpdated;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

/**
 * Projects asset events into {@code asset_updates}, {@code asset_consumptions} and {@code asset_triggered_runs}
 * (V7), for {@link ReadModelProjector}. Inserts ignore rows that exist, so a repeated update (an external request
 * retried with the same idempotency key) keeps its first row.
 */
final class AssetRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AssetRows() {
    }

    /** The run the event concerns, for the event history. */
    static String runId(SchedulerEvent event) {
        if (event instanceof AssetUpdated e) {
            return e.runId();
        }
        return event instanceof AssetRunTriggered e ? e.runId() : null;
    }

    /** Writes the event's row; returns the history's detail line. */
    static String write(Connection conn, SchedulerEvent event, Instant at) throws SQLException {
        if (event instanceof AssetUpdated e) {
            exec(conn, "insert into asset_updates values (?, ?, ?, ?, ?, ?::jsonb, ?) on conflict do nothing",
                    e.updateId(), e.uri(), AssetTriggering.EXTERNAL_PIPELINE.equals(e.pipelineId()) ? null
                            : e.pipelineId(), e.runId(), e.taskId(), json(e.extra()), Timestamp.from(e.at()));
            return "updated " + e.uri();
        } else if (event instanceof AssetUpdateRecorded e) {
            exec(conn, "insert into asset_consumptions values (?, ?, ?, ?) on conflict do nothing",
                    e.pipelineId(), e.updateId(), e.uri(), Timestamp.from(at));
            return "recorded update " + e.updateId() + " of " + e.uri();
        } else if (event instanceof AssetRunTriggered e) {
            exec(conn, "insert into asset_triggered_runs values (?, ?, ?, ?::jsonb, ?) on conflict do nothing",
                    e.runId(), e.pipelineId(), e.trigger(), json(e.updates()), Timestamp.from(at));
            return "assets trigger " + e.trigger() + " fired with " + e.updates().size() + " update(s)";
        }
        throw new IllegalArgumentException("not an asset event: " + event);
    }

    private static void exec(Connection conn, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] == null) {
                    ps.setNull(i + 1, Types.NULL);
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            ps.executeUpdate();
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
