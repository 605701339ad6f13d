package dev.drover.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.standalone.DroverClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashSet;
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
    static SchedulerCluster cluster;
    static DroverClient client;

    @BeforeAll
    static void startSystem() throws Exception {
        cluster = SchedulerCluster.start(tmp, "bf-", "drover_backfill", "backfill-test", 3, "bf-exec-a", "bf-exec-b");
        client = cluster.client;
        DroverClient.Response registered = client.registerPipeline(PIPELINE);
        assertThat(registered.status()).as(registered.body().toString()).isEqualTo(201);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (cluster != null) {
            cluster.close();
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
        cluster.killAndRestartScheduler("bf-scheduler-2");

        JsonNode done = await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptions().until(() -> client.get(backfill).body(),
                        b -> "COMPLETED".equals(b.path("status").asText()));
        assertThat(done.path("runsStarted").asInt()).as(done.toString()).isEqualTo(30);
        assertThat(done.path("runsSucceeded").asInt()).as(done.toString()).isEqualTo(30);

        try (Connection c = DriverManager.getConnection(cluster.jdbc, cluster.postgres.user(), cluster.postgres.password())) {
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

}
