package dev.drover.scheduler.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.drover.scheduler.pipeline.PipelineSpecParserTest.parsed;
import static org.assertj.core.api.Assertions.assertThat;

/** Parsing and storing the asset keys: task {@code outlets} and {@code assets} triggers. */
class AssetSpecTest {
    static final String PRODUCER = """
            id: features
            tasks:
              - id: build
                type: shell
                command: echo built
                outlets: [s3://bucket/features/churn, "asset:churn-labels"]
              - id: report
                type: noop
                dependsOn: [build]
            """;
    static final String CONSUMER = """
            id: train
            tasks: [{id: fit, type: noop}]
            triggers:
              - assets: {all: [s3://bucket/features/churn, "asset:churn-labels"]}
              - assets: {any: ["file:///data/hot.csv"]}
            """;

    @Test
    void outletsAreReadIntoTheTaskOptions() {
        PipelineSpec spec = parsed(PRODUCER);

        assertThat(spec.task("build").orElseThrow().options().outlets())
                .containsExactly("s3://bucket/features/churn", "asset:churn-labels");
        assertThat(spec.task("build").orElseThrow().config()).containsOnlyKeys("command");
        assertThat(spec.task("report").orElseThrow().options().outlets()).isEmpty();
    }

    @Test
    void assetTriggersAreReadAllOrAny() {
        PipelineSpec spec = parsed(CONSUMER);

        assertThat(spec.triggers()).containsExactly(
                new Trigger.Assets(List.of("s3://bucket/features/churn", "asset:churn-labels"), true),
                new Trigger.Assets(List.of("file:///data/hot.csv"), false));
    }

    @Test
    void assetKeysAreStoredReadBackAndPartOfTheHash() {
        for (String doc : List.of(PRODUCER, CONSUMER)) {
            PipelineSpec spec = parsed(doc);
            PipelineSpec back = PipelineSpecs.fromJson(PipelineSpecs.toJson(spec));
            assertThat(back).isEqualTo(spec);
            assertThat(PipelineSpecs.toJson(back)).isEqualTo(PipelineSpecs.toJson(spec));
            assertThat(PipelineSpecParser.parse(PipelineSpecs.toJson(spec)).spec()).isEqualTo(spec);
        }
        assertThat(PipelineSpecs.hash(parsed(PRODUCER)))
                .isNotEqualTo(PipelineSpecs.hash(parsed(PRODUCER.replace("asset:churn-labels", "asset:other"))));
        // a task without outlets stores no key, so specs registered before outlets existed keep their hash
        assertThat(PipelineSpecs.toJson(parsed("id: x\ntasks: [{id: a, type: noop}]"))).doesNotContain("outlets");
        assertThat(PipelineSpecs.toJson(parsed("id: x\ntasks: [{id: a, type: noop, outlets: []}]")))
                .doesNotContain("outlets");
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://b/k", "gs://b/x/y", "file:///data/x.csv", "postgres://db/schema.table",
            "asset:churn", "https://example.com/data?v=1", "bigquery:project.dataset.table"})
    void validUris(String uri) {
        assertThat(AssetUris.problem(uri)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "churn", "/data/x.csv", "S3://b/k", "s3://", "asset:", "s3://b/my file",
            "s3://b/{{ params.day }}", "1x://a"})
    void invalidUris(String uri) {
        assertThat(AssetUris.problem(uri)).isPresent();
    }

    @Test
    void badOutletsAreReportedWithTheirPaths() {
        ParseResult result = PipelineSpecParser.parse("""
                id: x
                tasks:
                  - {id: a, type: noop, outlets: s3://b/k}
                  - {id: b, type: noop, outlets: [churn, 3, s3://b/k, s3://b/k]}
                """);

        assertThat(result.problems()).extracting(SpecProblem::path).containsExactly(
                "/tasks/0/outlets", "/tasks/1/outlets/0", "/tasks/1/outlets/1", "/tasks/1/outlets/3");
        assertThat(result.problems().get(0).message()).contains("write [s3://b/k]");
        assertThat(result.problems().get(1).message()).contains("asset:churn");
    }

    @Test
    void badAssetTriggersAreReportedWithTheirPaths() {
        ParseResult result = PipelineSpecParser.parse("""
                id: x
                tasks: [{id: a, type: noop}]
                triggers:
                  - assets: {every: [s3://b/k]}
                  - assets: {all: [s3://b/k], any: [s3://b/j]}
                  - assets: {any: []}
                  - assets: {all: [nope]}
                  - assets: {all: [s3://b/k, s3://b/j]}
                  - assets: {all: [s3://b/j, s3://b/k]}
                  - {webhook: {}}
                """);

        assertThat(result.problems()).extracting(SpecProblem::path).containsExactly(
                "/triggers/0/assets", "/triggers/1/assets", "/triggers/2/assets/any", "/triggers/3/assets/all/0",
                "/triggers/5/assets", "/triggers/6");
        assertThat(result.problems().get(0).message()).contains("`all`", "`any`", "unknown key `every`");
        assertThat(result.problems().get(5).message()).contains("drift, assets");
    }

    static final String TRIGGERING = """
            id: parent
            parameters: {day: {default: "2024-01-01"}}
            tasks:
              - {id: start, type: trigger_pipeline, pipeline: child, parameters: {day: "{{ params.day }}", n: 3}}
              - {id: await, type: trigger_pipeline, pipeline: child, wait: true, pollInterval: 2s}
            """;

    @Test
    void triggerPipelineTasksAreChecked() {
        PipelineSpec spec = parsed(TRIGGERING);
        assertThat(spec.task("await").orElseThrow().config()).containsEntry("wait", true)
                .containsEntry("pollInterval", "2s");

        ParseResult result = PipelineSpecParser.parse("""
                id: x
                tasks:
                  - {id: a, type: trigger_pipeline}
                  - {id: b, type: trigger_pipeline, pipeline: Bad.Id, parameters: [1], wait: "yes"}
                  - {id: c, type: trigger_pipeline, pipeline: ok, pollInterval: 5s}
                  - {id: d, type: trigger_pipeline, pipeline: ok, wait: true, pollInterval: 10ms}
                """);
        assertThat(result.problems()).extracting(SpecProblem::path).containsExactly("/tasks/0",
                "/tasks/1/pipeline", "/tasks/1/parameters", "/tasks/1/wait", "/tasks/2/pollInterval",
                "/tasks/3/pollInterval");
    }
}
