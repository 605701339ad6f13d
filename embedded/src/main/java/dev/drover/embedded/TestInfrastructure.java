package dev.drover.embedded;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded Kafka broker and one embedded PostgreSQL server per test JVM, for every test class that needs them.
 *
 * <p>Each is started on first use (a test that only needs Kafka never starts PostgreSQL) and stopped by a shutdown
 * hook when the JVM exits, so their start-up is paid once per Surefire fork rather than once per class. Both use
 * temporary data and free ports.
 *
 * <p>Sharing the servers must not mean sharing data: give each test class its own database with
 * {@link #newDatabase(String)}, and its own topic names and group ids (a class-specific prefix or a random suffix),
 * since the broker is common to all of them.
 *
 * <p>Lives in main scope so that other modules' tests can depend on it without a test-jar.
 */
public final class TestInfrastructure {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedKafka kafka;
  private static EmbeddedPostgres postgres;
  private static boolean hookRegistered;

  private TestInfrastructure() {
  }

  /** The shared broker's {@code bootstrap.servers}, starting it if this is the first call in the JVM. */
  public static String kafkaBootstrap() {
    return kafka().bootstrapServers();
  }

  /** The shared broker, starting it if needed. Do not close it: the shutdown hook does. */
  public static synchronized EmbeddedKafka kafka() {
    if (kafka == null) {
      registerShutdownHook();
      kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults());
    }
    return kafka;
  }

  /** The shared database server, starting it if needed. Do not close it: the shutdown hook does. */
  public static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      registerShutdownHook();
      postgres = EmbeddedPostgres.start(EmbeddedPostgres.Options.defaults());
    }
    return postgres;
  }

  /**
   * Creates a fresh, empty database on the shared server and returns its JDBC URL (connect as
   * {@link #postgresUser()} / {@link #postgresPassword()}).
   *
   * @param prefix a readable hint such as the test class name; it is lower-cased, reduced to letters, digits and
   *               underscores, shortened, and made unique with a sequence number
   */
  public static String newDatabase(String prefix) {
    String readable = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
    if (readable.length() > 40) {
      readable = readable.substring(readable.length() - 40);
    }
    if (readable.isEmpty() || Character.isDigit(readable.charAt(0))) {
      readable = "db_" + readable;
    }
    return postgres().createDatabaseIfMissing(readable + "_" + DATABASES.incrementAndGet());
  }

  /** The user for URLs from {@link #newDatabase(String)}. */
  public static String postgresUser() {
    return postgres().user();
  }

  /** The password for URLs from {@link #newDatabase(String)}. */
  public static String postgresPassword() {
    return postgres().password();
  }

  private static void registerShutdownHook() {
    if (hookRegistered) {
      return;
    }
    hookRegistered = true;
    Runtime.getRuntime().addShutdownHook(new Thread(TestInfrastructure::stopAll, "drover-test-infrastructure-stop"));
  }

  private static synchronized void stopAll() {
    if (kafka != null) {
      kafka.close();
      kafka = null;
    }
    if (postgres != null) {
      postgres.close();
      postgres = null;
    }
  }
}
