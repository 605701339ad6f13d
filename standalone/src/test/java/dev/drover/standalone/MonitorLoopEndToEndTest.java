package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The monitoring loop closed end to end on the embedded default: a weak model becomes champion; a serving simulator
 * (`examples/ml/Serve.java`, a separate process) publishes traffic without drift (no retraining), then with two
 * drifted features (many drifted windows, exactly one retraining run, whose better model is promoted); then labels
 * that show the new champion degraded make the monitor roll the champion back and alert a webhook receiver.
 */
class MonitorLoopEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    @TempDir
    static Path dataDir;
    static DroverStandalone drover;
    static DroverClient client;
    static ChurnLoop loop;
    static Path repoRoot;
    static HttpServer receiver;
    static final List<JsonNode> generic = new CopyOnWriteArrayList<>();
    static final List<JsonNode> slack = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        repoRoot = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
        receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        receiver.createContext("/generic", exchange -> collect(exchange, generic));
        receiver.createContext("/slack", exchange -> collect(exchange, slack));
        receiver.start();
        drover = DroverStandalone.start(new DroverStandalone.Settings(dataDir, 0, 0, -1, repoRoot,
                Map.of("drover.scheduler.instance-id", "monitor-e2e", "drover.registry.instance-id", "monitor-e2e",
                        "drover.monitor.instance-id", "monitor-e2e")));
        client = drover.client();
        loop = new ChurnLoop(drover, repoRoot);
        DroverClient.Response registered = client.registerPipeline(
                Files.readString(repoRoot.resolve("examples/churn-training.yaml")));
        assertThat(registered.ok()).as(registered.body().toString()).isTrue();
    }

    private static void collect(com.sun.net.httpserver.HttpExchange exchange, List<JsonNode> into)
            throws IOException {
        into.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        exchange.sendResponseHeaders(204, -1);
        exchange.close();
    }

    @AfterAll
    static void stop() {
        if (drover != null) {
            drover.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void driftRetrainsOnceAndDegradationRollsBack() throws Exception {
        // 1. A deliberately weak model becomes the first champion.
        JsonNode weak = loop.runPipeline(Map.of("rows", 3000, "epochs", 1, "learning_rate", 0.001, "min_auc", 0.5));
        assertThat(loop.champion()).isEqualTo(1);

        String hooks = "http://localhost:" + receiver.getAddress().getPort();
        DroverClient.Response configured = client.put("/api/v1/monitors/churn", Map.of(
                "window", Map.of("rows", 1000),
                // two of the seven features drifting is a drifted dataset
                "datasetDriftShare", 0.25,
                // Evidently's default Wasserstein threshold (0.1) is meant for large windows; a window of 1,000 rows
                // drawn like the training data reaches ~0.1 by chance
                "featureOverrides", ChurnLoop.WASSERSTEIN_OVERRIDES,
                "retrainCooldown", "PT1H",
                "degradation", Map.of("metric", "auc", "direction", "GREATER", "maxAbsoluteDrop", 0.1,
                        "rollback", true),
                "webhooks", List.of(Map.of("url", hooks + "/generic", "format", "GENERIC"),
                        Map.of("url", hooks + "/slack", "format", "SLACK"))));
        assertThat(configured.status()).as(configured.body().toString()).isEqualTo(200);

        // 2. Traffic like the training data: windows without drift, no retraining.
        loop.serve(weak, 1, 2000, "none", "none", 11);
        awaitOrExplain(() -> loop.reports().size() >= 2);
        for (JsonNode r : loop.reports()) {
            assertThat(r.path("datasetDrifted").asBoolean()).as("%s", client.get("/api/v1/monitors/churn/reports/"
                    + r.path("windowId").asText()).body()).isFalse();
        }
        assertThat(loop.runsOf("churn-training")).hasSize(1);

        // 3. Two features drift: many drifted windows, exactly one retraining run, which beats the weak champion.
        loop.serve(weak, 1, 3000, "two-features", "none", 12);
        awaitOrExplain(() -> loop.reports().stream().filter(r -> r.path("datasetDrifted").asBoolean()).count() >= 3);
        JsonNode triggers = client.get("/api/v1/monitors/churn/triggers").body().path("items");
        assertThat(triggers.findValuesAsText("outcome")).containsOnlyOnce("REQUESTED").contains("SUPPRESSED");
        await().atMost(PATIENCE).until(() -> loop.runsOf("churn-training").size() == 2
                && !"RUNNING".equals(loop.runsOf("churn-training").get(0).path("status").asText()));
        JsonNode retrain = loop.runsOf("churn-training").get(0);
        assertThat(retrain.path("trigger").asText()).isEqualTo("drift");
        assertThat(retrain.path("status").asText()).as(retrain.toString()).isEqualTo("SUCCEEDED");
        await().atMost(PATIENCE).until(() -> loop.champion() == 2);
        JsonNode retrained = client.run(retrain.path("runId").asText()).body();

        // 4. Labels show the new champion degraded: the monitor rolls back to version 1 and alerts the webhooks.
        loop.serve(retrained, 2, 1500, "none", "degraded", 13);
        awaitOrExplain(() -> loop.champion() == 1);
        await().atMost(PATIENCE).untilAsserted(() -> {
            // a degradation that rolls back raises one alert, of kind ROLLBACK (docs/monitor.md)
            assertThat(generic.stream().map(a -> a.path("kind").asText()).toList()).contains("DRIFT", "ROLLBACK");
            assertThat(slack).isNotEmpty().allSatisfy(a -> assertThat(a.path("text").asText()).startsWith("["));
        });
        JsonNode performance = client.get("/api/v1/monitors/churn/performance").body().path("items");
        assertThat(performance.findValues("degradation")).as(performance.toString()).isNotEmpty();
        JsonNode history = client.get("/api/v1/models/churn/aliases/champion/history").body().path("changes");
        assertThat(history.findValuesAsText("kind")).containsExactly("PROMOTION", "PROMOTION", "ROLLBACK");
        assertThat(history.get(2).path("by").asText()).isEqualTo("monitor");
    }

    /** Waits; on timeout, fails with what the monitor decided (its events), so the failure says why. */
    private static void awaitOrExplain(java.util.concurrent.Callable<Boolean> condition) {
        try {
            await().atMost(PATIENCE).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nmonitor events:\n" + monitorEvents(), e);
        }
    }

    private static String monitorEvents() {
        dev.drover.monitor.wire.MonitorCodec codec = new dev.drover.monitor.wire.MonitorCodec();
        StringBuilder out = new StringBuilder();
        try (org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> c =
                     new org.apache.kafka.clients.consumer.KafkaConsumer<>(Map.of(
                             "bootstrap.servers", drover.kafkaBootstrap(), "isolation.level", "read_committed",
                             "key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class,
                             "value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class))) {
            var tps = c.partitionsFor("drover.monitor.events").stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            for (int i = 0; i < 10; i++) {
                c.poll(Duration.ofMillis(300)).forEach(r -> out.append(codec.decodeEvent(r.value()).event())
                        .append('\n'));
            }
        }
        return out.toString();
    }
}
