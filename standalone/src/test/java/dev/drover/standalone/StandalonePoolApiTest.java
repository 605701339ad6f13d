package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pools and maxActiveTasks over REST on the embedded default (real broker, real PostgreSQL, real executor): define
 * and read pools, bad input, and a run whose tasks wait for the pool's only slot, visible as QUEUED and as the pool's
 * queue.
 */
class StandalonePoolApiTest {
    private static final String PIPELINE = """
            id: pooled
            maxActiveTasks: 2
            tasks:
              - {id: first, type: shell, command: sleep 2, pool: api-pool, priority: 5}
              - {id: second, type: shell, command: sleep 2, pool: api-pool}
              - {id: third, type: noop}
            """;

    @TempDir
    static Path dataDir;
    static DroverStandalone drover;
    static DroverClient client;

    @BeforeAll
    static void start() {
        drover = DroverStandalone.start(new DroverStandalone.Settings(dataDir, 0, 0, -1, dataDir,
                Map.of("drover.scheduler.instance-id", "pool-api-test", "drover.executor.heartbeat-interval",
                        "500ms")));
        client = drover.client();
    }

    @AfterAll
    static void stop() {
        if (drover != null) {
            drover.close();
        }
    }

    static Map<String, Object> body(Object slots, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("slots", slots);
        if (description != null) {
            m.put("description", description);
        }
        return m;
    }

    @Test
    void aPoolIsDefinedResizedAndRead() {
        DroverClient.Response put = client.put("/api/v1/pools/warehouse", body(3, "the warehouse's connections"));
        assertThat(put.status()).as(put.body().toString()).isEqualTo(200);
        assertThat(put.body().path("slots").asInt()).isEqualTo(3);
        DroverClient.Response resized = client.put("/api/v1/pools/warehouse", body(5, "more"));
        JsonNode pool = client.get("/api/v1/pools/warehouse?position=" + resized.body().path("position").asText())
                .body();
        assertThat(pool.path("slots").asInt()).isEqualTo(5);
        assertThat(pool.path("description").asText()).isEqualTo("more");
        assertThat(pool.path("occupied").asInt()).isZero();
        assertThat(pool.path("open").asInt()).isEqualTo(5);
        assertThat(pool.path("queue").isArray()).isTrue();
        JsonNode all = client.get("/api/v1/pools?position=" + resized.body().path("position").asText()).body();
        assertThat(all.findValuesAsText("name")).contains("warehouse");
    }

    @Test
    void badPoolRequestsSayWhatToSend() {
        assertError(client.put("/api/v1/pools/GPU", body(1, null)), 400, "invalid_pool", "not a valid pool name");
        assertError(client.put("/api/v1/pools/gpu", Map.of("description", "x")), 400, "invalid_pool",
                "must give `slots`");
        assertError(client.put("/api/v1/pools/gpu", body(-1, null)), 400, "invalid_pool", "from 0 to 100000");
        assertError(client.put("/api/v1/pools/gpu", body("two", null)), 400, "invalid_pool", "whole number");
        assertError(client.put("/api/v1/pools/gpu", Map.of("slots", 1, "size", 2)), 400, "invalid_pool",
                "unknown key");
        DroverClient.Response unknown = client.get("/api/v1/pools/never-defined");
        assertError(unknown, 404, "unknown_pool", "does not exist");
        assertThat(unknown.body().path("fix").asText()).contains("PUT /api/v1/pools/never-defined");
    }

    @Test
    void tasksWaitForTheirPoolsOnlySlotAndTheWaitIsVisible() {
        assertThat(client.put("/api/v1/pools/api-pool", body(1, "one at a time")).status()).isEqualTo(200);
        assertThat(client.registerPipeline(PIPELINE).status()).isEqualTo(201);
        String runId = client.startRun("pooled", Map.of()).body().path("runId").asText();

        // while first runs, second waits for the pool (QUEUED); third waits for one of the run's two slots
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode pool = client.get("/api/v1/pools/api-pool").body();
            assertThat(pool.path("occupied").asInt()).as(pool.toString()).isEqualTo(1);
            assertThat(pool.path("occupiedBy").get(0).path("taskId").asText()).isEqualTo("first");
            assertThat(pool.path("queue").get(0).path("taskId").asText()).isEqualTo("second");
            JsonNode run = client.run(runId).body();
            assertThat(task(run, "second").path("status").asText()).isEqualTo("QUEUED");
            assertThat(task(run, "third").path("status").asText()).isEqualTo("QUEUED");
        });
        JsonNode run = client.awaitRun(runId, Duration.ofSeconds(60));
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode pool = client.get("/api/v1/pools/api-pool").body();
            assertThat(pool.path("occupied").asInt()).isZero();
            assertThat(pool.path("queued").asInt()).isZero();
        });
        JsonNode first = task(run, "first").path("attempts").get(0);
        JsonNode second = task(run, "second").path("attempts").get(0);
        assertThat(java.time.Instant.parse(second.path("dispatchedAt").asText()))
                .as("second went out after first finished")
                .isAfterOrEqualTo(java.time.Instant.parse(first.path("finishedAt").asText()));

        // the run's history reads as a story: the pool's events (decided on the pool's own partition) come where
        // they happened, after the run started, and time never goes backwards
        JsonNode events = client.get("/api/v1/runs/" + runId + "/events").body();
        java.util.List<String> types = new java.util.ArrayList<>();
        java.time.Instant previous = java.time.Instant.EPOCH;
        for (JsonNode e : events) {
            types.add(e.path("type").asText());
            java.time.Instant at = java.time.Instant.parse(e.path("at").asText());
            assertThat(at).as(events.toString()).isAfterOrEqualTo(previous);
            previous = at;
        }
        assertThat(types.get(0)).as(types.toString()).isEqualTo("RunStarted");
        assertThat(types).contains("PoolSlotGranted");
    }

    private static JsonNode task(JsonNode run, String taskId) {
        for (JsonNode t : run.path("tasks")) {
            if (t.path("taskId").asText().equals(taskId) || t.path("id").asText().equals(taskId)) {
                return t;
            }
        }
        throw new AssertionError("no task " + taskId + " in " + run);
    }

    private static void assertError(DroverClient.Response response, int status, String error, String message) {
        assertThat(response.status()).as(response.body().toString()).isEqualTo(status);
        assertThat(response.body().path("error").asText()).isEqualTo(error);
        assertThat(response.body().path("message").asText()).contains(message);
        assertThat(response.body().path("fix").asText()).isNotBlank();
    }
}
