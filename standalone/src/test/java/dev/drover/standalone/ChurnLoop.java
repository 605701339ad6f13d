package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the end-to-end tests of the monitoring and retraining loops do with the churn example: run its pipeline,
 * serve traffic with the serving simulator (a separate process), and read reports, runs and the champion.
 */
final class ChurnLoop {
    static final Duration PATIENCE = Duration.ofMinutes(4);
    /**
     * The monitors' overrides of the numeric features: Evidently's default Wasserstein threshold (0.1) is meant for
     * large windows, and a window of 500–1,000 rows drawn like the training data reaches ~0.1 by chance.
     */
    static final Map<String, Object> WASSERSTEIN_OVERRIDES = Map.of(
            "tenure_months", Map.of("method", "WASSERSTEIN", "threshold", 0.2),
            "monthly_charges", Map.of("method", "WASSERSTEIN", "threshold", 0.2),
            "support_calls", Map.of("method", "WASSERSTEIN", "threshold", 0.2));

    private final DroverStandalone drover;
    private final DroverClient client;
    private final Path repoRoot;

    ChurnLoop(DroverStandalone drover, Path repoRoot) {
        this.drover = drover;
        this.client = drover.client();
        this.repoRoot = repoRoot;
    }

    /** Runs churn-training with these parameters and asserts that it succeeded. */
    JsonNode runPipeline(Map<String, Object> params) {
        DroverClient.Response started = client.startRun("churn-training", params);
        assertThat(started.status()).as(started.body().toString()).isEqualTo(201);
        JsonNode run = client.awaitRun(started.body().path("runId").asText(), PATIENCE);
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        return run;
    }

    /** Publishes traffic with the serving simulator, a separate process, scoring with the given run's model. */
    void serve(JsonNode run, int version, int rows, String drift, String labels, long seed) throws Exception {
        Path runDir = Path.of(DroverClient.outputs(run, "train").path("model_path").asText()).getParent();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "examples/ml/Serve.java", "--url", drover.baseUrl(), "--token-file",
                drover.dataDir().resolve("admin-token").toString(), "--model", "churn",
                "--model-version", Integer.toString(version), "--run-dir", runDir.toString(),
                "--rows", Integer.toString(rows), "--batch", "250", "--drift", drift, "--labels", labels,
                "--seed", Long.toString(seed)));
        Process p = new ProcessBuilder(cmd).directory(repoRoot.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    /** The model's drift reports, newest first. */
    List<JsonNode> reports() {
        List<JsonNode> out = new ArrayList<>();
        client.get("/api/v1/monitors/churn/reports?limit=100").body().path("items").forEach(out::add);
        return out;
    }

    /** A pipeline's runs, newest first. */
    List<JsonNode> runsOf(String pipelineId) {
        List<JsonNode> out = new ArrayList<>();
        client.get("/api/v1/pipelines/" + pipelineId + "/runs").body().forEach(out::add);
        return out;
    }

    /** The version holding churn's champion alias, or 0. */
    int champion() {
        DroverClient.Response r = client.get("/api/v1/models/churn/aliases/champion");
        return r.ok() ? r.body().path("version").path("version").asInt() : 0;
    }
}
