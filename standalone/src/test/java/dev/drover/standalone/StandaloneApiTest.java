package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded default end to end over REST, with a real broker and a real PostgreSQL: registering pipelines and
 * revisions, runs with parameters and upstream outputs, logs, history, cancel, bad input, read-model rebuild and a
 * restart on the same data directory.
 */
class StandaloneApiTest {
    private static final String PIPELINE = """
            id: api-test
            description: exercises the API
            parameters:
              greeting: {type: string, default: hello}
              count: {type: integer}
            defaults:
              retries: 0
            tasks:
              - id: produce
                type: shell
                command: "echo '{{ params.greeting }} x{{ params.count }}'; echo '{\\"n\\": {{ params.count }}}' > $DROVER_OUTPUT"
              - id: consume
                type: shell
                dependsOn: [produce]
                command: "echo got {{ tasks.produce.outputs.n }}; echo '{\\"doubled\\": {{ tasks.produce.outputs.n * 2 }}}' > $DROVER_OUTPUT"
            """;
    private static final String SLOW = """
            id: slow
            parameters:
              seconds: {type: integer, default: 30}
            tasks:
              - id: wait
                type: shell
                command: sleep {{ params.seconds }}
              - id: after
                type: noop
                dependsOn: [wait]
            """;

    @TempDir
    static Path dataDir;
    static DroverStandalone drover;
    static DroverClient client;

    @BeforeAll
    static void start() {
        drover = startOn(dataDir);
        client = drover.client();
        assertThat(client.registerPipeline(PIPELINE).status()).isEqualTo(201);
        assertThat(client.registerPipeline(SLOW).status()).isEqualTo(201);
    }

    static DroverStandalone startOn(Path dir) {
        return DroverStandalone.start(new DroverStandalone.Settings(dir, 0, 0, -1, dir,
                Map.of("drover.scheduler.instance-id", "api-test", "drover.executor.heartbeat-interval", "500ms")));
    }

    @AfterAll
    static void stop() {
        if (drover != null) {
            drover.close();
        }
    }

    @Test
    void theSameSpecIsANoOpAndAChangedOneANewRevision() {
        String spec = PIPELINE.replace("api-test", "revisions");
        DroverClient.Response first = client.registerPipeline(spec);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.body().path("revision").asInt()).isEqualTo(1);
        DroverClient.Response again = client.registerPipeline(spec);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("created").asBoolean()).isFalse();
        DroverClient.Response changed = client.registerPipeline(spec.replace("exercises the API", "changed"));
        assertThat(changed.status()).isEqualTo(201);
        assertThat(changed.body().path("revision").asInt()).isEqualTo(2);
        JsonNode revisions = client.get("/api/v1/pipelines/revisions/revisions?position="
                + changed.body().path("position").asText()).body();
        assertThat(revisions.size()).isEqualTo(2);
        JsonNode pipeline = client.get("/api/v1/pipelines/revisions?position="
                + changed.body().path("position").asText()).body();
        assertThat(pipeline.path("latestRevision").asInt()).isEqualTo(2);
        assertThat(pipeline.path("description").asText()).isEqualTo("changed");
    }

    @Test
    void aRunUsesParametersAndUpstreamOutputsAndKeepsItsLogsAndHistory() {
        DroverClient.Response started = client.startRun("api-test", Map.of("count", 21));
        assertThat(started.status()).isEqualTo(201);
        assertThat(started.body().path("parameters").path("greeting").asText()).isEqualTo("hello");
        String runId = started.body().path("runId").asText();
        assertThat(runId).startsWith("api-test.");

        JsonNode run = client.awaitRun(runId, Duration.ofSeconds(60));
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        JsonNode consume = task(run, "consume").path("attempts").get(0);
        assertThat(consume.path("outputs").path("doubled").asLong()).isEqualTo(42);
        assertThat(consume.path("config").path("command").asText()).contains("echo got 21");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode logs = client.get("/api/v1/runs/" + runId + "/tasks/produce/logs").body();
            assertThat(logs.path("lines").findValuesAsText("line")).contains("hello x21");
        });
        List<String> types = client.get("/api/v1/runs/" + runId + "/events").body().findValuesAsText("type");
        assertThat(types).containsSubsequence("RunStarted", "TaskDispatched", "TaskStarted", "TaskSucceeded",
                "TaskDispatched", "TaskStarted", "TaskSucceeded", "RunFinished");
    }

    @Test
    void aRunKeepsTheRevisionItStartedWithAndCanBeCanceled() {
        String runId = client.startRun("slow", Map.of()).body().path("runId").asText();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                "RUNNING".equals(task(client.run(runId).body(), "wait").path("status").asText()));
        assertThat(client.registerPipeline(SLOW.replace("default: 30", "default: 31")).status()).isEqualTo(201);
        assertThat(client.run(runId).body().path("revision").asInt()).isEqualTo(1);

        DroverClient.Response canceled = client.post("/api/v1/runs/" + runId + "/cancel", Map.of("reason", "test"));
        assertThat(canceled.status()).as(canceled.body().toString()).isEqualTo(200);
        JsonNode run = client.awaitRun(runId, Duration.ofSeconds(30));
        assertThat(run.path("status").asText()).isEqualTo("CANCELED");
        assertThat(task(run, "wait").path("attempts").get(0).path("status").asText()).isEqualTo("CANCELED");
        assertThat(task(run, "after").path("status").asText()).isEqualTo("CANCELED");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.get("/api/v1/runs/" + runId
                + "/tasks/wait/logs").body().path("lines").findValuesAsText("line"))
                .anyMatch(l -> l.startsWith("attempt stopped")));

        DroverClient.Response again = client.post("/api/v1/runs/" + runId + "/cancel", Map.of());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().path("error").asText()).isEqualTo("run_finished");
    }

    @Test
    void badInputIsAnsweredWithWhatWasWrongAndHowToFixIt() throws Exception {
        DroverClient.Response invalid = client.registerPipeline("""
                id: Bad Id
                tasks:
                  - id: a
                    type: shell
                    dependsOn: [b]
                  - id: b
                    type: teleport
                    dependsOn: [a]
                    timeout: forever
                """);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body().path("error").asText()).isEqualTo("invalid_pipeline");
        assertThat(invalid.body().path("problems").findValuesAsText("path"))
                .contains("/id", "/tasks/1/type", "/tasks/1/timeout");
        assertThat(invalid.body().path("problems").findValuesAsText("message"))
                .anyMatch(m -> m.contains("a -> b -> a"));
        assertThat(invalid.body().path("fix").asText()).isNotBlank();

        DroverClient.Response unknown = client.startRun("no-such-pipeline", Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("error").asText()).isEqualTo("unknown_pipeline");

        DroverClient.Response badParams = client.startRun("api-test", Map.of("count", "many", "colour", "red"));
        assertThat(badParams.status()).isEqualTo(400);
        assertThat(badParams.body().path("message").asText()).contains("count", "colour");

        DroverClient.Response missing = client.startRun("api-test", Map.of());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body().path("message").asText()).contains("count");

        assertThat(client.get("/api/v1/runs/api-test.9999").status()).isEqualTo(404);
        assertThat(client.get("/api/v1/nowhere").body().path("fix").asText()).isNotBlank();

        HttpResponse<String> wrongType = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(drover.baseUrl() + "/api/v1/pipelines/api-test/runs"))
                .header("Authorization", "Bearer " + drover.adminToken())
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString("a,b")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(wrongType.body()).contains("unsupported_media_type");

        HttpResponse<String> malformed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(drover.baseUrl() + "/api/v1/pipelines/api-test/runs"))
                .header("Authorization", "Bearer " + drover.adminToken())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{oops")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"fix\"");
    }

    /** What once answered 500 or 503, or waited, is a 4xx at once (each line was measured as a new user would). */
    @Test
    void inputThatOnceStoppedOrStalledTheSchedulerIsA4xxAtOnce() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        assertThat(status(http, "GET", "/api/v1/pipelines/ch-%00x", null, null)).isEqualTo(400);
        assertThat(client.get("/api/v1/pipelines/api-test/runs?limit=-5").body().path("error").asText())
                .isEqualTo("invalid_limit");
        assertThat(client.get("/api/v1/runs?limit=5000").status()).isEqualTo(400);
        assertThat(client.get("/api/v1/runs?status=QUEUED").status()).isEqualTo(200);
        assertThat(status(http, "POST", "/api/v1/pipelines/api-test/runs", "{\"parameters\": {\"count\": 1}}",
                "application/json; charset=ebcdic")).isEqualTo(415);

        long start = System.nanoTime();
        DroverClient.Response far = client.get("/api/v1/runs/api-test.1?position=-1:-1");
        assertThat(far.body().path("error").asText()).isEqualTo("invalid_position");
        assertThat(client.get("/api/v1/pipelines/api-test?position=0:999999999").body().path("error").asText())
                .isEqualTo("invalid_position");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

        StringBuilder huge = new StringBuilder("id: huge\ntasks:\n");
        for (int i = 0; i < 20_000; i++) {
            huge.append("  - {id: t").append(i).append(", type: noop}\n");
        }
        DroverClient.Response tooBig = client.registerPipeline(huge.toString());
        assertThat(tooBig.status()).as(tooBig.body().toString()).isEqualTo(400);
        assertThat(tooBig.body().path("problems").get(0).path("message").asText()).contains("at most");

        DroverClient.Response nul = client.startRun("api-test", Map.of("count", 1, "greeting", "a\u0000b"));
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.body().path("problems").get(0).path("path").asText()).isEqualTo("/parameters/greeting");

        DroverClient.Response run = client.startRun("api-test", Map.of("count", 1));
        String runId = run.body().path("runId").asText();
        assertThat(client.get("/api/v1/runs/" + runId + "/tasks/produce/attempts/7/logs").body().path("error")
                .asText()).isEqualTo("unknown_attempt");
        // The list is a read model: the run appears once the projector has caught up with its start.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode listed = client.get("/api/v1/runs?pipeline=api-test&limit=1").body().get(0);
            assertThat(listed).as("the newest api-test run in the list").isNotNull();
            assertThat(listed.has("logicalDate") && listed.has("dataIntervalEnd") && listed.has("backfillId"))
                    .isTrue();
        });
    }

    private int status(HttpClient http, String method, String path, String body, String contentType)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(drover.baseUrl() + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + drover.adminToken());
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void aTaskRunsOnlyOnExecutorsOfItsQueue() {
        assertThat(client.registerPipeline("""
                id: queues
                tasks:
                  - id: on-gpu
                    type: shell
                    queue: gpu
                    command: echo on a gpu executor
                """).status()).isEqualTo(201);
        String runId = client.startRun("queues", Map.of()).body().path("runId").asText();
        // the standalone executor serves only `default`: the task waits in its queue
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() ->
                "DISPATCHED".equals(task(client.run(runId).body(), "on-gpu").path("status").asText()));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                "DISPATCHED".equals(task(client.run(runId).body(), "on-gpu").path("status").asText()));
        try (ApplicationContext gpuPool = ApplicationContext.run(Map.of(
                "drover.executor.enabled", true,
                "drover.executor.name", "gpu-pool",
                "drover.executor.queues", "gpu",
                "drover.executor.work-dir", dataDir.toString(),
                "drover.executor.run-root", dataDir.resolve("gpu-runs").toString(),
                "drover.kafka.bootstrap-servers", drover.kafkaBootstrap()))) {
            JsonNode run = client.awaitRun(runId, Duration.ofSeconds(60));
            assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
            JsonNode attempt = task(run, "on-gpu").path("attempts").get(0);
            assertThat(attempt.path("queue").asText()).isEqualTo("gpu");
            assertThat(attempt.path("executorId").asText()).startsWith("gpu-pool-");
        }
    }

    @Test
    void theSchemaIsServed() {
        JsonNode schema = client.get("/api/v1/pipelines/schema").body();
        assertThat(schema.path("$schema").asText()).contains("json-schema.org");
        assertThat(schema.path("properties").has("tasks")).isTrue();
    }

    @Test
    void readModelsRebuildFromTheLogAndDataSurvivesARestart(@TempDir Path otherDir) {
        // its own system on its own data directory, so the other tests' runs don't interfere
        DroverStandalone first = startOn(otherDir);
        String runId;
        JsonNode before;
        try {
            DroverClient c = first.client();
            assertThat(c.registerPipeline(PIPELINE).status()).isEqualTo(201);
            runId = c.startRun("api-test", Map.of("count", 2)).body().path("runId").asText();
            before = c.awaitRun(runId, Duration.ofSeconds(60));
            assertThat(before.path("status").asText()).isEqualTo("SUCCEEDED");
            List<String> events = c.get("/api/v1/runs/" + runId + "/events").body().findValuesAsText("eventId");

            assertThat(c.post("/api/v1/admin/read-models/rebuild", Map.of()).status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(c.get("/api/v1/runs/" + runId + "/events").body().findValuesAsText("eventId"))
                        .isEqualTo(events);
                assertThat(c.run(runId).body()).isEqualTo(before);
            });
        } finally {
            first.close();
        }
        DroverStandalone second = startOn(otherDir);
        try {
            DroverClient c = second.client();
            assertThat(c.run(runId).body()).isEqualTo(before);
            String next = c.startRun("api-test", Map.of("count", 3)).body().path("runId").asText();
            assertThat(next).isNotEqualTo(runId);
            assertThat(c.awaitRun(next, Duration.ofSeconds(60)).path("status").asText()).isEqualTo("SUCCEEDED");
        } finally {
            second.close();
        }
    }

    private static JsonNode task(JsonNode run, String taskId) {
        List<JsonNode> found = new ArrayList<>();
        run.path("tasks").forEach(t -> {
            if (t.path("taskId").asText().equals(taskId)) {
                found.add(t);
            }
        });
        assertThat(found).as("task " + taskId + " in " + run).hasSize(1);
        return found.get(0);
    }
}
