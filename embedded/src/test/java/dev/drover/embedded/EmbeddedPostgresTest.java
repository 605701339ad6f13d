package dev.drover.embedded;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Round trip on the shared server; restart on the same data and clean-up on servers of its own. */
class EmbeddedPostgresTest {

  @Test
  void roundTripThroughACreatedDatabase() throws Exception {
    // The JVM-wide server: each start of a temporary one pays for initdb (~2 s).
    EmbeddedPostgres pg = TestInfrastructure.postgres();
    String url = pg.createDatabaseIfMissing("round_trip");
    assertThat(pg.createDatabaseIfMissing("round_trip")).isEqualTo(url);

    execute(pg, url, "CREATE TABLE run (id text PRIMARY KEY, state text NOT NULL)",
        "INSERT INTO run VALUES ('r1', 'RUNNING'), ('r2', 'SUCCEEDED')");

    assertThat(query(pg, url, "SELECT id || '=' || state FROM run ORDER BY id"))
        .containsExactly("r1=RUNNING", "r2=SUCCEEDED");
  }

  @Test
  void persistentDirectoryKeepsDataAcrossRestart(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("postgres");
    EmbeddedPostgres.Options options = EmbeddedPostgres.Options.defaults().withDataDirectory(dir);

    try (EmbeddedPostgres first = EmbeddedPostgres.start(options)) {
      System.out.printf("EMBEDDED-POSTGRES first start (initdb) %d ms%n", first.startupTime().toMillis());
      String url = first.createDatabaseIfMissing("drover");
      execute(first, url, "CREATE TABLE model (name text)", "INSERT INTO model VALUES ('churn')");
    }
    assertThat(dir.resolve("PG_VERSION")).exists();

    try (EmbeddedPostgres second = EmbeddedPostgres.start(options)) {
      System.out.printf("EMBEDDED-POSTGRES restart on existing data %d ms%n", second.startupTime().toMillis());
      String url = second.createDatabaseIfMissing("drover");

      assertThat(query(second, url, "SELECT name FROM model")).containsExactly("churn");
    }
    assertThat(dir.resolve("PG_VERSION")).exists();
  }

  @Test
  void temporaryDirectoryIsDeletedOnClose() {
    EmbeddedPostgres pg = EmbeddedPostgres.start(EmbeddedPostgres.Options.defaults());
    System.out.printf("EMBEDDED-POSTGRES temporary start %d ms%n", pg.startupTime().toMillis());
    Path dir = pg.dataDirectory();
    assertThat(dir.resolve("PG_VERSION")).exists();

    long t = System.nanoTime();
    pg.close();
    System.out.printf("EMBEDDED-POSTGRES close %d ms%n", (System.nanoTime() - t) / 1_000_000);
    pg.close();

    assertThat(Files.exists(dir)).isFalse();
  }

  @Test
  void aDirectoryInUseIsRefusedAndAStalePidFileIsRemoved(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("postgres");
    EmbeddedPostgres.Options options = EmbeddedPostgres.Options.defaults().withDataDirectory(dir);
    try (EmbeddedPostgres running = EmbeddedPostgres.start(options)) {
      // its owner (this JVM) is alive: the server is in use, not orphaned, and must be left alone
      assertThatThrownBy(() -> EmbeddedPostgres.start(options))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
      assertThat(query(running, running.jdbcUrl("postgres"), "SELECT 1")).containsExactly("1");
    }

    // The server died with its owner and its process id now belongs to another program (this JVM stands in for
    // it): PostgreSQL alone would refuse to start while postmaster.pid names a live process.
    Files.writeString(dir.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + dir.toAbsolutePath()
        + "\n1700000000\n5432\n/tmp\nlocalhost\n  5432001    42\nready   \n");
    assertThat(EmbeddedPostgres.stopOrphanedServer(dir)).isFalse();
    assertThat(dir.resolve("postmaster.pid")).doesNotExist();
    try (EmbeddedPostgres again = EmbeddedPostgres.start(options)) {
      assertThat(query(again, again.jdbcUrl("postgres"), "SELECT 1")).containsExactly("1");
    }
  }

  @Test
  void refusesDatabaseNamesThatWouldNeedQuoting() {
    EmbeddedPostgres pg = TestInfrastructure.postgres();

    assertThatThrownBy(() -> pg.createDatabaseIfMissing("x; DROP DATABASE postgres"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> pg.jdbcUrl("Mixed")).isInstanceOf(IllegalArgumentException.class);
  }

  static void execute(EmbeddedPostgres pg, String url, String... statements) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password()); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  static List<String> query(EmbeddedPostgres pg, String url, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
         Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
