package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Data-aware scheduling and {@code trigger_pipeline} end to end, on the embedded system with a real executor running
 * shell tasks: a task's outlet starts the pipeline that consumes it; an external update over REST starts another
 * (once, however often it is retried); the asset endpoints show producers, consumers and what each update started;
 * a {@code trigger_pipeline} task starts a child run, waits for it, and fails when the child fails.
 */
class AssetsEndToEndTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);
    private static final String FEATURES = "s3://e2e/features/churn";
    private static final String LABELS = "asset:e2e-labels";
    @TempDir
    static Path dataDir;
    static DroverStandalone drover;
    static DroverClient client;

    @BeforeAll
    static void start() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        drover = DroverStandalone.start(new DroverStandalone.Settings(dataDir, 0, 0, -1, module.getParent(),
                Map.of("drover.scheduler.instance-id", "assets-e2e", "drover.registry.instance-id", "assets-e2e",
                        "drover.executor.heartbeat-interval", "500ms")));
        client = drover.client();
        register("""
                id: features
                tasks:
                  - {id: build, type: shell, command: "echo built features", outlets: ["%s"]}
                """.formatted(FEATURES));
        register("""
                id: train
                parameters: {triggering_assets: {default: "[]"}}
                tasks:
                  - {id: fit, type: shell, command: "echo training on '{{ params.triggering_assets }}'"}
                triggers: [{assets: {any: ["%s"]}}]
                """.formatted(FEATURES));
        register("""
                id: relabel
                tasks: [{id: fit, type: shell, command: "echo relabel"}]
                triggers: [{assets: {all: ["%s", "%s"]}}]
                """.formatted(FEATURES, LABELS));
        register("""
                id: child-ok
                parameters: {msg: {}}
                tasks: [{id: say, type: shell, command: "echo {{ params.msg }}"}]
                """);
        register("""
                id: child-fails
                tasks: [{id: boom, type: shell, command: "exit 3"}]
                """);
        register("""
                id: parent
                parameters: {msg: {default: hello}}
                tasks:
                  - {id: start, type: trigger_pipeline, pipeline: child-ok, parameters: {msg: "{{ params.msg }}"},
                     wait: true, pollInterval: 200ms}
                  - {id: fire, type: trigger_pipeline, pipeline: child-ok, parameters: {msg: fire-and-forget}}
                """);
        register("""
                id: parent-fails
                tasks: [{id: start, type: trigger_pipeline, pipeline: child-fails, wait: true, pollInterval: 200ms}]
                """);
    }

    @AfterAll
    static void stop() {
        if (drover != null) {
            drover.close();
        }
    }

    private static void register(String yaml) {
        DroverClient.Response r = client.registerPipeline(yaml);
        assertThat(r.status()).as(r.body().toString()).isIn(200, 201);
    }

    @Test
    void aTaskOutletStartsItsConsumerAndAnExternalUpdateCompletesAnAllTrigger() {
        JsonNode producer = run("features", Map.of());
        assertThat(producer.path("status").asText()).isEqualTo("SUCCEEDED");

        JsonNode trained = awaitSingleRun("train");
        assertThat(trained.path("trigger").asText()).isEqualTo("asset");
        assertThat(trained.path("status").asText()).isEqualTo("SUCCEEDED");
        String updateId = producer.path("runId").asText() + "/build/1/" + FEATURES;
        assertThat(trained.path("parameters").path("triggering_assets").asText()).contains(updateId);
        // relabel needs the labels too: nothing yet
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> runs("relabel").isEmpty());

        // an external update, retried with the same idempotency key, is one update
        Map<String, Object> body = Map.of("uri", LABELS, "extra", Map.of("rows", 5));
        for (int i = 0; i < 2; i++) {
            DroverClient.Response published = client.send("POST", "/api/v1/assets/updates", body,
                    Map.of("Idempotency-Key", "labels-job-42", "X-Drover-User", "etl"));
            assertThat(published.status()).as(published.body().toString()).isEqualTo(202);
            assertThat(published.body().path("updateId").asText()).isEqualTo("external/labels-job-42");
        }
        JsonNode relabel = awaitSingleRun("relabel");
        assertThat(relabel.path("trigger").asText()).isEqualTo("asset");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> runs("relabel").size() == 1);

        DroverClient.Response bad = client.post("/api/v1/assets/updates", Map.of("uri", "no scheme"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("error").asText()).isEqualTo("invalid_asset_uri");

        JsonNode assets = ok(client.get("/api/v1/assets"));
        JsonNode features = find(assets, FEATURES);
        assertThat(features.path("producers").toString()).contains("features/build");
        assertThat(features.path("consumers").toString()).contains("train", "relabel");
        assertThat(features.path("lastUpdate").path("updateId").asText()).isEqualTo(updateId);
        assertThat(find(assets, LABELS).path("lastUpdate").path("source").asText()).isEqualTo("external");

        JsonNode updates = ok(client.get("/api/v1/assets/updates?uri=" + LABELS));
        assertThat(updates).hasSize(1);
        assertThat(updates.get(0).path("extra").path("rows").asInt()).isEqualTo(5);
        assertThat(updates.get(0).path("triggeredRuns").toString()).contains(relabel.path("runId").asText());
    }

    @Test
    void triggerPipelineStartsAChildWaitsForItAndFailsWithIt() {
        JsonNode parent = run("parent", Map.of("msg", "from-parent"));
        assertThat(parent.path("status").asText()).as(parent.toString()).isEqualTo("SUCCEEDED");
        JsonNode start = DroverClient.outputs(parent, "start");
        assertThat(start.path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode child = ok(client.run(start.path("runId").asText()));
        assertThat(child.path("pipelineId").asText()).isEqualTo("child-ok");
        assertThat(child.path("parameters").path("msg").asText()).isEqualTo("from-parent");
        assertThat(DroverClient.outputs(parent, "fire").path("status").asText()).isEqualTo("RUNNING");

        // the key the task used: a second request with it is answered with the same run, not a new one
        String key = parent.path("runId").asText() + "/start";
        DroverClient.Response again = client.send("POST", "/api/v1/pipelines/child-ok/runs",
                Map.of("parameters", Map.of("msg", "x")), Map.of("Idempotency-Key", key));
        assertThat(again.status()).as(again.body().toString()).isEqualTo(200);
        assertThat(again.body().path("runId").asText()).isEqualTo(start.path("runId").asText());
        assertThat(again.body().path("replayed").asBoolean()).isTrue();

        JsonNode failed = run("parent-fails", Map.of());
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.toString()).contains("child-fails", "finished FAILED");
    }

    private static JsonNode run(String pipelineId, Map<String, Object> params) {
        DroverClient.Response started = client.startRun(pipelineId, params);
        assertThat(started.status()).as(started.body().toString()).isEqualTo(201);
        return client.awaitRun(started.body().path("runId").asText(), RUN_TIMEOUT);
    }

    private static List<String> runs(String pipelineId) {
        List<String> out = new ArrayList<>();
        ok(client.get("/api/v1/pipelines/" + pipelineId + "/runs")).forEach(r -> out.add(r.path("runId").asText()));
        return out;
    }

    private static JsonNode awaitSingleRun(String pipelineId) {
        await(pipelineId + " started by an asset update").atMost(Duration.ofSeconds(60))
                .until(() -> runs(pipelineId).size() == 1);
        return client.awaitRun(runs(pipelineId).get(0), RUN_TIMEOUT);
    }


    private static JsonNode find(JsonNode assets, String uri) {
        for (JsonNode a : assets) {
            if (a.path("uri").asText().equals(uri)) {
                return a;
            }
        }
        throw new AssertionError("no asset " + uri + " in " + assets);
    }

    private static JsonNode ok(DroverClient.Response r) {
        assertThat(r.ok()).as("%s %s", r.status(), r.body()).isTrue();
        return r.body();
    }
}
