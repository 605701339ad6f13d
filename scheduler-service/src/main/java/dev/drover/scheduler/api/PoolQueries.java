package dev.drover.scheduler.api;

import dev.drover.platform.readmodel.ReadModelSql;
import io.micronaut.context.annotation.Requires;
import io.micronaut.jdbc.DataSourceResolver;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads of the pool read models ({@code pools}, {@code pool_slots}) for the REST API (docs/api.md). */
@Singleton
@Requires(property = "drover.scheduler.enabled", value = "true")
public class PoolQueries {
    private static final String POOL_COLUMNS = "p.name, p.slots, p.description, p.created_at, p.updated_at, "
            + "(select count(*) from pool_slots s where s.pool = p.name and s.state = 'OCCUPIED'), "
            + "(select count(*) from pool_slots s where s.pool = p.name and s.state = 'QUEUED') from pools p";
    private final DataSource dataSource;

    PoolQueries(@Named("scheduler") DataSource dataSource, DataSourceResolver resolver) {
        this.dataSource = resolver.resolve(dataSource);
    }

    public List<Map<String, Object>> pools() {
        return query("select " + POOL_COLUMNS + " order by p.name", List.of(), PoolQueries::poolRow);
    }

    /** A pool with the attempts holding its slots and those waiting, in the order they will be granted. */
    public Optional<Map<String, Object>> pool(String name) {
        Optional<Map<String, Object>> pool = query("select " + POOL_COLUMNS + " where p.name = ?", List.of(name),
                PoolQueries::poolRow).stream().findFirst();
        pool.ifPresent(p -> {
            p.put("occupiedBy", slots(name, "OCCUPIED"));
            p.put("queue", slots(name, "QUEUED"));
        });
        return pool;
    }

    private List<Map<String, Object>> slots(String pool, String state) {
        return query("select pipeline_id, run_id, task_id, attempt, priority, since from pool_slots "
                + "where pool = ? and state = ? order by priority desc, since, run_id, task_id, attempt",
                List.of(pool, state), rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("pipelineId", rs.getString(1));
                    m.put("runId", rs.getString(2));
                    m.put("taskId", rs.getString(3));
                    m.put("attempt", rs.getInt(4));
                    m.put("priority", rs.getInt(5));
                    m.put("since", iso(rs.getTimestamp(6)));
                    return m;
                });
    }

    private static Map<String, Object> poolRow(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", rs.getString(1));
        m.put("slots", rs.getInt(2));
        m.put("description", rs.getString(3));
        m.put("createdAt", iso(rs.getTimestamp(4)));
        m.put("updatedAt", iso(rs.getTimestamp(5)));
        long occupied = rs.getLong(6);
        m.put("occupied", occupied);
        m.put("open", Math.max(0, rs.getInt(2) - occupied));
        m.put("queued", rs.getLong(7));
        return m;
    }

    private <T> List<T> query(String sql, List<Object> args, ReadModelSql.Row<T> row) {
        return ReadModelSql.query(dataSource, "read model", sql, args, row);
    }

    private static String iso(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }
}
