package dev.drover.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.standalone.DroverClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole system as separate processes — a Kafka broker JVM, PostgreSQL, a scheduler JVM and two executor JVMs —
 * and {@code kill -9} of an executor during a long task and of the scheduler during a run. Runs must still succeed,
 * no attempt may be recorded as succeeded twice, and no run may be left stuck.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KillNineTest {
    private static final String PIPELINE = """
            id: e2e
            parameters:
              sleep: {type: integer, default: 1}
            defaults:
              retries: {count: 2, initialDelay: 200ms}
              timeout: 2m
            tasks:
              - id: prepare
                type: shell
                command: echo preparing {{ run.id }}
              - id: long
                type: shell
                dependsOn: [prepare]
                command: "sleep {{ params.sleep }}; echo '{\\"slept\\": {{ params.sleep }}}' > $DROVER_OUTPUT"
              - id: finish
                type: noop
                dependsOn: [long]
            """;

    @TempDir
    static Path tmp;
    static SchedulerCluster cluster;
    static DroverClient client;

    @BeforeAll
    static void startSystem() throws Exception {
        cluster = SchedulerCluster.start(tmp, "", "drover_system", "system-test", 2, "exec-a", "exec-b");
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
    @Order(1)
    void aRunSucceedsAcrossProcesses() {
        String runId = start(1);
        JsonNode run = client.awaitRun(runId, Duration.ofSeconds(60));
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(attempts(run, "long").get(0).path("outputs").path("slept").asInt()).isEqualTo(1);
    }

    @Test
    @Order(2)
    void killingAnExecutorDuringALongTaskRetriesItOnTheOther() throws Exception {
        // long enough that it is still running after the quick run below, even on a loaded machine
        String runId = start(30);
        JsonNode running = awaitLongRunning(runId);
        // no head-of-line blocking: a run queued behind the long task, in the same partition, finishes meanwhile
        String quick = start(1);
        assertThat(client.awaitRun(quick, Duration.ofSeconds(20)).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(client.run(runId).body().path("status").asText()).isEqualTo("RUNNING");
        String victimId = attempts(running, "long").get(0).path("executorId").asText();
        ServiceProcess victim = cluster.executors.stream().filter(e -> victimId.startsWith(e.name() + "-")).findFirst()
                .orElseThrow();
        victim.kill9();

        JsonNode run = client.awaitRun(runId, Duration.ofSeconds(90));
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        List<JsonNode> attempts = attempts(run, "long");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).path("status").asText()).isEqualTo("LOST");
        assertThat(attempts.get(1).path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(attempts.get(1).path("executorId").asText()).doesNotStartWith(victim.name() + "-");
        cluster.executors.remove(victim);
    }

    @Test
    @Order(3)
    void killingTheSchedulerDuringARunLetsARestartedOneFinishIt() throws Exception {
        cluster.executors.add(cluster.startExecutor("exec-c"));
        String runId = start(5);
        awaitLongRunning(runId);
        cluster.killAndRestartScheduler("scheduler-2");

        JsonNode run = client.awaitRun(runId, Duration.ofSeconds(90));
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
    }

    @Test
    @Order(4)
    void noAttemptSucceededTwiceAndNoRunIsStuck() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(client.get("/api/v1/runs?status=RUNNING").body().size()).isZero());
        try (Connection c = DriverManager.getConnection(cluster.jdbc, cluster.postgres.user(), cluster.postgres.password())) {
            ResultSet rs = c.createStatement().executeQuery("select run_id, task_id, count(*) from "
                    + "scheduler.scheduler_events where type = 'TaskSucceeded' group by run_id, task_id "
                    + "having count(*) > 1");
            assertThat(rs.next()).as("a task recorded as succeeded twice").isFalse();
            ResultSet runs = c.createStatement().executeQuery("select count(*) from scheduler.runs "
                    + "where status = 'SUCCEEDED'");
            runs.next();
            assertThat(runs.getInt(1)).isEqualTo(4);
        }
    }

    private static String start(int sleepSeconds) {
        DroverClient.Response r = client.startRun("e2e", Map.of("sleep", sleepSeconds));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.body().path("runId").asText();
    }

    private static JsonNode awaitLongRunning(String runId) {
        JsonNode[] seen = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            DroverClient.Response r = client.run(runId);
            seen[0] = r.body();
            return r.ok() && "RUNNING".equals(task(r.body(), "long").path("status").asText());
        });
        return seen[0];
    }

    private static JsonNode task(JsonNode run, String taskId) {
        for (JsonNode t : run.path("tasks")) {
            if (t.path("taskId").asText().equals(taskId)) {
                return t;
            }
        }
        throw new AssertionError("no task " + taskId + " in " + run);
    }

    private static List<JsonNode> attempts(JsonNode run, String taskId) {
        List<JsonNode> out = new ArrayList<>();
        task(run, taskId).path("attempts").forEach(out::add);
        return out;
    }

}
