package dev.drover.standalone;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.StringLoader;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the example ML pipeline's steps ({@code examples/ml/*.java}) as real processes, the way a Drover shell task
 * does: working directory the repository root, a shared run directory, a fresh output file per step.
 */
class ExampleMlScriptsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final long STEP_TIMEOUT_SECONDS = 120;

    private static Path repoRoot;

    @TempDir
    Path tmp;

    /** What one step did. */
    record Step(String name, int exitCode, String stdout, String stderr, Map<String, Object> outputs) {
        String describe() {
            return name + " exited " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    @BeforeAll
    static void locateRepository() {
        // Surefire runs in the module directory (and sets basedir to it); the repository root is its parent.
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        repoRoot = module.getParent();
        assertThat(repoRoot.resolve("examples/ml/Ingest.java")).as("repository root %s", repoRoot).isRegularFile();
    }

    @Test
    void theFiveStepsTrainAModelThatLearnsSomethingRealButIsNotPerfect() throws Exception {
        Path runDir = Files.createDirectories(tmp.resolve("run"));
        long started = System.nanoTime();

        Step ingest = succeed(run(runDir, "Ingest", "--rows", "5000"));
        assertThat(ingest.outputs()).containsEntry("rows", 5000)
                .containsEntry("path", runDir.resolve("raw.csv").toString());

        Step validate = succeed(run(runDir, "Validate", "--input", (String) ingest.outputs().get("path")));
        assertThat(validate.outputs()).containsEntry("rows", 5000).containsEntry("valid", true);
        assertThat(((Number) validate.outputs().get("churn_rate")).doubleValue()).isBetween(0.1, 0.5);

        Step featurize = succeed(run(runDir, "Featurize"));
        assertThat(featurize.outputs()).containsEntry("train_rows", 4000).containsEntry("test_rows", 1000);
        assertThat(featurize.outputs().get("features")).asInstanceOf(InstanceOfAssertFactories.LIST).hasSize(7)
                .contains("tenure_months", "contract_two_year");
        assertThat(runDir.resolve("scaler.json")).isRegularFile();

        Step train = succeed(run(runDir, "Train", "--learning-rate", "0.1", "--epochs", "200"));
        assertThat(train.outputs()).containsEntry("model_path", runDir.resolve("model.json").toString());
        // Better than predicting the base rate (log loss ~0.6 at a 30 % churn rate), worse than perfect.
        assertThat(((Number) train.outputs().get("train_loss")).doubleValue()).isBetween(0.3, 0.6);

        Step evaluate = succeed(run(runDir, "Evaluate", "--min-auc", "0.7"));
        double elapsedSeconds = (System.nanoTime() - started) / 1e9;
        double auc = ((Number) evaluate.outputs().get("auc")).doubleValue();
        assertThat(auc).isGreaterThan(0.75).isLessThan(0.99);
        assertThat(evaluate.outputs()).containsEntry("test_rows", 1000).containsKeys("accuracy", "log_loss",
                "precision", "recall");
        assertThat(((Number) evaluate.outputs().get("accuracy")).doubleValue()).isGreaterThan(0.7);
        assertThat(evaluate.stdout()).contains("AUC");
        System.out.printf("example pipeline: AUC %.4f, five steps in %.1f s%n", auc, elapsedSeconds);

        // The quality gate: the same model against a bar it cannot reach fails with exit code 2.
        Step gated = run(runDir, "Evaluate", "--min-auc", "0.99");
        assertThat(gated.exitCode()).as(gated.describe()).isEqualTo(2);
        assertThat(gated.stderr()).contains("below the required --min-auc");
    }

    @Test
    void validateRejectsCorruptRowsAndReportsEveryViolation() throws Exception {
        Path runDir = Files.createDirectories(tmp.resolve("run"));
        succeed(run(runDir, "Ingest", "--rows", "1000", "--corrupt-rows", "25"));

        Step validate = run(runDir, "Validate");

        assertThat(validate.exitCode()).as(validate.describe()).isEqualTo(1);
        assertThat(validate.stderr()).contains("has 25 violation(s)", "tenure_months -", "contract `lifetime`",
                "monthly_charges is missing", "churned `2`", "... and 5 more");
        assertThat(validate.outputs()).as("no outputs are published for bad data").isEmpty();
    }

    /**
     * The pipeline file's commands, with their templates rendered the way the scheduler renders them (Pebble with the
     * scheduler's settings, the same context shape) and run with /bin/sh -c, must work together.
     */
    @Test
    void thePipelineFilesRenderedCommandsRunInOrder() throws Exception {
        JsonNode pipeline = YAML.readTree(repoRoot.resolve("examples/churn-training.yaml").toFile());
        assertThat(pipeline.path("id").asText()).isEqualTo("churn-training");
        Map<String, Object> params = new LinkedHashMap<>();
        pipeline.path("parameters").fields().forEachRemaining(p -> params.put(p.getKey(),
                p.getValue().path("type").asText().equals("integer") ? (Object) p.getValue().path("default").asLong()
                        : p.getValue().path("type").asText().equals("string")
                        ? (Object) p.getValue().path("default").asText()
                        : (Object) p.getValue().path("default").asDouble()));
        assertThat(params).containsOnlyKeys("rows", "learning_rate", "epochs", "min_auc", "drift_report_id",
                "drift_reason", "drift_window_data", "drift_training_data", "drift_evaluation_data",
                "champion_version", "champion_artifact");
        params.put("rows", 2000L); // smaller than the default, to keep the test quick

        PebbleEngine pebble = new PebbleEngine.Builder().loader(new StringLoader()).autoEscaping(false)
                .strictVariables(true).newLineTrimming(false).cacheActive(false).build();
        Map<String, Object> upstream = new HashMap<>();
        Path runDir = Files.createDirectories(tmp.resolve("run"));
        List<String> order = new ArrayList<>();
        Map<String, Map<String, Object>> registryTasks = new LinkedHashMap<>();
        Step last = null;
        List<String> skipped = new ArrayList<>();
        for (JsonNode task : pipeline.path("tasks")) {
            String id = task.path("id").asText();
            for (JsonNode dependency : task.path("dependsOn")) {
                assertThat(upstream).as("%s depends on %s, declared later", id, dependency.asText())
                        .containsKey(dependency.asText());
            }
            Map<String, Object> context = Map.of("params", params, "tasks", upstream,
                    "run", Map.of("id", "churn-training.1", "pipeline", "churn-training"), "attempt", 1);
            if (task.has("when") && !dev.drover.scheduler.pipeline.TaskControlFlow.WHEN.test(
                    task.path("when").asText(), Map.of("params", params, "tasks", upstream, "run",
                            Map.of("id", "churn-training.1", "pipeline", "churn-training")))) {
                skipped.add(id); // started by hand: the steps of a retrain on production data are skipped
                upstream.put(id, Map.of());
                continue;
            }
            if (!task.path("type").asText().equals("shell")) {
                // Registry task types run inside the executor against the model registry, not as processes here:
                // render their settings the way the scheduler would, and stand in for the outputs they publish.
                registryTasks.put(id, render(pebble, JSON.convertValue(task, Map.class), context));
                upstream.put(id, Map.of("outputs", Map.of("version", 1L)));
                continue;
            }
            StringWriter command = new StringWriter();
            pebble.getTemplate(task.path("command").asText()).evaluate(command, context);
            last = succeed(start(runDir, id, List.of("/bin/sh", "-c", command.toString())));
            upstream.put(id, Map.of("outputs", last.outputs()));
            order.add(id);
        }
        assertThat(order).containsExactly("ingest", "validate", "featurize", "train", "evaluate");
        assertThat(skipped).containsExactly("evaluate_recent", "evaluate_champion", "promote_on_recent_data");
        assertThat(((Number) last.outputs().get("auc")).doubleValue()).isGreaterThan(0.75).isLessThan(0.99);
        assertThat(last.outputs()).containsEntry("test_rows", 400);

        // The registry steps get real paths and numbers from the steps before them.
        assertThat(registryTasks).containsOnlyKeys("profile", "register", "promote");
        Map<String, Object> profile = registryTasks.get("profile");
        assertThat(profile).containsEntry("type", "profile_feature_set").containsEntry("feature_set", "churn-features");
        assertThat(Path.of((String) profile.get("data"))).isRegularFile();
        List<String> header = List.of(Files.readAllLines(Path.of((String) profile.get("data"))).get(0).split(","));
        assertThat(header).containsAll(((List<?>) profile.get("features")).stream()
                .map(f -> f instanceof Map<?, ?> m ? (String) m.get("name") : (String) f).toList());
        Map<String, Object> register = registryTasks.get("register");
        assertThat(register).containsEntry("model", "churn")
                .containsEntry("artifact", runDir.resolve("model.json").toString())
                .containsEntry("feature_set", Map.of("name", "churn-features", "version", "1"));
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) register.get("metrics");
        assertThat(Double.parseDouble((String) metrics.get("auc")))
                .isEqualTo(((Number) last.outputs().get("auc")).doubleValue());
        assertThat(metrics.values()).allSatisfy(v -> assertThat(Double.parseDouble((String) v)).isFinite());
        assertThat(registryTasks.get("promote")).containsEntry("model", "churn").containsEntry("version", "1")
                .containsEntry("metric", "auc");
    }

    /** Renders every string inside {@code value}, as the scheduler does when it dispatches an attempt. */
    @SuppressWarnings("unchecked")
    private static <T> T render(PebbleEngine pebble, T value, Map<String, Object> context) throws IOException {
        if (value instanceof String s) {
            StringWriter out = new StringWriter();
            pebble.getTemplate(s).evaluate(out, context);
            return (T) out.toString();
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) {
                out.add(render(pebble, o, context));
            }
            return (T) out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(String.valueOf(e.getKey()), render(pebble, e.getValue(), context));
            }
            return (T) out;
        }
        return value;
    }

    private static Step succeed(Step step) {
        assertThat(step.exitCode()).as(step.describe()).isZero();
        return step;
    }

    private Step run(Path runDir, String program, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-XX:TieredStopAtLevel=1",
                "examples/ml/" + program + ".java"));
        command.addAll(List.of(args));
        return start(runDir, program, command);
    }

    private Step start(Path runDir, String name, List<String> command) throws IOException, InterruptedException {
        Path stepDir = Files.createTempDirectory(tmp, name + "-");
        Path output = Files.createFile(stepDir.resolve("output.json")); // empty, like the executor's
        Path stdout = stepDir.resolve("stdout");
        Path stderr = stepDir.resolve("stderr");
        ProcessBuilder builder = new ProcessBuilder(command).directory(repoRoot.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Map<String, String> env = builder.environment();
        // `java` in the pipeline's shell commands must be this JDK.
        env.put("PATH", JAVA.getParent() + java.io.File.pathSeparator + env.getOrDefault("PATH", ""));
        env.put("DROVER_RUN_DIR", runDir.toString());
        env.put("DROVER_OUTPUT", output.toString());
        env.put("DROVER_RUN_ID", "churn-training.1");
        env.put("DROVER_PIPELINE_ID", "churn-training");
        env.put("DROVER_TASK_ID", name);
        env.put("DROVER_ATTEMPT", "1");
        env.put("DROVER_ATTEMPT_ID", "churn-training.1/" + name + "/1");
        Process process = builder.start();
        if (!process.waitFor(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            fail(name + " did not finish within " + STEP_TIMEOUT_SECONDS + " s; stderr:\n" + Files.readString(stderr));
        }
        String json = Files.readString(output);
        Map<String, Object> outputs = json.isBlank() ? Map.of()
                : JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        return new Step(name, process.exitValue(), Files.readString(stdout), Files.readString(stderr), outputs);
    }
}
