package dev.drover.platform.readmodel;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The one query helper the services' read-model query classes share: positional arguments, one mapper per row. */
public final class ReadModelSql {
    private ReadModelSql() {
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /**
     * Runs {@code sql} with {@code args} bound in order and maps every row.
     *
     * @param what names the read model in the error, e.g. {@code "monitor read model"}
     * @throws IllegalStateException "{@code <what>} query failed: …" when the database refuses
     */
    public static <T> List<T> query(DataSource dataSource, String what, String sql, List<Object> args, Row<T> row) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.map(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(what + " query failed: " + e.getMessage(), e);
        }
    }
}
