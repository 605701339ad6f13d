package dev.drover.embedded;

import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.server.SharedServer;
import kafka.server.StandardFaultHandlerFactory;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.raft.QuorumConfig;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.KRaftVersion;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Kafka cluster (one combined broker + KRaft controller) running inside this JVM, built from the
 * Kafka server jars.
 *
 * <p>It is the same server a {@code kafka-server-start.sh} process runs, with every production feature on
 * (share groups, transactions v2, the consumer group protocol), and the single-node sizes of the internal topics.
 * With a {@linkplain Options#dataDirectory() data directory} it is persistent: closing and starting again on the
 * same directory keeps every topic, record, committed offset and share-group state. Without one it lives in a
 * temporary directory that {@link #close()} deletes.
 *
 * <p>The broker's threads are not daemons: whoever starts it must {@link #close()} it (after closing their clients,
 * or client close blocks on retries). A fatal metadata fault halts the JVM, exactly as it would stop a Kafka process.
 */
public final class EmbeddedKafka implements AutoCloseable {

  /** Node id of the one combined broker/controller; fixed so a persistent directory always matches. */
  public static final int NODE_ID = 1;

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String CLIENT_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";
  private static final String SASL_LISTENER = "SASL";
  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
  private static final String CLEAN_SHUTDOWN_MARKER = ".kafka_cleanshutdown";

  private final Path dataDirectory;
  private final boolean persistent;
  private final String bootstrapServers;
  private final String saslBootstrapServers;
  private final String clusterId;
  private final Duration startupTime;
  private final PreboundSockets sockets;
  private final ControllerServer controller;
  private final BrokerServer broker;
  private boolean closed;

  private EmbeddedKafka(Path dataDirectory, boolean persistent, String bootstrapServers, String saslBootstrapServers,
                        String clusterId, Duration startupTime, PreboundSockets sockets, ControllerServer controller,
                        BrokerServer broker) {
    this.dataDirectory = dataDirectory;
    this.persistent = persistent;
    this.bootstrapServers = bootstrapServers;
    this.saslBootstrapServers = saslBootstrapServers;
    this.clusterId = clusterId;
    this.startupTime = startupTime;
    this.sockets = sockets;
    this.controller = controller;
    this.broker = broker;
  }

  /**
   * How to run the embedded broker.
   *
   * @param dataDirectory where the logs and cluster metadata live; {@code null} for a temporary directory deleted on
   *                      close, otherwise the directory is formatted on first use and reused on every later start
   * @param port          the client (PLAINTEXT) port; 0 picks a free one
   * @param host          the address the client listener binds to and advertises; a wildcard address binds every
   *                      interface and advertises this machine's host name
   * @param brokerConfig  extra broker properties, applied last so they win over the embedded defaults (the
   *                      listener and quorum settings are derived from {@code port} and must not be overridden)
   * @param saslMechanism {@code null}, or a SCRAM mechanism ({@code SCRAM-SHA-256}, {@code SCRAM-SHA-512}) that a
   *                      second client listener, SASL_PLAINTEXT on a free port, requires: a broker to test
   *                      authenticated clients against. The PLAINTEXT listener stays: it carries the inter-broker
   *                      traffic and is where the test creates the SCRAM users (there are none at first)
   */
  public record Options(Path dataDirectory, int port, String host, Map<String, String> brokerConfig,
                        String saslMechanism) {

    /** Validates and freezes the options. */
    public Options {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      Objects.requireNonNull(host, "host");
      brokerConfig = Map.copyOf(brokerConfig);
      if (saslMechanism != null && !saslMechanism.startsWith("SCRAM-SHA-")) {
        throw new IllegalArgumentException("only SCRAM mechanisms are supported, not " + saslMechanism);
      }
    }

    /** Temporary data, a free port on the loopback address, no extra configuration. */
    public static Options defaults() {
      return new Options(null, 0, LOOPBACK, Map.of(), null);
    }

    /** These options with a persistent data directory ({@code null} for a temporary one). */
    public Options withDataDirectory(Path directory) {
      return new Options(directory, port, host, brokerConfig, saslMechanism);
    }

    /** These options with a fixed client port (0 for any free port). */
    public Options withPort(int clientPort) {
      return new Options(dataDirectory, clientPort, host, brokerConfig, saslMechanism);
    }

    /** These options with another bind/advertised host. */
    public Options withHost(String clientHost) {
      return new Options(dataDirectory, port, clientHost, brokerConfig, saslMechanism);
    }

    /** These options with one more broker property. */
    public Options withBrokerConfig(String key, String value) {
      Map<String, String> merged = new LinkedHashMap<>(brokerConfig);
      merged.put(key, value);
      return new Options(dataDirectory, port, host, merged, saslMechanism);
    }

    /** These options with a second client listener that requires SASL with this SCRAM mechanism. */
    public Options withSaslListener(String scramMechanism) {
      return new Options(dataDirectory, port, host, brokerConfig, Objects.requireNonNull(scramMechanism));
    }
  }

  /**
   * Formats the data directory if it is new, starts the broker and returns once it accepts clients.
   *
   * @throws IllegalStateException if the broker cannot start (port taken, directory locked or unreadable, ...)
   */
  public static EmbeddedKafka start(Options options) {
    long started = System.nanoTime();
    boolean persistent = options.dataDirectory() != null;
    Path dir = persistent ? options.dataDirectory().toAbsolutePath() : Directories.createTemp("drover-kafka-");
    PreboundSockets sockets = new PreboundSockets();
    ControllerServer controller = null;
    BrokerServer broker = null;
    try {
      Files.createDirectories(dir);
      int clientPort = sockets.bind(CLIENT_LISTENER, options.host(), options.port());
      int controllerPort = sockets.bind(CONTROLLER_LISTENER, LOOPBACK, 0);
      int saslPort = options.saslMechanism() == null ? -1 : sockets.bind(SASL_LISTENER, options.host(), 0);
      String advertisedHost = advertisedHost(options.host());
      KafkaConfig config = new KafkaConfig(
          brokerProperties(dir, options, advertisedHost, clientPort, controllerPort, saslPort), false);

      // Kafka writes this marker on a clean shutdown and removes it while starting: without it, the last process to
      // run the broker died, and its consumer groups still list that process's members.
      boolean uncleanRestart = Files.exists(dir.resolve("meta.properties"))
          && !Files.exists(dir.resolve(CLEAN_SHUTDOWN_MARKER));
      if (!Files.exists(dir.resolve("meta.properties"))) {
        format(dir);
      }
      Tuple2<MetaPropertiesEnsemble, BootstrapMetadata> logDirs =
          KafkaRaftServer.initializeLogDirs(config, LOG, "[embedded-kafka] ");
      String clusterId = logDirs._1().clusterId().orElseThrow();

      // The same assembly as KafkaRaftServer, except for the socket factory that hands over the prebound ports.
      Metrics metrics = Server.initializeMetrics(config, Time.SYSTEM, clusterId);
      SharedServer shared = new SharedServer(config, logDirs._1(), Time.SYSTEM, metrics,
          CompletableFuture.completedFuture(QuorumConfig.parseVoterConnections(config.quorumConfig().voters())),
          QuorumConfig.parseBootstrapServers(config.quorumConfig().bootstrapServers()),
          new StandardFaultHandlerFactory(), sockets);
      controller = new ControllerServer(shared, KafkaRaftServer.configSchema(), logDirs._2());
      broker = new BrokerServer(shared);
      // Controller first: the broker registers with it while starting (the order KafkaRaftServer uses).
      controller.startup();
      broker.startup();
      controller.controller().waitForReadyBrokers(1).get(60, TimeUnit.SECONDS);
      String bootstrap = advertisedHost + ":" + broker.boundPort(ListenerName.normalised(CLIENT_LISTENER));
      String saslBootstrap = saslPort < 0 ? null
          : advertisedHost + ":" + broker.boundPort(ListenerName.normalised(SASL_LISTENER));
      if (uncleanRestart) {
        LeftoverGroupMembers.removeAll(bootstrap);
      }

      Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
      LOG.info("Embedded Kafka {} up in {} ms at {} ({} data in {}, cluster {})", kafkaVersion(),
          startupTime.toMillis(), bootstrap, persistent ? "persistent" : "temporary", dir, clusterId);
      return new EmbeddedKafka(dir, persistent, bootstrap, saslBootstrap, clusterId, startupTime, sockets, controller,
          broker);
    } catch (Exception e) {
      stopQuietly(broker, controller);
      sockets.close();
      if (!persistent) {
        Directories.deleteQuietly(dir);
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("embedded Kafka did not start (data directory " + dir
          + ", client port " + options.port() + "): " + e.getMessage(), e);
    }
  }

  /** The {@code bootstrap.servers} value for clients, {@code host:port}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * The {@code bootstrap.servers} of the listener that requires SASL ({@link Options#withSaslListener}).
   *
   * @throws IllegalStateException if the broker was started without one
   */
  public String saslBootstrapServers() {
    if (saslBootstrapServers == null) {
      throw new IllegalStateException("this broker has no SASL listener (Options.withSaslListener)");
    }
    return saslBootstrapServers;
  }

  /** The directory holding the logs and metadata (a temporary one unless {@link #persistent()}). */
  public Path dataDirectory() {
    return dataDirectory;
  }

  /** Whether the data outlives {@link #close()}. */
  public boolean persistent() {
    return persistent;
  }

  /** The cluster id written when the data directory was formatted; stable across restarts of a persistent one. */
  public String clusterId() {
    return clusterId;
  }

  /** Wall time {@link #start(Options)} took, formatting included. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Stops the broker, then the controller; deletes the data directory unless it is persistent. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long t = System.nanoTime();
    stopQuietly(broker, controller);
    sockets.close();
    if (!persistent) {
      Directories.deleteQuietly(dataDirectory);
    }
    LOG.info("Embedded Kafka at {} stopped in {} ms", bootstrapServers, (System.nanoTime() - t) / 1_000_000);
  }

  private static Map<String, Object> brokerProperties(Path dir, Options options, String advertisedHost,
                                                      int clientPort, int controllerPort, int saslPort) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", CLIENT_LISTENER);
    p.put("listener.security.protocol.map", CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("listeners", CLIENT_LISTENER + "://" + options.host() + ":" + clientPort + ","
        + CONTROLLER_LISTENER + "://" + LOOPBACK + ":" + controllerPort);
    p.put("advertised.listeners", CLIENT_LISTENER + "://" + advertisedHost + ":" + clientPort);
    if (options.saslMechanism() != null) {
      String mechanism = options.saslMechanism();
      String prefix = "listener.name." + SASL_LISTENER.toLowerCase(java.util.Locale.ROOT) + ".";
      p.put("listener.security.protocol.map", p.get("listener.security.protocol.map") + ","
          + SASL_LISTENER + ":SASL_PLAINTEXT");
      p.put("listeners", p.get("listeners") + "," + SASL_LISTENER + "://" + options.host() + ":" + saslPort);
      p.put("advertised.listeners", p.get("advertised.listeners") + ","
          + SASL_LISTENER + "://" + advertisedHost + ":" + saslPort);
      p.put(prefix + "sasl.enabled.mechanisms", mechanism);
      // The server side of SCRAM checks against the credentials in the cluster metadata; it needs no users here.
      p.put(prefix + mechanism.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    // A static one-voter quorum: the controller port may differ on every start without touching the stored data,
    // which a dynamic (KIP-853) quorum would not allow, since it records voter endpoints in the log.
    p.put("controller.quorum.voters", NODE_ID + "@" + LOOPBACK + ":" + controllerPort);
    p.put("log.dirs", dir.toString());
    p.put("metadata.log.dir", dir.toString());
    // One node can only hold one replica: the internal topics' defaults (3) would never become available.
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // Few internal partitions keep the first group/transaction quick and the directory small; four still gives each
    // of the group coordinator's default four threads a partition of its own.
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.num.partitions", "4");
    // No one else will join: waiting for more members only delays every classic-group start.
    p.put("group.initial.rebalance.delay.ms", "0");
    // A new share-group member is given partitions in a later heartbeat response, not the first: at the default
    // 5 s interval every executor start (and every test) waits ~5 s for its first task. A heartbeat per second and
    // member costs nothing on one local node.
    p.put("group.share.heartbeat.interval.ms", "1000");
    p.put("group.share.min.heartbeat.interval.ms", "1000");
    // A crashed transactional producer pins read_committed consumers at its open transaction until the
    // coordinator aborts it; check for timed-out transactions every second instead of every ten.
    p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    // The log cleaner's default 128 MiB dedupe buffer is a large slice of a JVM that hosts the whole product.
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
    // Startup waits are unbounded by default; an embedded broker that cannot start must fail, not hang.
    p.put("server.max.startup.time.ms", "60000");
    // After a kill -9 the metadata log still holds the dead process's broker registration, and the restarted
    // controller refuses the new one (DUPLICATE_BROKER_REGISTRATION) until that session expires: 9 s by default on
    // every restart after a crash. Broker and controller share this JVM, so their heartbeats never cross a network.
    p.put("broker.heartbeat.interval.ms", "1000");
    p.put("broker.session.timeout.ms", "4000");
    p.putAll(options.brokerConfig());
    return p;
  }

  /**
   * Writes meta.properties and the bootstrap metadata: what {@code kafka-storage.sh format} does. Every production
   * feature is set to its default level for the latest production metadata version, stated explicitly so that share
   * groups and transactions v2 are on (the test kit's {@code setBootstrapMetadataVersion} silently drops them).
   */
  private static void format(Path dir) throws Exception {
    MetadataVersion release = MetadataVersion.latestProduction();
    Formatter formatter = new Formatter()
        .setNodeId(NODE_ID)
        .setClusterId(Uuid.randomUuid().toString())
        .setDirectories(List.of(dir.toString()))
        .setMetadataLogDirectory(dir.toString())
        .setControllerListenerName(CONTROLLER_LISTENER)
        .setReleaseVersion(release);
    for (Feature feature : Feature.PRODUCTION_FEATURES) {
      // kraft.version follows from the quorum kind (static here), the Formatter derives it.
      if (!feature.featureName().equals(KRaftVersion.FEATURE_NAME)) {
        formatter.setFeatureLevel(feature.featureName(), feature.defaultLevel(release));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    formatter.setPrintStream(new PrintStream(out, true, StandardCharsets.UTF_8));
    formatter.run();
    LOG.info("Formatted {}: {}", dir, out.toString(StandardCharsets.UTF_8).trim());
  }

  private static String advertisedHost(String host) throws UnknownHostException {
    InetAddress address = InetAddress.getByName(host);
    return address.isAnyLocalAddress() ? InetAddress.getLocalHost().getCanonicalHostName() : host;
  }

  private static void stopQuietly(BrokerServer broker, ControllerServer controller) {
    // Broker before controller: the broker's controlled shutdown talks to the controller (KafkaRaftServer's order).
    if (broker != null) {
      try {
        broker.shutdown(SHUTDOWN_TIMEOUT);
      } catch (RuntimeException e) {
        LOG.warn("Embedded Kafka broker did not shut down cleanly", e);
      }
    }
    if (controller != null) {
      try {
        controller.shutdown();
      } catch (RuntimeException e) {
        LOG.warn("Embedded Kafka controller did not shut down cleanly", e);
      }
    }
  }

  private static String kafkaVersion() {
    try {
      return org.apache.kafka.common.utils.AppInfoParser.getVersion();
    } catch (LinkageError e) {
      return "?";
    }
  }
}
