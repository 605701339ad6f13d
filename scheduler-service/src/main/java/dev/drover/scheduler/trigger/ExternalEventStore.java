package dev.drover.scheduler.trigger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.PipelineSpecs;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event triggers' view of Postgres: which pipelines an event type may start (from the scheduler's read model of
 * pipelines, like {@link TriggeredPipelines}), and the {@code external_events} table of received events.
 */
public final class ExternalEventStore {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private final DataSource dataSource;

    public ExternalEventStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What an event did in one pipeline, as recorded and listed. */
    public record Outcome(String pipelineId, String status, String runId, String reason) {
        /** The run was started by this event (by this delivery or an earlier one of the same event). */
        public static final String STARTED = "STARTED";
        /** The pipeline has event triggers of the type, but no filter held. */
        public static final String NOT_MATCHED = "NOT_MATCHED";
        /** A filter or parameter expression failed to evaluate. */
        public static final String FAILED = "FAILED";
        /** The scheduler refused the run (e.g. INVALID_PARAMETERS); the reason is its message. */
        public static final String REJECTED = "REJECTED";

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pipelineId", pipelineId);
            m.put("status", status);
            m.put("runId", runId);
            m.put("reason", reason);
            return m;
        }
    }

    /** A received event, as listed by {@code GET /api/v1/events}. */
    public record Received(long seq, ExternalEvent event, Instant receivedAt, List<Map<String, Object>> outcomes) {
    }

    /** A page of received events. */
    public record Page(List<Received> events, String nextPosition) {
    }

    /**
     * The latest revisions of the pipelines with an event trigger of this type, by pipeline id.
     *
     * @throws IllegalStateException when the read model cannot be read
     */
    public List<PipelineSpec> pipelinesTriggeredBy(String type) {
        ArrayNode wanted = JSON.createArrayNode();
        wanted.addObject().putObject("event").put("type", type);
        List<PipelineSpec> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select r.spec::text from pipelines p "
                     + "join pipeline_revisions r on r.pipeline_id = p.pipeline_id and r.revision = p.latest_revision "
                     + "where r.spec -> 'triggers' @> ?::jsonb order by p.pipeline_id")) {
            s.setString(1, wanted.toString());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(PipelineSpecs.fromJson(rs.getString(1)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the scheduler's read model: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Records a handled event once: a second delivery of the same (source, id) keeps the first row.
     *
     * @throws IllegalStateException when the table cannot be written
     */
    public void record(ExternalEvent event, List<Outcome> outcomes) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("insert into external_events (source, id, type, subject, time, "
                     + "datacontenttype, data, extensions, received_at, outcomes) "
                     + "values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, clock_timestamp(), ?::jsonb) "
                     + "on conflict (source, id) do nothing")) {
            s.setString(1, event.source());
            s.setString(2, event.id());
            s.setString(3, event.type());
            s.setString(4, event.subject());
            s.setTimestamp(5, event.time() == null ? null : Timestamp.from(event.time()));
            s.setString(6, event.dataContentType());
            s.setString(7, event.data() == null ? null : JSON.writeValueAsString(event.data()));
            s.setString(8, JSON.writeValueAsString(event.extensions()));
            s.setString(9, JSON.writeValueAsString(outcomes.stream().map(Outcome::toMap).toList()));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record external event: " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Received events in the order received, optionally of one type and/or source, received after an instant
     * (exclusive) and after a position (a previous page's last {@code seq}).
     */
    public Page list(String type, String source, Instant after, Long afterSeq, int limit) {
        StringBuilder sql = new StringBuilder("select seq, source, id, type, subject, time, datacontenttype, "
                + "data::text, extensions::text, received_at, outcomes::text from external_events where true");
        List<Object> args = new ArrayList<>();
        if (type != null) {
            sql.append(" and type = ?");
            args.add(type);
        }
        if (source != null) {
            sql.append(" and source = ?");
            args.add(source);
        }
        if (after != null) {
            sql.append(" and received_at > ?");
            args.add(Timestamp.from(after));
        }
        if (afterSeq != null) {
            // the position of the previous page: its last row's (received_at, seq)
            sql.append(" and (received_at, seq) > ((select received_at from external_events where seq = ?), ?)");
            args.add(afterSeq);
            args.add(afterSeq);
        }
        sql.append(" order by received_at, seq limit ?");
        args.add(limit + 1);
        List<Received> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Timestamp time = rs.getTimestamp(6);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> extensions = (Map<String, Object>) parse(rs.getString(9));
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> outcomes = (List<Map<String, Object>>) parse(rs.getString(11));
                    out.add(new Received(rs.getLong(1), new ExternalEvent(rs.getString(3), rs.getString(2),
                            rs.getString(4), rs.getString(5), time == null ? null : time.toInstant(),
                            rs.getString(7), null, extensions, parse(rs.getString(8))),
                            rs.getTimestamp(10).toInstant(), outcomes));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read external events: " + e.getMessage(), e);
        }
        String next = null;
        if (out.size() > limit) {
            out.remove(out.size() - 1);
            next = String.valueOf(out.get(out.size() - 1).seq());
        }
        return new Page(out, next);
    }

    private static Object parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in external_events: " + e.getOriginalMessage(), e);
        }
    }
}
