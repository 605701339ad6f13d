package dev.drover.registry.mlflow;

import dev.drover.embedded.TestInfrastructure;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * A fresh database on the shared test PostgreSQL with the registry's read-model tables (the real V1 migration),
 * and rows written straight into them the way the projector would.
 */
final class ReadModelFixture {
    final String url;
    final DataSource dataSource;

    ReadModelFixture(String prefix) {
        url = TestInfrastructure.newDatabase(prefix);
        Flyway.configure().dataSource(url, TestInfrastructure.postgresUser(), TestInfrastructure.postgresPassword())
                .locations("classpath:db/registry").load().migrate();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(TestInfrastructure.postgresUser());
        ds.setPassword(TestInfrastructure.postgresPassword());
        dataSource = ds;
    }

    /** The instant {@code seconds} after a fixed origin, so that tests can order rows by time. */
    static Instant at(int seconds) {
        return Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seconds);
    }

    ReadModelFixture model(String name, int createdAt, int updatedAt, String by, String description) {
        return exec("insert into registered_models (name, description, created_at, created_by, updated_at) "
                + "values (?, ?, ?, ?, ?)", name, description, ts(createdAt), by, ts(updatedAt));
    }

    ReadModelFixture modelTag(String name, String key, String value) {
        return exec("insert into model_tags (model_name, key, value) values (?, ?, ?)", name, key, value);
    }

    ReadModelFixture version(String name, int version, String stage, String runId, String source, int createdAt,
                             int updatedAt) {
        exec("update registered_models set latest_version = greatest(latest_version, ?) where name = ?", version,
                name);
        return exec("insert into model_versions (model_name, version, artifact_location, description, run_id, stage, "
                + "created_at, created_by, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", name, version, source,
                "version " + version + " of " + name, runId, stage, ts(createdAt), "trainer", ts(updatedAt));
    }

    ReadModelFixture versionTag(String name, int version, String key, String value) {
        return exec("insert into model_version_tags (model_name, version, key, value) values (?, ?, ?, ?)", name,
                version, key, value);
    }

    ReadModelFixture alias(String name, String alias, int version) {
        return exec("insert into model_aliases (model_name, alias, version, kind, moved_by, moved_at) "
                + "values (?, ?, ?, 'SET', 'alice', ?)", name, alias, version, ts(0));
    }

    private static Timestamp ts(int seconds) {
        return Timestamp.from(at(seconds));
    }

    private ReadModelFixture exec(String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setObject(i + 1, parameters[i]);
            }
            ps.executeUpdate();
            return this;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }
}
