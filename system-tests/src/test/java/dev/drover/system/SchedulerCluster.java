package dev.drover.system;

import dev.drover.embedded.EmbeddedPostgres;
import dev.drover.standalone.DroverClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A Kafka broker, PostgreSQL, one scheduler and executors, each service in a JVM of its own: what the {@code kill -9}
 * system tests take apart and put together again. The scheduler keeps its port across restarts, so {@link #client}
 * keeps working.
 */
final class SchedulerCluster implements AutoCloseable {
    private static final Path LOGS = Path.of("target", "system-logs");
    private final Path dir;
    private final String instanceId;
    private final int executorSlots;
    final ServiceProcess kafka;
    final EmbeddedPostgres postgres;
    final String jdbc;
    final String bootstrap;
    final int schedulerPort;
    /** Signed in as the admin the scheduler created at its first start (set once it is healthy). */
    DroverClient client;
    /** Where the scheduler's first start wrote the admin's and the services' secrets. */
    final Path security;
    final List<ServiceProcess> executors = new ArrayList<>();
    ServiceProcess scheduler;

    private SchedulerCluster(Path dir, String prefix, String database, String instanceId, int executorSlots)
            throws Exception {
        this.dir = dir;
        this.instanceId = instanceId;
        this.executorSlots = executorSlots;
        this.kafka = ServiceProcess.start(prefix + "kafka", LOGS, KafkaProcess.class.getName(), Map.of(),
                List.of(dir.resolve("kafka").toString()), "KAFKA_READY");
        this.postgres = EmbeddedPostgres.start(EmbeddedPostgres.Options.defaults());
        this.jdbc = postgres.createDatabaseIfMissing(database);
        this.bootstrap = kafka.awaitReady(120);
        this.schedulerPort = freePort();
        this.security = dir.resolve("security");
    }

    /**
     * Starts the broker, PostgreSQL, scheduler {@code <prefix>scheduler-1} and the named executors, and waits until the
     * scheduler processes commands.
     *
     * @param dir           working directory: the broker's data, the executors' work and run directories
     * @param prefix        prefix of every process name (their logs go to {@code target/system-logs})
     * @param executorSlots slots of each executor
     */
    static SchedulerCluster start(Path dir, String prefix, String database, String instanceId, int executorSlots,
                                  String... executorNames) throws Exception {
        SchedulerCluster cluster = new SchedulerCluster(dir, prefix, database, instanceId, executorSlots);
        cluster.scheduler = cluster.startScheduler(prefix + "scheduler-1");
        for (String name : executorNames) {
            cluster.executors.add(cluster.startExecutor(name));
        }
        cluster.awaitHealthy();
        return cluster;
    }

    /** Starts a scheduler JVM on the cluster's scheduler port (the caller keeps it in {@link #scheduler}). */
    ServiceProcess startScheduler(String name) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("drover.kafka.bootstrap-servers", bootstrap);
        p.put("drover.scheduler.port", String.valueOf(schedulerPort));
        p.put("drover.scheduler.db.url", jdbc + "?currentSchema=scheduler");
        p.put("drover.scheduler.db.username", postgres.user());
        p.put("drover.scheduler.db.password", postgres.password());
        p.put("drover.scheduler.instance-id", instanceId);
        p.put("drover.scheduler.lease-duration", "4s");
        p.put("drover.security.bootstrap-dir", security.toString());
        return ServiceProcess.start(name, LOGS, "dev.drover.scheduler.SchedulerApplication", p, List.of(), null);
    }

    /** Starts an executor JVM (the caller adds it to {@link #executors} if it should be closed with the cluster). */
    ServiceProcess startExecutor(String name) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("drover.kafka.bootstrap-servers", bootstrap);
        p.put("drover.executor.port", String.valueOf(freePort()));
        p.put("drover.executor.name", name);
        p.put("drover.executor.slots", String.valueOf(executorSlots));
        p.put("drover.executor.heartbeat-interval", "500ms");
        p.put("drover.executor.work-dir", dir.toString());
        p.put("drover.executor.run-root", dir.resolve("runs").toString());
        p.put("drover.security.service-token-file", security.resolve("service-token").toString());
        return ServiceProcess.start(name, LOGS, "dev.drover.executor.ExecutorApplication", p, List.of(), null);
    }

    /** Kills the scheduler with {@code kill -9}, starts {@code name} in its place and waits until it processes. */
    void killAndRestartScheduler(String name) throws IOException, InterruptedException {
        scheduler.kill9();
        scheduler = startScheduler(name);
        awaitHealthy();
    }

    /** Waits until the scheduler answers and its loop owns partitions and processes commands. */
    void awaitHealthy() {
        DroverClient anonymous = new DroverClient("http://localhost:" + schedulerPort);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> anonymous.get("/health").ok() && Files.exists(security.resolve("admin-token")));
        try {
            client = new DroverClient("http://localhost:" + schedulerPort,
                    Files.readString(security.resolve("admin-token")).trim());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> client.get("/api/v1/admin/scheduler").body().path("processing").asBoolean());
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess e : executors) {
            e.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        kafka.close();
        postgres.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
