package dev.drover.scheduler.api;

import dev.drover.platform.readmodel.ReadModelSql;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.PipelineSpecs;
import dev.drover.scheduler.pipeline.TaskSpec;
import dev.drover.scheduler.pipeline.Trigger;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads of the asset read models (V7) for {@code /api/v1/assets}: every asset that was updated or is declared by a
 * pipeline's latest revision, with its producers and consumers, and the updates of an asset with the runs they
 * started. Lags the log by the projector's delay, like every read.
 */
@Singleton
@Requires(property = "drover.scheduler.enabled", value = "true")
public class AssetQueries {
    private final DataSource dataSource;

    AssetQueries(@Named("scheduler") DataSource dataSource, DataSourceResolver resolver) {
        this.dataSource = resolver.resolve(dataSource);
    }

    /** Every known asset, by URI: last update, number of updates, producers (pipeline/task) and consumers. */
    public List<Map<String, Object>> assets() {
        Map<String, Map<String, Object>> byUri = new TreeMap<>();
        Map<String, TreeSet<String>> producers = new TreeMap<>();
        Map<String, TreeSet<String>> consumers = new TreeMap<>();
        for (PipelineSpec spec : latestSpecs()) {
            for (TaskSpec t : spec.tasks()) {
                t.options().outlets().forEach(u -> producers.computeIfAbsent(u, k -> new TreeSet<>())
                        .add(spec.id() + "/" + t.id()));
            }
            for (Trigger trigger : spec.triggers()) {
                if (trigger instanceof Trigger.Assets a) {
                    a.uris().forEach(u -> consumers.computeIfAbsent(u, k -> new TreeSet<>()).add(spec.id()));
                }
            }
        }
        query("select distinct on (uri) uri, update_id, pipeline_id, run_id, task_id, at, "
                + "count(*) over (partition by uri) from asset_updates order by uri, at desc, update_id desc",
                List.of(), rs -> {
                    Map<String, Object> last = update(rs, 2);
                    Map<String, Object> m = entry(byUri, rs.getString(1));
                    m.put("lastUpdate", last);
                    m.put("updates", rs.getLong(7));
                    return m;
                });
        producers.keySet().forEach(u -> entry(byUri, u));
        consumers.keySet().forEach(u -> entry(byUri, u));
        byUri.forEach((uri, m) -> {
            m.put("producers", List.copyOf(producers.getOrDefault(uri, new TreeSet<>())));
            m.put("consumers", List.copyOf(consumers.getOrDefault(uri, new TreeSet<>())));
        });
        return new ArrayList<>(byUri.values());
    }

    /**
     * Updates, newest first, of one asset or of all; each with the pipelines that recorded it and the runs it
     * started.
     */
    public List<Map<String, Object>> updates(String uri, int limit) {
        return query("select u.uri, u.update_id, u.pipeline_id, u.run_id, u.task_id, u.at, u.extra::text, "
                + "coalesce((select json_agg(c.pipeline_id order by c.pipeline_id) from asset_consumptions c "
                + "where c.update_id = u.update_id), '[]')::text, "
                + "coalesce((select json_agg(t.run_id order by t.run_id) from asset_triggered_runs t "
                + "where t.updates @> jsonb_build_array(jsonb_build_object('updateId', u.update_id))), '[]')::text "
                + "from asset_updates u where (cast(? as text) is null or u.uri = ?) "
                + "order by u.at desc, u.update_id desc limit ?", java.util.Arrays.asList(uri, uri, limit), rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("uri", rs.getString(1));
                    m.putAll(update(rs, 2));
                    m.put("extra", Json.parse(rs.getString(7)));
                    m.put("recordedBy", Json.parse(rs.getString(8)));
                    m.put("triggeredRuns", Json.parse(rs.getString(9)));
                    return m;
                });
    }

    private static Map<String, Object> entry(Map<String, Map<String, Object>> byUri, String uri) {
        return byUri.computeIfAbsent(uri, u -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("uri", u);
            m.put("lastUpdate", null);
            m.put("updates", 0L);
            return m;
        });
    }

    /** update_id, pipeline_id, run_id, task_id, at from column {@code first} on. */
    private static Map<String, Object> update(ResultSet rs, int first) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("updateId", rs.getString(first));
        String pipeline = rs.getString(first + 1);
        m.put("source", pipeline == null ? "external" : "task");
        m.put("pipelineId", pipeline);
        m.put("runId", rs.getString(first + 2));
        m.put("taskId", rs.getString(first + 3));
        Timestamp at = rs.getTimestamp(first + 4);
        m.put("at", at == null ? null : at.toInstant().toString());
        return m;
    }

    private List<PipelineSpec> latestSpecs() {
        return query("select r.spec::text from pipelines p join pipeline_revisions r on r.pipeline_id = p.pipeline_id "
                + "and r.revision = p.latest_revision order by p.pipeline_id", List.of(),
                rs -> PipelineSpecs.fromJson(rs.getString(1)));
    }

    private <T> List<T> query(String sql, List<Object> args, ReadModelSql.Row<T> row) {
        return ReadModelSql.query(dataSource, "read model", sql, args, row);
    }
}
