package dev.drover.executor.registrytask;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.executor.task.TaskInvocation;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request bodies built from rendered configs, and the outputs read from the registry's answers. */
class RegistryRequestsTest {

    @Test
    void registerModelSendsTheVersionWithLineageAndCreatesTheModelIfMissing() throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", "churn model");
        config.put("artifact", "/runs/churn-training.7/model.json");
        // what templates render to: strings; literals stay numbers
        config.put("metrics", Map.of("auc", "0.8175", "baseline", 0.5, "rows", 1000L));
        config.put("params", new LinkedHashMap<>(Map.of("learning_rate", "0.1", "epochs", 200L)));
        config.put("tags", Map.of("balanced", true));
        config.put("description", "weekly retrain");
        config.put("feature_set", Map.of("name", "churn-features", "version", "3"));

        RegistryRequest request = RegisterModelTask.request(invocation("register", config),
                () -> Optional.of("0123abc"));

        assertThat(request.path()).isEqualTo("/api/v1/models/churn%20model/versions");
        assertThat(reparsed(request.body())).isEqualTo(json("""
                {"artifactLocation": "/runs/churn-training.7/model.json",
                 "description": "weekly retrain",
                 "params": {"learning_rate": "0.1", "epochs": "200"},
                 "metrics": {"auc": 0.8175, "baseline": 0.5, "rows": 1000.0},
                 "lineage": {"runId": "churn-training.7", "taskId": "register", "codeVersion": "0123abc",
                             "featureSet": {"name": "churn-features", "version": 3}},
                 "tags": {"balanced": "true"},
                 "createModelIfMissing": true}
                """));
    }

    @Test
    void theConfiguredCodeVersionWinsAndTheDefaultIsOnlyLookedUpWhenNeeded() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        Map<String, Object> config = Map.of("model", "m", "artifact", "a", "code_version", "v1.2");

        RegistryRequest request = RegisterModelTask.request(invocation("r", config), () -> {
            lookups.incrementAndGet();
            return Optional.of("from-git");
        });

        assertThat(request.body().at("/lineage/codeVersion").asText()).isEqualTo("v1.2");
        assertThat(lookups).hasValue(0);
        RegistryRequest without = RegisterModelTask.request(invocation("r", Map.of("model", "m", "artifact", "a")),
                Optional::empty);
        assertThat(reparsed(without.body().get("lineage"))).isEqualTo(json("{\"runId\": \"churn-training.7\", \"taskId\": \"r\"}"));
        assertThat(without.body().has("description")).isFalse();
    }

    @Test
    void aMetricTemplateThatRenderedToSomethingElseFailsClearly() {
        Map<String, Object> config = Map.of("model", "m", "artifact", "a", "metrics", Map.of("auc", "n/a"));

        assertThatThrownBy(() -> RegisterModelTask.request(invocation("r", config), Optional::empty))
                .isInstanceOf(TaskFailure.class)
                .hasMessage("config `metrics.auc` must be a finite number, got `n/a`; if it is a template, check that "
                        + "the upstream output it reads is a number");
        assertThatThrownBy(() -> RegisterModelTask.request(invocation("r", Map.of("model", "m", "artifact", "a",
                "feature_set", Map.of("name", "f", "version", "latest"))), Optional::empty))
                .isInstanceOf(TaskFailure.class)
                .hasMessageContaining("config `feature_set.version` must be a version number");
        assertThatThrownBy(() -> RegisterModelTask.request(invocation("r", Map.of("model", "m", "artifact", " ")),
                Optional::empty))
                .isInstanceOf(TaskFailure.class).hasMessage("config `artifact` is required");
    }

    @Test
    void registerModelOutputsComeFromTheAnswer() throws Exception {
        JsonNode answer = json("""
                {"modelName": "churn", "version": 4, "artifactLocation": "/m.json", "stage": "None", "aliases": []}
                """);

        assertThat(RegisterModelTask.outputs(answer))
                .containsExactly(Map.entry("model", "churn"), Map.entry("version", 4L), Map.entry("artifact", "/m.json"));
        assertThatThrownBy(() -> RegisterModelTask.outputs(json("{\"modelName\": \"churn\"}")))
                .isInstanceOf(TaskFailure.class).hasMessageContaining("no version number");
    }

    @Test
    void promoteModelSendsTheCriteriaWithDefaults() throws Exception {
        RegistryRequest request = PromoteModelTask.request(invocation("promote", Map.of("model", "churn",
                "version", "4", "metric", "auc")));

        assertThat(request.path()).isEqualTo("/api/v1/models/churn/promotions");
        assertThat(reparsed(request.body())).isEqualTo(json("""
                {"version": 4, "metric": "auc", "direction": "greater", "minAbsoluteImprovement": 0.0,
                 "minRelativeImprovement": 0.0, "alias": "champion"}
                """));

        RegistryRequest custom = PromoteModelTask.request(invocation("promote", Map.of("model", "churn",
                "version", 5L, "metric", "log_loss", "direction", "smaller", "min_improvement", "0.01",
                "min_relative_improvement", 0.02, "alias", "prod")));
        assertThat(custom.body().get("direction").asText()).isEqualTo("smaller");
        assertThat(custom.body().get("minAbsoluteImprovement").asDouble()).isEqualTo(0.01);
        assertThat(custom.body().get("minRelativeImprovement").asDouble()).isEqualTo(0.02);
        assertThat(custom.body().get("alias").asText()).isEqualTo("prod");
        assertThatThrownBy(() -> PromoteModelTask.request(invocation("p", Map.of("model", "m", "version", 1L,
                "metric", "auc", "min_improvement", "-1"))))
                .isInstanceOf(TaskFailure.class).hasMessage("config `min_improvement` must be 0 or more, got -1.0");
    }

    @Test
    void aPromotionMeasuredOnSharedDataSendsBothValuesTheDataTheRunAndTheReport() throws Exception {
        RegistryRequest r = PromoteModelTask.request(invocation("p", Map.of("model", "churn", "version", "2",
                "metric", "auc", "challenger_value", "0.81", "champion_version", "1", "champion_value", "0.79",
                "evaluation_data", "/d/labeled/p-2.csv", "drift_report_id", "churn/w-p0-0")));
        assertThat(r.body().path("measured").toString()).isEqualTo(json("""
                {"challengerValue": 0.81, "championVersion": 1, "championValue": 0.79,
                 "evaluationData": "/d/labeled/p-2.csv", "driftReportId": "churn/w-p0-0",
                 "runId": "%s"}""".formatted(invocation("p", Map.of()).runId())).toString());

        RegistryRequest noHolder = PromoteModelTask.request(invocation("p", Map.of("model", "churn", "version", "1",
                "metric", "auc", "challenger_value", 0.7, "champion_version", "", "champion_value", "")));
        assertThat(noHolder.body().path("measured").has("championVersion")).isFalse();
        assertThat(PromoteModelTask.request(invocation("p", Map.of("model", "churn", "version", "2", "metric",
                "auc"))).body().has("measured")).as("registered metrics").isFalse();
        assertThatThrownBy(() -> PromoteModelTask.request(invocation("p", Map.of("model", "churn", "version", "2",
                "metric", "auc", "challenger_value", "0.8", "champion_value", "0.7"))))
                .isInstanceOf(TaskFailure.class).hasMessageContaining("go together");
    }

    @Test
    void aPromotionOutcomeBecomesOutputs() throws Exception {
        Map<String, Object> promoted = PromoteModelTask.outputs(json("""
                {"outcome": "PROMOTED", "alias": "champion", "version": 4,
                 "evaluation": {"challengerVersion": 4, "challengerValue": 0.82, "holderVersion": 3,
                                "holderValue": 0.8, "absoluteImprovement": 0.02, "relativeImprovement": 0.025,
                                "explanation": "auc 0.82 beats 0.8 by 0.02"}}
                """), 4);

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("outcome", "PROMOTED");
        expected.put("promoted", true);
        expected.put("alias", "champion");
        expected.put("version", 4L);
        expected.put("challenger_value", 0.82);
        expected.put("champion_version", 3L);
        expected.put("champion_value", 0.8);
        expected.put("reason", "auc 0.82 beats 0.8 by 0.02");
        expected.put("measured", false);
        expected.put("request_id", null);
        assertThat(promoted).containsExactlyEntriesOf(expected);

        Map<String, Object> first = PromoteModelTask.outputs(json("""
                {"outcome": "PROMOTED", "alias": "champion", "version": 1,
                 "evaluation": {"challengerVersion": 1, "challengerValue": 0.7, "explanation": "no holder"}}
                """), 1);
        assertThat(first).containsEntry("champion_version", null).containsEntry("champion_value", null);

        Map<String, Object> declined = PromoteModelTask.outputs(json("""
                {"outcome": "DECLINED", "alias": "champion", "version": 5,
                 "evaluation": {"challengerVersion": 5, "challengerValue": 0.79, "holderVersion": 4,
                                "holderValue": 0.82, "explanation": "auc 0.79 is not greater than 0.82"}}
                """), 5);
        assertThat(declined).containsEntry("outcome", "DECLINED").containsEntry("promoted", false)
                .containsEntry("reason", "auc 0.79 is not greater than 0.82");

        Map<String, Object> pending = PromoteModelTask.outputs(json("""
                {"outcome": "PENDING_APPROVAL", "alias": "prod", "version": 6,
                 "evaluation": {"challengerVersion": 6, "challengerValue": 0.9, "explanation": "better"},
                 "request": {"requestId": "req-1", "status": "PENDING"}}
                """), 6);
        assertThat(pending).containsEntry("promoted", false).containsEntry("request_id", "req-1");

        Map<String, Object> already = PromoteModelTask.outputs(json("""
                {"outcome": "UNCHANGED", "alias": "champion", "version": 6}
                """), 6);
        assertThat(already).containsEntry("outcome", "UNCHANGED").containsEntry("promoted", true)
                .containsEntry("version", 6L);

        assertThatThrownBy(() -> PromoteModelTask.outputs(json("{\"outcome\": \"MAYBE\"}"), 1))
                .isInstanceOf(TaskFailure.class).hasMessageContaining("outcome `MAYBE`");
    }

    @Test
    void aProfileBecomesTheFeatureSetVersionTheApiSpecifies() throws Exception {
        DatasetProfile profile = new DatasetProfile(4, List.of(
                new FeatureProfile.Numeric("age", 1, List.of(20.0, 40.0, 60.0), List.of(2L, 1L),
                        List.of(new FeatureProfile.Quantile(0.0, 20), new FeatureProfile.Quantile(1.0, 60))),
                new FeatureProfile.Numeric("empty", 4, List.of(), List.of(), List.of()),
                new FeatureProfile.Categorical("plan", FeatureType.BINARY, 0,
                        new TreeMap<>(Map.of("basic", 3L, "pro", 1L)))));

        RegistryRequest request = ProfileFeatureSetTask.request("churn features", "/data/train.csv", null, profile);

        assertThat(request.path()).isEqualTo("/api/v1/feature-sets/churn%20features/versions");
        assertThat(reparsed(request.body())).isEqualTo(json("""
                {"schema": {"features": [{"name": "age", "type": "NUMERIC"}, {"name": "empty", "type": "NUMERIC"},
                                         {"name": "plan", "type": "BINARY"}]},
                 "dataLocation": "/data/train.csv",
                 "statistics": {"rowCount": 4, "features": {
                   "age": {"missing": 1, "histogram": {"edges": [20.0, 40.0, 60.0], "counts": [2, 1]},
                           "quantiles": [{"p": 0.0, "value": 20.0}, {"p": 1.0, "value": 60.0}]},
                   "empty": {"missing": 4},
                   "plan": {"missing": 0, "categories": {"basic": 3, "pro": 1}}}}}
                """));
        assertThat(ProfileFeatureSetTask.outputs(json("{\"name\": \"churn features\", \"version\": 2}"), 4))
                .containsExactly(Map.entry("feature_set", "churn features"), Map.entry("version", 2L),
                        Map.entry("row_count", 4L));
    }

    @Test
    void theQuantileBudgetKeepsAFeatureSetWithinOneRegistryWrite() throws Exception {
        // the registry takes bodies of at most 1 MiB (RequestBodies.MAX_BODY_BYTES); values with all 17 digits and
        // many distinct ranks are the longest JSON a quantile can take
        SplittableRandom random = new SplittableRandom(5);
        for (int features : new int[] {13, 100}) {
            int quantiles = CsvProfiler.quantilesPerFeature(CsvProfiler.QUANTILE_BUDGET, features);
            List<FeatureProfile> profiles = new java.util.ArrayList<>();
            for (int f = 0; f < features; f++) {
                double[] values = new double[30_011];
                for (int i = 0; i < values.length; i++) {
                    values[i] = -1e-7 * random.nextDouble() * Math.pow(10, random.nextInt(8));
                }
                profiles.add(NumericStatistics.of("feature number " + f, values, ProfileFeatureSetTask.DEFAULT_BINS,
                        quantiles, 17));
            }

            RegistryRequest request = ProfileFeatureSetTask.request("wide", "/data/wide.csv", null,
                    new DatasetProfile(30_028, profiles));

            assertThat(((FeatureProfile.Numeric) profiles.get(0)).quantiles()).hasSizeGreaterThan(quantiles / 2);
            assertThat(request.body().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    .as("%d numeric features of %d quantiles", features, quantiles).isLessThan(1 << 20);
        }
    }

    @Test
    void theProfileSpecComesFromTheConfig() throws Exception {
        CsvProfiler.Spec spec = ProfileFeatureSetTask.spec(new RenderedConfig(Map.of(
                "features", List.of("a", Map.of("name", "b", "type", "binary"), Map.of("name", "c")),
                "exclude", List.of("label"), "bins", "20")));

        assertThat(spec.features()).containsExactly(new CsvProfiler.Requested("a", null),
                new CsvProfiler.Requested("b", FeatureType.BINARY), new CsvProfiler.Requested("c", null));
        assertThat(spec.exclude()).containsExactly("label");
        assertThat(spec.bins()).isEqualTo(20);
        assertThat(ProfileFeatureSetTask.spec(new RenderedConfig(Map.of())).bins()).isEqualTo(10);
        assertThatThrownBy(() -> ProfileFeatureSetTask.spec(new RenderedConfig(Map.of("bins", 0L))))
                .isInstanceOf(TaskFailure.class).hasMessage("config `bins` must be a whole number from 1 to 1000, got "
                        + "long 0");
    }

    static TaskInvocation invocation(String taskId, Map<String, Object> config) {
        return new TaskInvocation("churn-training", "churn-training.7", taskId, 2, "register_model", config,
                Duration.ofMinutes(1), Path.of("/tmp/unused"));
    }

    /** The body as the registry reads it: numbers typed by how they are written, not how they were built. */
    private static JsonNode reparsed(JsonNode body) throws Exception {
        return json(RegistryProtocol.JSON.writeValueAsString(body));
    }

    private static JsonNode json(String text) throws Exception {
        return RegistryProtocol.JSON.readTree(text);
    }
}
