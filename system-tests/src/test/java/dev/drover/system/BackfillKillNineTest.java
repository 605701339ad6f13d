package dev.drover.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.embedded.EmbeddedPostgres;
import dev.drover.standalone.DroverClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 30-day backfill with a concurrency of 4, run by a scheduler JVM that is killed with {@code kill -9} in the
 * middle and restarted: exactly 30 runs, each logical date once, never more than 4 active at once (read from the
 * event log), and the backfill completes.
 */
class BackfillKillNineTest {
    private static final String PIPELINE = """
            id: daily-features
            schedule: {cron: "@daily", startDate: "2100-01-01"}
            tasks:
              - id: build
                type: shell
                command: "sleep 1; echo {{ run.logicalDate }}"
            """;

    @TempDir
    static Path tmp;
    static Path logs = Path.of("target", "system-logs");
    static ServiceProcess kafka;
    static EmbeddedPostgres postgres;
    static String jdbc;
    static String bootstrap;
    static int schedulerPort;
    static ServiceProcess scheduler;
    static final List<ServiceProcess> executors = new ArrayList<>();
    static DroverClient client;

    @BeforeAll
    static void startSystem() throws Exception {
        kafka = ServiceProcess.start("kafka-bf", logs, KafkaProcess.class.getName(), Map.of(),
                List.of(tmp.resolve("kafka").toString()), "KAFKA_READY");
        postgres = EmbeddedPostgres.start(EmbeddedPostgres.Options.defaults());
        jdbc = postgres.createDatabaseIfMissing("drover_backfill");
        bootstrap = kafka.awaitReady(120);
        schedulerPort = freePort();
        scheduler = startScheduler("bf-scheduler-1");
        executors.add(startExecutor("bf-exec-a"));
        executors.add(startExecutor("bf-exec-b"));
        client = new DroverClient("http://localhost:" + schedulerPort);
        awaitHealthy(schedulerPort);
        DroverClient.Response registered = client.registerPipeline(PIPELINE);
        assertThat(registered.status()).as(registered.body().toString()).isEqualTo(201);
    }

    static ServiceProcess startScheduler(String name) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("drover.kafka.bootstrap-servers", bootstrap);
        p.put("drover.scheduler.port", String.valueOf(schedulerPort));
        p.put("drover.scheduler.db.url", jdbc + "?currentSchema=scheduler");
        p.put("drover.scheduler.db.username", postgres.user());
        p.put("drover.scheduler.db.password", postgres.password());
        p.put("drover.scheduler.instance-id", "backfill-test");
        p.put("drover.scheduler.lease-duration", "4s");
        return ServiceProcess.start(name, logs, "dev.drover.scheduler.SchedulerApplication", p, List.of(), null);
    }

    static ServiceProcess startExecutor(String name) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("drover.kafka.bootstrap-servers", bootstrap);
        p.put("drover.executor.port", String.valueOf(freePort()));
        p.put("drover.executor.name", name);
        p.put("drover.executor.slots", "3");
        p.put("drover.executor.heartbeat-interval", "500ms");
        p.put("drover.executor.work-dir", tmp.toString());
        p.put("drover.executor.run-root", tmp.resolve("runs").toString());
        return ServiceProcess.start(name, logs, "dev.drover.executor.ExecutorApplication", p, List.of(), null);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        for (ServiceProcess e : executors) {
            e.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aBackfillKilledInTheMiddleFinishesWithEachDayOnceAndAtMostFourAtATime() throws Exception {
        DroverClient.Response r = client.post("/api/v1/pipelines/daily-features/backfills",
                Map.of("start", "2026-10-01", "end", "2026-10-31", "maxConcurrency", 4));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        assertThat(r.body().path("intervals").asInt()).isEqualTo(30);
        String backfill = "/api/v1/pipelines/daily-features/backfills/" + r.body().path("backfillId").asText();

        // kill the scheduler once a third of the runs have started, while four are active
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> client.get(backfill).body().path("runsStarted").asInt() >= 10);
        scheduler.kill9();
        scheduler = startScheduler("bf-scheduler-2");
        awaitHealthy(schedulerPort);

        JsonNode done = await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> client.get(backfill).body(),
                        b -> "COMPLETED".equals(b.path("status").asText()));
        assertThat(done.path("runsStarted").asInt()).as(done.toString()).isEqualTo(30);
        assertThat(done.path("runsSucceeded").asInt()).as(done.toString()).isEqualTo(30);

        try (Connection c = DriverManager.getConnection(jdbc, postgres.user(), postgres.password())) {
            ResultSet runs = c.createStatement().executeQuery("select count(*), count(distinct logical_date) "
                    + "from scheduler.runs where pipeline_id = 'daily-features'");
            runs.next();
            assertThat(runs.getInt(1)).as("runs").isEqualTo(30);
            assertThat(runs.getInt(2)).as("distinct logical dates").isEqualTo(30);

            ResultSet events = c.createStatement().executeQuery("select type, run_id from scheduler.scheduler_events "
                    + "where pipeline_id = 'daily-features' and type in ('RunStarted', 'RunFinished') "
                    + "order by partition_no, log_offset");
            Set<String> active = new HashSet<>();
            Set<String> started = new HashSet<>();
            int maxActive = 0;
            int startedEvents = 0;
            while (events.next()) {
                if (events.getString(1).equals("RunStarted")) {
                    startedEvents++;
                    started.add(events.getString(2));
                    active.add(events.getString(2));
                    maxActive = Math.max(maxActive, active.size());
                } else {
                    active.remove(events.getString(2));
                }
            }
            assertThat(startedEvents).as("RunStarted events: no run started twice").isEqualTo(30);
            assertThat(started).hasSize(30).allMatch(id -> id.matches("daily-features\\.2026-10-\\d\\dT00-00Z"));
            assertThat(maxActive).as("most runs active at once").isLessThanOrEqualTo(4).isGreaterThan(1);
        }
    }

    private static void awaitHealthy(int port) {
        DroverClient health = new DroverClient("http://localhost:" + port);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .until(() -> health.get("/health").ok() && health.get("/api/v1/admin/scheduler").body()
                        .path("processing").asBoolean());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
