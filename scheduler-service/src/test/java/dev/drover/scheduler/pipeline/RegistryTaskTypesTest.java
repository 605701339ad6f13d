package dev.drover.scheduler.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The model-registry task types as the parser sees them: what they accept, and every problem with its path. */
class RegistryTaskTypesTest {

    static final String PIPELINE = """
            id: churn
            parameters:
              lr: {type: number, default: 0.1}
            tasks:
              - id: featurize
                type: shell
                command: make features
              - id: profile
                type: profile_feature_set
                dependsOn: [featurize]
                feature_set: churn-features
                data: "{{ tasks.featurize.outputs.train_path }}"
                features: [tenure, {name: plan, type: CATEGORICAL}, {name: churned, type: binary}]
                exclude: [customer_id]
                bins: 20
                description: ""
              - id: evaluate
                type: shell
                dependsOn: [profile]
                command: make eval
              - id: register
                type: register_model
                dependsOn: [evaluate]
                model: churn
                artifact: "{{ tasks.evaluate.outputs.model_path }}"
                metrics: {auc: "{{ tasks.evaluate.outputs.auc }}", baseline: 0.5, fixed: "0.75"}
                params: {learning_rate: "{{ params.lr }}", epochs: 200, balanced: true}
                tags: {team: growth}
                description: weekly retrain
                code_version: abc123
                feature_set: {name: churn-features, version: "{{ tasks.profile.outputs.version }}"}
              - id: promote
                type: promote_model
                dependsOn: [register]
                model: churn
                version: "{{ tasks.register.outputs.version }}"
                metric: auc
                direction: greater
                min_improvement: 0.01
                min_relative_improvement: "0.02"
                alias: champion
            """;

    @Test
    void aPipelineWithAllThreeTypesParsesAndKeepsTheirSettings() {
        ParseResult result = PipelineSpecParser.parse(PIPELINE);

        assertThat(result.problems()).isEmpty();
        TaskSpec register = result.spec().task("register").orElseThrow();
        assertThat(register.type()).isEqualTo("register_model");
        assertThat(register.config()).containsEntry("model", "churn")
                .containsEntry("metrics", Map.of("auc", "{{ tasks.evaluate.outputs.auc }}", "baseline", 0.5,
                        "fixed", "0.75"))
                .containsEntry("feature_set", Map.of("name", "churn-features",
                        "version", "{{ tasks.profile.outputs.version }}"));
        assertThat(result.spec().task("profile").orElseThrow().config()).containsEntry("bins", 20L)
                .containsEntry("exclude", List.of("customer_id"));
        assertThat(result.spec().task("promote").orElseThrow().config()).containsEntry("min_improvement", 0.01);
    }

    @Test
    void theMinimalFormsNeedOnlyTheRequiredKeys() {
        assertThat(PipelineSpecParser.parse("""
                id: m
                tasks:
                  - {id: p, type: profile_feature_set, feature_set: fs, data: /data/train.csv}
                  - {id: r, type: register_model, model: churn, artifact: s3://models/churn/1}
                  - {id: q, type: promote_model, model: churn, version: 3, metric: auc}
                """).problems()).isEmpty();
    }

    @Test
    void missingRequiredKeysSayWhatToAdd() {
        List<SpecProblem> problems = PipelineSpecParser.parse("""
                id: m
                tasks:
                  - {id: p, type: profile_feature_set}
                  - {id: r, type: register_model}
                  - {id: q, type: promote_model}
                """).problems();

        assertThat(problems).extracting(SpecProblem::path, SpecProblem::message).containsExactly(
                tuple("/tasks/0", "a profile_feature_set task needs `feature_set`, e.g. feature_set: churn-features"),
                tuple("/tasks/0", "a profile_feature_set task needs `data`, e.g. data: "
                        + "\"{{ tasks.featurize.outputs.train_path }}\""),
                tuple("/tasks/1", "a register_model task needs `model`, e.g. model: churn"),
                tuple("/tasks/1", "a register_model task needs `artifact`, e.g. artifact: "
                        + "\"{{ tasks.train.outputs.model_path }}\""),
                tuple("/tasks/2", "a promote_model task needs `model`, e.g. model: churn"),
                tuple("/tasks/2", "a promote_model task needs `version`, the version to promote, e.g. version: "
                        + "\"{{ tasks.register.outputs.version }}\""),
                tuple("/tasks/2", "a promote_model task needs `metric`, e.g. metric: auc"));
    }

    @Test
    void registerModelProblemsHavePaths() {
        List<SpecProblem> problems = PipelineSpecParser.parse("""
                id: m
                tasks:
                  - id: r
                    type: register_model
                    model: team/churn
                    artifact: " "
                    metrics: {auc: high, "bad key!": 1, ok: [1]}
                    params: {nested: {a: 1}}
                    tags: [a]
                    code_version: 5
                    feature_set: {version: 0, colour: blue}
                    modle: x
                """).problems();

        assertThat(problems).extracting(SpecProblem::path).containsExactlyInAnyOrder(
                "/tasks/0/modle", "/tasks/0/model", "/tasks/0/artifact", "/tasks/0/metrics/auc",
                "/tasks/0/metrics/bad key!", "/tasks/0/metrics/ok", "/tasks/0/params/nested", "/tasks/0/tags",
                "/tasks/0/code_version", "/tasks/0/feature_set/colour", "/tasks/0/feature_set",
                "/tasks/0/feature_set/version");
        assertThat(message(problems, "/tasks/0/modle")).contains("did you mean `model`?");
        assertThat(message(problems, "/tasks/0/model")).contains("cannot contain /, \\ or %");
        assertThat(message(problems, "/tasks/0/metrics/auc"))
                .isEqualTo("`high` is not a number; write a number or a template that gives one, e.g. "
                        + "auc: \"{{ tasks.evaluate.outputs.auc }}\"");
        assertThat(message(problems, "/tasks/0/metrics/bad key!")).contains("not a valid metric name");
        assertThat(message(problems, "/tasks/0/feature_set")).contains("needs `name`");
        assertThat(message(problems, "/tasks/0/feature_set/version")).contains("versions start at 1, got 0");
        assertThat(message(problems, "/tasks/0/code_version")).contains("must be a string, got a number (5)");
    }

    @Test
    void profileFeatureSetProblemsHavePaths() {
        List<SpecProblem> problems = PipelineSpecParser.parse("""
                id: m
                tasks:
                  - id: p
                    type: profile_feature_set
                    feature_set: "a%b"
                    data: /d.csv
                    features: [{name: x, type: numerik}, {name: x}, {type: BINARY}, 3, {name: y, kind: a}]
                    exclude: [x, z, z]
                    bins: 0
                  - {id: q, type: profile_feature_set, feature_set: f, data: /d.csv, features: [], bins: many}
                """).problems();

        assertThat(problems).extracting(SpecProblem::path).containsExactlyInAnyOrder(
                "/tasks/0/feature_set", "/tasks/0/features/0/type", "/tasks/0/features/1/name",
                "/tasks/0/features/2", "/tasks/0/features/3", "/tasks/0/features/4/kind", "/tasks/0/exclude/0",
                "/tasks/0/exclude/2", "/tasks/0/bins", "/tasks/1/features", "/tasks/1/bins");
        assertThat(message(problems, "/tasks/0/features/0/type")).contains("use one of NUMERIC, CATEGORICAL, BINARY")
                .contains("did you mean `NUMERIC`?");
        assertThat(message(problems, "/tasks/0/features/1/name")).contains("feature `x` is listed twice");
        assertThat(message(problems, "/tasks/0/exclude/0")).contains("both in features and in exclude");
        assertThat(message(problems, "/tasks/0/exclude/2")).contains("excluded twice");
        assertThat(message(problems, "/tasks/0/bins")).isEqualTo("bins must be from 1 to 1000, got 0");
        assertThat(message(problems, "/tasks/1/bins")).contains("got a string (\"many\")");
    }

    @Test
    void promoteModelProblemsHavePaths() {
        List<SpecProblem> problems = PipelineSpecParser.parse("""
                id: m
                tasks:
                  - id: q
                    type: promote_model
                    model: churn
                    version: v3
                    metric: auc
                    direction: bigger
                    min_improvement: -0.1
                    min_relative_improvement: lots
                    alias: latest
                  - {id: r, type: promote_model, model: churn, version: 1.5, metric: "", alias: v2}
                """).problems();

        assertThat(problems).extracting(SpecProblem::path, SpecProblem::message).containsExactlyInAnyOrder(
                tuple("/tasks/0/version", "`v3` is not a version number; write a whole number from 1 or a template "
                        + "that gives one, e.g. version: \"{{ tasks.register.outputs.version }}\""),
                tuple("/tasks/0/direction", "direction must be greater (a higher value is better, e.g. auc) or "
                        + "smaller (a lower value is better, e.g. log_loss), got a string (\"bigger\")"),
                tuple("/tasks/0/min_improvement", "min_improvement must be a finite number of 0 or more, got -0.1; "
                        + "e.g. min_improvement: 0.01"),
                tuple("/tasks/0/min_relative_improvement", "`lots` is not a number; write a number or a template "
                        + "that gives one, e.g. min_relative_improvement: 0.02 (2 %)"),
                tuple("/tasks/0/alias", "the alias `latest` is reserved for the newest version; choose another "
                        + "name, e.g. champion"),
                tuple("/tasks/1/version", "expected a version number (a whole number from 1) or a template that "
                        + "gives one, got a number (1.5); e.g. version: \"{{ tasks.register.outputs.version }}\""),
                tuple("/tasks/1/metric", "metric is blank; e.g. metric: auc"),
                tuple("/tasks/1/alias", "the alias `v2` is reserved: v followed by digits names a version; choose "
                        + "another name, e.g. champion"));
    }

    @Test
    void templatesInNestedSettingsAreCheckedToo() {
        List<SpecProblem> problems = PipelineSpecParser.parse("""
                id: m
                tasks:
                  - {id: eval, type: noop}
                  - id: r
                    type: register_model
                    model: churn
                    artifact: "{{ tasks.train.outputs.model }}"
                    metrics: {auc: "{{ tasks.eval.outputs.auc }}"}
                    feature_set: {name: f, version: "{{ params.fs_version }}"}
                """).problems();

        assertThat(problems).extracting(SpecProblem::path).containsExactlyInAnyOrder("/tasks/1/artifact",
                "/tasks/1/metrics/auc", "/tasks/1/feature_set/version");
        assertThat(message(problems, "/tasks/1/metrics/auc")).contains("not upstream of `r`");
        assertThat(message(problems, "/tasks/1/feature_set/version")).contains("parameter `fs_version`");
    }

    private static String message(List<SpecProblem> problems, String path) {
        return problems.stream().filter(p -> p.path().equals(path)).map(SpecProblem::message).findFirst()
                .orElseThrow(() -> new AssertionError("no problem at " + path + " in " + problems));
    }
}
