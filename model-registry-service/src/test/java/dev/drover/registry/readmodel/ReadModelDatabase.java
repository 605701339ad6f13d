package dev.drover.registry.readmodel;

import dev.drover.embedded.TestInfrastructure;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** A fresh registry read model in the shared test PostgreSQL, and plain-text reads of its rows. */
final class ReadModelDatabase {
    private ReadModelDatabase() {
    }

    /** A new, empty database with the registry's migrations applied. */
    static DataSource fresh(String hint) {
        String url = TestInfrastructure.newDatabase(hint);
        Flyway.configure().dataSource(url, TestInfrastructure.postgresUser(), TestInfrastructure.postgresPassword())
                .locations("classpath:db/registry").load().migrate();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(TestInfrastructure.postgresUser());
        ds.setPassword(TestInfrastructure.postgresPassword());
        return ds;
    }

    /** Rows as {@code a|b|c} text, nulls as {@code null}. */
    static List<String> query(DataSource db, String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringJoiner row = new StringJoiner("|");
                    for (int i = 1; i <= columns; i++) {
                        row.add(String.valueOf(rs.getString(i)));
                    }
                    rows.add(row.toString());
                }
            }
            return rows;
        }
    }

    static void execute(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Every row of every read-model table (offsets excepted) whose text mentions {@code marker}: a test's own rows,
     * in a stable order, in a database other tests' records may also reach.
     */
    static Map<String, List<String>> dump(DataSource db, String marker) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String table : RegistryProjection.TABLES) {
            if (table.equals("projection_offsets")) {
                continue;
            }
            List<String> rows = new ArrayList<>(query(db, "select t::text from " + table + " t"));
            rows.removeIf(r -> !r.contains(marker));
            rows.sort(null);
            out.put(table, rows);
        }
        return out;
    }
}
