package dev.drover.monitor.readmodel;

import dev.drover.embedded.TestInfrastructure;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fresh monitor read model in the shared test PostgreSQL, and plain-text reads of its rows. */
public final class ReadModelDatabase {
    private ReadModelDatabase() {
    }

    /** A new, empty database with the monitor's migrations applied. */
    static DataSource fresh(String hint) {
        String url = TestInfrastructure.newDatabase(hint);
        Flyway.configure().dataSource(url, TestInfrastructure.postgresUser(), TestInfrastructure.postgresPassword())
                .locations("classpath:db/monitor").load().migrate();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(TestInfrastructure.postgresUser());
        ds.setPassword(TestInfrastructure.postgresPassword());
        return ds;
    }

    /**
     * Every row of every read-model table (offsets excepted) whose text mentions {@code marker}, as text, in a stable
     * order: a test's own rows, in a database other tests' records may also reach.
     */
    public static Map<String, List<String>> dump(DataSource db, String marker) throws SQLException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String table : MonitorProjection.TABLES) {
            if (table.equals("projection_offsets")) {
                continue;
            }
            List<String> rows = new ArrayList<>();
            try (Connection c = db.getConnection();
                 PreparedStatement ps = c.prepareStatement("select t::text from " + table + " t");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).contains(marker)) {
                        rows.add(rs.getString(1));
                    }
                }
            }
            rows.sort(null);
            out.put(table, rows);
        }
        return out;
    }
}
