package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registry end to end, driven by the example pipeline: a run trains, profiles its feature set, registers the
 * model and promotes it to champion; a second run with a deliberately worse model is registered but not promoted;
 * a rollback restores the previous champion; a restart loses nothing and the read model rebuilds to the same answers.
 */
class RegistryPipelineEndToEndTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);
    @TempDir
    static Path dataDir;
    static DroverStandalone drover;
    static DroverClient client;
    static Path repoRoot;

    @BeforeAll
    static void start() throws Exception {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        repoRoot = module.getParent();
        drover = startOn(dataDir);
        client = drover.client();
        DroverClient.Response registered = client.registerPipeline(
                Files.readString(repoRoot.resolve("examples/churn-training.yaml")));
        assertThat(registered.status()).as(registered.body().toString()).isIn(200, 201);
    }

    static DroverStandalone startOn(Path dir) {
        return DroverStandalone.start(new DroverStandalone.Settings(dir, 0, 0, -1, repoRoot,
                Map.of("drover.scheduler.instance-id", "registry-e2e", "drover.registry.instance-id", "registry-e2e",
                        "drover.executor.heartbeat-interval", "500ms")));
    }

    @AfterAll
    static void stop() {
        if (drover != null) {
            drover.close();
        }
    }

    @Test
    void trainRegisterProfilePromoteDeclineRollbackAndRestart() {
        // 1. A good model: registered as version 1 with its lineage, and promoted (there was no champion).
        JsonNode first = runPipeline(Map.of("rows", 2000));
        JsonNode register1 = DroverClient.outputs(first, "register");
        JsonNode profile1 = DroverClient.outputs(first, "profile");
        JsonNode promote1 = DroverClient.outputs(first, "promote");
        int v1 = register1.path("version").asInt();
        assertThat(register1.path("model").asText()).isEqualTo("churn");
        assertThat(promote1.path("outcome").asText()).as(promote1.toString()).isEqualTo("PROMOTED");
        assertThat(promote1.path("promoted").asBoolean()).isTrue();
        assertThat(champion()).isEqualTo(v1);
        double auc1 = DroverClient.outputs(first, "evaluate").path("auc").asDouble();

        JsonNode version1 = ok(client.get("/api/v1/models/churn/versions/" + v1));
        assertThat(version1.path("metrics").path("auc").asDouble()).isEqualTo(auc1);
        assertThat(version1.path("artifactLocation").asText())
                .isEqualTo(DroverClient.outputs(first, "train").path("model_path").asText());
        assertThat(version1.path("lineage").path("runId").asText()).isEqualTo(first.path("runId").asText());
        assertThat(version1.path("lineage").path("taskId").asText()).isEqualTo("register");
        assertThat(version1.path("lineage").path("featureSet").path("name").asText()).isEqualTo("churn-features");
        assertThat(version1.path("lineage").path("featureSet").path("version").asInt())
                .isEqualTo(profile1.path("version").asInt());

        // The feature set's reference statistics describe the training split.
        JsonNode features = ok(client.get("/api/v1/feature-sets/churn-features/versions/"
                + profile1.path("version").asInt()));
        long rows = features.path("statistics").path("rowCount").asLong();
        assertThat(rows).isEqualTo(profile1.path("row_count").asLong()).isEqualTo(
                DroverClient.outputs(first, "featurize").path("train_rows").asLong());
        assertThat(features.path("schema").path("features").size()).isGreaterThan(3);
        assertThat(features.path("statistics").path("features").path("tenure_months").path("histogram")
                .path("counts").isArray()).isTrue();

        // 2. A deliberately worse model (one epoch at a tiny learning rate): registered, not promoted.
        JsonNode second = runPipeline(Map.of("rows", 2000, "epochs", 1, "learning_rate", 0.001, "min_auc", 0.5));
        int v2 = DroverClient.outputs(second, "register").path("version").asInt();
        assertThat(v2).isEqualTo(v1 + 1);
        JsonNode promote2 = DroverClient.outputs(second, "promote");
        assertThat(promote2.path("outcome").asText()).as(promote2.toString()).isEqualTo("DECLINED");
        assertThat(promote2.path("promoted").asBoolean()).isFalse();
        assertThat(promote2.path("champion_version").asInt()).isEqualTo(v1);
        assertThat(promote2.path("challenger_value").asDouble()).isLessThan(auc1);
        assertThat(promote2.path("reason").asText()).isNotBlank();
        assertThat(champion()).isEqualTo(v1);
        List<String> history = ok(client.get("/api/v1/models/churn/history")).findValuesAsText("type");
        assertThat(history).containsSubsequence("ModelCreated", "VersionRegistered", "AliasMoved",
                "VersionRegistered", "PromotionDeclined");

        // 3. Someone moves the champion to the worse version by hand; one rollback call restores the previous one.
        DroverClient alice = drover.as("alice", "model-maintainer");
        DroverClient bob = drover.as("bob", "approver");
        DroverClient.Response moved = alice.send("PUT", "/api/v1/models/churn/aliases/champion",
                Map.of("version", v2, "reason", "trying the new one"), Map.of());
        assertThat(moved.status()).as(moved.body().toString()).isEqualTo(200);
        assertThat(champion()).isEqualTo(v2);
        DroverClient.Response rolledBack = bob.send("POST", "/api/v1/models/churn/aliases/champion/rollback",
                Map.of("reason", "worse AUC in production"), Map.of());
        assertThat(rolledBack.status()).as(rolledBack.body().toString()).isEqualTo(200);
        assertThat(champion()).isEqualTo(v1);
        JsonNode changes = ok(client.get("/api/v1/models/churn/aliases/champion/history")).path("changes");
        assertThat(changes.findValuesAsText("kind")).containsExactly("PROMOTION", "SET", "ROLLBACK");
        assertThat(changes.get(2).path("by").asText()).isEqualTo("bob");
        assertThat(changes.get(2).path("reason").asText()).isEqualTo("worse AUC in production");

        // The MLflow-compatible API sees the same champion.
        JsonNode mlflow = ok(client.get("/api/2.0/mlflow/registered-models/alias?name=churn&alias=champion"));
        assertThat(mlflow.path("model_version").path("version").asText()).isEqualTo(Integer.toString(v1));

        // 4. A restart loses nothing; a rebuilt read model gives the same answers.
        JsonNode before = ok(client.get("/api/v1/models/churn"));
        JsonNode historyBefore = ok(client.get("/api/v1/models/churn/aliases/champion/history"));
        drover.close();
        drover = startOn(dataDir);
        client = drover.client();
        assertThat(ok(client.get("/api/v1/models/churn"))).isEqualTo(before);
        assertThat(champion()).isEqualTo(v1);
        assertThat(client.post("/api/v1/admin/registry/read-model/rebuild", Map.of()).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.get("/api/v1/models/churn/aliases/champion/history").body()).isEqualTo(historyBefore);
            assertThat(client.get("/api/v1/models/churn").body()).isEqualTo(before);
        });
        // and the loop recovered its state: the next registration numbers on
        JsonNode v3 = ok(client.post("/api/v1/models/churn/versions", Map.of("artifactLocation", "s3://x/3")));
        assertThat(v3.path("version").asInt()).isEqualTo(v2 + 1);
    }

    private static JsonNode runPipeline(Map<String, Object> params) {
        DroverClient.Response started = client.startRun("churn-training", params);
        assertThat(started.status()).as(started.body().toString()).isEqualTo(201);
        JsonNode run = client.awaitRun(started.body().path("runId").asText(), RUN_TIMEOUT);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        return run;
    }


    private static int champion() {
        return ok(client.get("/api/v1/models/churn/aliases/champion")).path("version").path("version").asInt();
    }

    private static JsonNode ok(DroverClient.Response r) {
        assertThat(r.ok()).as("%s %s", r.status(), r.body()).isTrue();
        return r.body();
    }
}
