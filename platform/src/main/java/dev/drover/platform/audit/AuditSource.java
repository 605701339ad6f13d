package dev.drover.platform.audit;

import dev.drover.platform.readmodel.ReadModelSql;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a service's history of who did what is read from. Each service provides one bean (its read model already
 * keeps the principal of every event a request caused); {@link AuditController} merges every source in the process,
 * so the standalone answers for all services at once and a service on its own for itself and the identities.
 */
public interface AuditSource {

    /**
     * The newest entries first, at most {@code limit}, at or after {@code since}.
     *
     * @param by only this principal's (exactly as recorded), or everyone's when null
     */
    List<AuditEntry> entries(String by, Instant since, int limit);

    /**
     * A source over a read model: {@code sql} selects the columns {@code at} (timestamptz), {@code who},
     * {@code action} and {@code subject} (text; {@code by} is a reserved word in SQL), typically a {@code union all} over the tables that keep a principal;
     * filtering, order and limit are added here.
     */
    static AuditSource fromReadModel(String service, DataSource dataSource, String sql) {
        String query = "select at, who, action, subject from (" + sql + ") audit "
                + "where who is not null and (cast(? as text) is null or who = ?) and at >= ? "
                + "order by at desc limit ?";
        return (by, since, limit) -> {
            List<Object> args = new ArrayList<>();
            args.add(by);
            args.add(by);
            args.add(Timestamp.from(since));
            args.add(limit);
            return ReadModelSql.query(dataSource, service + " audit", query, args, rs -> new AuditEntry(
                    rs.getTimestamp(1).toInstant(), rs.getString(2), service, rs.getString(3), rs.getString(4)));
        };
    }
}
