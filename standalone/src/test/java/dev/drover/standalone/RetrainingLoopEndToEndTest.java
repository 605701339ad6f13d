package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The retraining loop closes, on the embedded default with the example pipeline and the serving simulator (a
 * separate process): production drifts (tenure and monthly charges) and its labels arrive → the monitor keeps the
 * rows, waits for enough labels and requests one retrain that passes them on → the run trains on them, scores the
 * champion and the challenger on the same newest rows neither was trained on → the challenger wins and is promoted,
 * its history naming the run, the data and the drift report → windows like today's production, compared with the new
 * champion's reference, no longer drift.
 */
class RetrainingLoopEndToEndTest {
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    @TempDir
    static Path dataDir;
    static DroverStandalone drover;
    static DroverClient client;
    static ChurnLoop loop;
    static Path repoRoot;

    @BeforeAll
    static void start() throws Exception {
        repoRoot = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
        drover = DroverStandalone.start(new DroverStandalone.Settings(dataDir, 0, 0, -1, repoRoot,
                Map.of("drover.scheduler.instance-id", "retrain-e2e", "drover.registry.instance-id", "retrain-e2e",
                        "drover.monitor.instance-id", "retrain-e2e")));
        client = drover.client();
        loop = new ChurnLoop(drover, repoRoot);
        DroverClient.Response registered = client.registerPipeline(
                Files.readString(repoRoot.resolve("examples/churn-training.yaml")));
        assertThat(registered.ok()).as(registered.body().toString()).isTrue();
    }

    @AfterAll
    static void stop() {
        if (drover != null) {
            drover.close();
        }
    }

    @Test
    void driftWithLabelsRetrainsOnThemPromotesTheBetterModelAndTheNextWindowsDoNotDrift() throws Exception {
        JsonNode first = loop.runPipeline(Map.of());
        assertThat(loop.champion()).isEqualTo(1);
        DroverClient.Response configured = client.put("/api/v1/monitors/churn", Map.of(
                "window", Map.of("rows", 500),
                "datasetDriftShare", 0.25,
                "featureOverrides", ChurnLoop.WASSERSTEIN_OVERRIDES,
                "retrainCooldown", "PT1H",
                // labels are scored (and their rows kept) for a model whose performance is monitored
                "degradation", Map.of("metric", "auc", "direction", "GREATER", "maxAbsoluteDrop", 0.5,
                        "rollback", false),
                "retrainMinLabeledRows", 1000));
        assertThat(configured.status()).as(configured.body().toString()).isEqualTo(200);

        // drifted traffic, then its labels: the retrain waits for 1,000 labelled rows, then is requested once
        loop.serve(first, 1, 1500, "two-features", "price-sensitive", 21);
        await().atMost(PATIENCE).until(() -> triggers().findValuesAsText("outcome").contains("REQUESTED"));
        JsonNode triggers = triggers();
        assertThat(triggers.findValuesAsText("outcome")).containsOnlyOnce("REQUESTED");
        JsonNode request = null;
        for (JsonNode t : triggers) {
            if (t.path("outcome").asText().equals("REQUESTED")) {
                request = t;
            }
        }
        assertThat(request.path("windowData").size()).as(request.toString()).isGreaterThanOrEqualTo(1);
        assertThat(request.path("trainingData").size()).as(request.toString()).isGreaterThanOrEqualTo(1);
        assertThat(request.path("evaluationData").size()).as(request.toString()).isEqualTo(1);
        for (JsonNode location : request.path("windowData")) {
            assertThat(Path.of(location.asText())).exists();
        }
        String reportId = request.path("reportId").asText();
        String windowId = reportId.substring(reportId.indexOf('/') + 1);
        JsonNode data = client.get("/api/v1/monitors/churn/windows/" + windowId + "/data").body();
        assertThat(data.path("rows").asLong()).isEqualTo(500);
        assertThat(Files.readAllLines(Path.of(data.path("location").asText()))).hasSize(501);

        // the retraining run gets the data and compares both models on the same newest rows
        await().atMost(PATIENCE).until(() -> loop.runsOf("churn-training").size() == 2
                && !"RUNNING".equals(loop.runsOf("churn-training").get(0).path("status").asText()));
        JsonNode retrain = client.run(loop.runsOf("churn-training").get(0).path("runId").asText()).body();
        assertThat(retrain.path("status").asText()).as(retrain.toString()).isEqualTo("SUCCEEDED");
        assertThat(retrain.path("parameters").path("drift_evaluation_data").asText())
                .isEqualTo(request.path("evaluationData").get(0).asText());
        assertThat(retrain.path("parameters").path("champion_version").asInt()).isEqualTo(1);
        JsonNode promotion = DroverClient.outputs(retrain, "promote_on_recent_data");
        double challenger = promotion.path("challenger_value").asDouble();
        double championScore = promotion.path("champion_value").asDouble();
        assertThat(promotion.path("measured").asBoolean()).as(promotion.toString()).isTrue();
        assertThat(challenger).as("challenger beats champion on the same recent rows: " + promotion)
                .isGreaterThan(championScore);
        assertThat(promotion.path("outcome").asText()).isEqualTo("PROMOTED");
        System.out.printf("retrain %s: challenger AUC %.4f, champion AUC %.4f on the same recent rows%n",
                retrain.path("runId").asText(), challenger, championScore);
        await().atMost(PATIENCE).until(() -> loop.champion() == 2); // the alias read model follows the registry's log
        JsonNode history = client.get("/api/v1/models/churn/aliases/champion/history").body().path("changes");
        JsonNode last = history.get(history.size() - 1);
        assertThat(last.toString()).contains(retrain.path("runId").asText(), reportId,
                request.path("evaluationData").get(0).asText());

        // the monitor compares new windows with the new champion's reference: production like today's no longer drifts
        int reportsBefore = loop.reports().size();
        loop.serve(retrain, 2, 1000, "two-features", "none", 22);
        await().atMost(PATIENCE).until(() -> loop.reports().size() >= reportsBefore + 2);
        for (JsonNode r : loop.reports().subList(0, 2)) {
            JsonNode detail = client.get("/api/v1/monitors/churn/reports/" + r.path("windowId").asText()).body();
            assertThat(detail.path("championVersion").asInt()).isEqualTo(2);
            assertThat(detail.path("datasetDrifted").asBoolean()).as(detail.toString()).isFalse();
        }

        // a retrain that is not better: declined on the same recent rows, the champion stays, an alert says when
        // drift may ask again
        assertThat(client.put("/api/v1/monitors/churn", Map.of("window", Map.of("rows", 500),
                "datasetDriftShare", 0.25, "featureOverrides", ChurnLoop.WASSERSTEIN_OVERRIDES,
                "retrainCooldown", "PT0S", "degradation", Map.of("metric", "auc", "direction", "GREATER",
                        "maxAbsoluteDrop", 0.5, "rollback", false), "retrainMinLabeledRows", 1000)).status())
                .isEqualTo(200);
        String weak = Files.readString(repoRoot.resolve("examples/churn-training.yaml"))
                .replace("default: 0.1\n", "default: 0.00001\n").replace("default: 200\n", "default: 1\n")
                .replace("default: 0.7\n", "default: 0.0\n");
        assertThat(client.registerPipeline(weak).status()).as("a weaker revision of the pipeline").isEqualTo(201);
        loop.serve(retrain, 2, 1500, "none", "true", 23);
        await().atMost(PATIENCE).until(() -> loop.runsOf("churn-training").size() == 3
                && !"RUNNING".equals(loop.runsOf("churn-training").get(0).path("status").asText()));
        JsonNode weakRun = client.run(loop.runsOf("churn-training").get(0).path("runId").asText()).body();
        assertThat(weakRun.path("status").asText()).as(weakRun.toString()).isEqualTo("SUCCEEDED");
        JsonNode declined = DroverClient.outputs(weakRun, "promote_on_recent_data");
        assertThat(declined.path("outcome").asText()).as(declined.toString()).isEqualTo("DECLINED");
        assertThat(loop.champion()).isEqualTo(2);
        await().atMost(PATIENCE).until(() -> client.get("/api/v1/monitors/churn/alerts").body().path("items")
                .findValuesAsText("kind").contains("RETRAIN_DECLINED"));
        JsonNode decline = null;
        for (JsonNode t : triggers()) {
            if (t.path("declined").path("runId").asText().equals(weakRun.path("runId").asText())) {
                decline = t.path("declined");
            }
        }
        assertThat(decline).as(triggers().toString()).isNotNull();
        assertThat(decline.path("reason").asText()).contains("is not better");
        assertThat(decline.path("nextRetrainAt").asText()).isNotEmpty();
    }

    private static JsonNode triggers() {
        return client.get("/api/v1/monitors/churn/triggers").body().path("items");
    }
}
