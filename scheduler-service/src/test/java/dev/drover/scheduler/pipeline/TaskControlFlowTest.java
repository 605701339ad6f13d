package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static dev.drover.scheduler.pipeline.PipelineSpecParserTest.parsed;
import static dev.drover.scheduler.pipeline.PipelineSpecParserTest.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The control-flow keys of a task, {@code triggerRule} and {@code when}: parsing, checks, storage and schema. */
class TaskControlFlowTest {
    static final String BRANCHING = """
            id: branching
            parameters:
              deploy: {type: boolean, default: false}
            tasks:
              - {id: train, type: noop}
              - id: evaluate
                type: noop
                dependsOn: [train]
              - id: deploy
                type: noop
                dependsOn: [evaluate]
                when: "params.deploy && tasks.evaluate.outputs.auc >= 0.8 && has(tasks['train'].outputs.model)"
              - id: report
                type: noop
                dependsOn: [deploy, evaluate]
                triggerRule: none_failed_min_one_success
              - id: cleanup
                type: noop
                dependsOn: [train]
                triggerRule: all_failed
                when: "run.pipeline == 'branching' && run.id != ''"
            """;
    private static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = TaskControlFlowTest.class.getResourceAsStream("/pipeline.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    @Test
    void readsTriggerRulesAndConditions() {
        PipelineSpec spec = parsed(BRANCHING);

        assertThat(spec.tasks()).extracting(TaskSpec::id, t -> t.options().triggerRule(), t -> t.options().when())
                .containsExactly(
                        tuple("train", TriggerRule.ALL_SUCCESS, null),
                        tuple("evaluate", TriggerRule.ALL_SUCCESS, null),
                        tuple("deploy", TriggerRule.ALL_SUCCESS,
                                "params.deploy && tasks.evaluate.outputs.auc >= 0.8 && has(tasks['train'].outputs.model)"),
                        tuple("report", TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS, null),
                        tuple("cleanup", TriggerRule.ALL_FAILED, "run.pipeline == 'branching' && run.id != ''"));
        assertThat(spec.tasks().get(3).config()).as("control-flow keys are not task config").isEmpty();
    }

    @Test
    void everyRuleNameIsAccepted() {
        for (TriggerRule rule : TriggerRule.values()) {
            PipelineSpec spec = parsed("id: a\ntasks: [{id: t, type: noop}, {id: u, type: noop, dependsOn: [t], "
                    + "triggerRule: " + rule.formatName() + "}]");
            assertThat(spec.tasks().get(1).options().triggerRule()).isEqualTo(rule);
        }
    }

    @Test
    void anUnknownRuleListsTheAllowedOnesAndSuggestsTheClosest() {
        List<SpecProblem> problems = problems("id: a\ntasks: [{id: t, type: noop}, {id: u, type: noop, "
                + "dependsOn: [t], triggerRule: ONE_SUCCESS}, {id: v, type: noop, triggerRule: all_succes}, "
                + "{id: w, type: noop, triggerRule: whenever}, {id: x, type: noop, triggerRule: [all_done]}]");

        assertThat(problems).extracting(SpecProblem::path).containsExactly("/tasks/1/triggerRule",
                "/tasks/2/triggerRule", "/tasks/3/triggerRule", "/tasks/4/triggerRule");
        String allowed = "use one of all_success, all_failed, all_done, one_success, one_failed, none_failed, "
                + "none_failed_min_one_success, always";
        assertThat(problems.get(0).message()).isEqualTo("unknown trigger rule `ONE_SUCCESS`; " + allowed
                + "; did you mean `one_success`?");
        assertThat(problems.get(1).message()).endsWith(allowed + "; did you mean `all_success`?");
        assertThat(problems.get(2).message()).endsWith(allowed);
        assertThat(problems.get(3).message()).startsWith("triggerRule must be the name of a rule, one of all_success, ")
                .endsWith(", always, got a list");
    }

    @Test
    void aConditionMustBeValidCel() {
        List<SpecProblem> problems = problems("id: a\ntasks: [{id: t, type: noop, when: 'params.x >'}, "
                + "{id: u, type: noop, when: 'parms.x'}, {id: v, type: noop, when: true}, {id: w, type: noop, "
                + "when: ' '}]");

        assertThat(problems).extracting(SpecProblem::path)
                .containsExactly("/tasks/0/when", "/tasks/1/when", "/tasks/2/when", "/tasks/3/when");
        assertThat(problems.get(0).message()).startsWith("`when` is not a valid CEL condition: ")
                .endsWith("; it may use params, tasks (outputs of upstream tasks, e.g. tasks.train.outputs.auc) and "
                        + "run (id, pipeline)");
        assertThat(problems.get(1).message()).contains("undeclared reference to 'parms'");
        assertThat(problems.get(2).message()).isEqualTo("`when` must be a CEL condition written as a string, e.g. "
                + "when: \"params.deploy\" or when: \"tasks.evaluate.outputs.auc >= 0.8\", got a boolean (true); quote "
                + "it: when: \"true\"");
        assertThat(problems.get(3).message()).startsWith("`when` must be a CEL condition written as a string");
    }

    @Test
    void aConditionMayOnlyReadTasksUpstreamOfItsTask() {
        List<SpecProblem> problems = problems("""
                id: a
                tasks:
                  - {id: train, type: noop}
                  - {id: lint, type: noop}
                  - {id: evaluate, type: noop, dependsOn: [train]}
                  - id: deploy
                    type: noop
                    dependsOn: [evaluate]
                    when: "tasks.train.outputs.ok && tasks.lint.outputs.ok && 'evaluat' in tasks && tasks['deploy'] != {}"
                """);

        assertThat(problems).extracting(SpecProblem::path).containsOnly("/tasks/3/when");
        assertThat(problems).extracting(SpecProblem::message).containsExactly(
                "`when` reads tasks.lint, which is not upstream of task `deploy`; a condition can only read the "
                        + "outputs of tasks it depends on (directly or through others), so add `lint` to its dependsOn",
                "`when` reads tasks.evaluat, but there is no task `evaluat`; known tasks: train, lint, evaluate, "
                        + "deploy; did you mean `evaluate`?",
                "`when` reads tasks.deploy, which is not upstream of task `deploy`; a condition can only read the "
                        + "outputs of tasks it depends on (directly or through others), so add `deploy` to its "
                        + "dependsOn");
    }

    @Test
    void aConditionMayOnlyReadDeclaredParametersAndTheRunsIdAndPipeline() {
        List<SpecProblem> problems = problems("""
                id: a
                parameters: {deploy: {type: boolean}}
                tasks:
                  - {id: t, type: noop, when: "params.deplyo || run.owner == 'me'"}
                """);

        assertThat(problems).extracting(SpecProblem::message).containsExactly(
                "`when` reads params.deplyo, which is not a declared parameter; declare it under `parameters` or fix "
                        + "the name; did you mean `deploy`?",
                "`when` reads run.owner; run has only id and pipeline");
    }

    @Test
    void theyAreStoredOnlyWhenSetAndComeBackEqual() {
        PipelineSpec spec = parsed(BRANCHING);
        String json = PipelineSpecs.toJson(spec);

        assertThat(PipelineSpecs.fromJson(json)).isEqualTo(spec);
        assertThat(PipelineSpecParser.parse(json).spec()).as("the stored form registers again").isEqualTo(spec);
        assertThat(json).contains("\"triggerRule\":\"none_failed_min_one_success\"")
                .contains("\"when\":\"params.deploy && ");
        // the default rule is left out, so pipelines that never used these keys keep their hash
        PipelineSpec plain = parsed("id: a\ntasks: [{id: t, type: noop}]");
        assertThat(PipelineSpecs.toJson(plain)).doesNotContain("triggerRule").doesNotContain("when");
        assertThat(parsed("id: a\ntasks: [{id: t, type: noop, triggerRule: all_success}]")).isEqualTo(plain);
        assertThat(PipelineSpecs.hash(parsed("id: a\ntasks: [{id: t, type: noop, triggerRule: all_success}]")))
                .isEqualTo(PipelineSpecs.hash(plain));
        assertThat(PipelineSpecs.hash(parsed("id: a\ntasks: [{id: t, type: noop, triggerRule: all_done}]")))
                .isNotEqualTo(PipelineSpecs.hash(plain));
    }

    @Test
    void theSchemaAcceptsWhatTheParserAccepts() throws IOException {
        assertThat(schema.validate(new YAMLMapper().readTree(BRANCHING))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "id: a\ntasks: [{id: t, type: noop, triggerRule: ONE_SUCCESS}]",
            "id: a\ntasks: [{id: t, type: noop, triggerRule: whenever}]",
            "id: a\ntasks: [{id: t, type: noop, triggerRule: 1}]",
            "id: a\ntasks: [{id: t, type: noop, when: true}]",
            "id: a\ntasks: [{id: t, type: noop, when: ' '}]",
            "id: a\ntasks: [{id: t, type: noop, trigger_rule: all_done}]"})
    void structuralProblemsFailBothTheParserAndTheSchema(String doc) throws IOException {
        assertThat(PipelineSpecParser.parse(doc).ok()).as("parser accepts").isFalse();
        assertThat(schema.validate(new YAMLMapper().readTree(doc))).as("schema").isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "id: a\ntasks: [{id: t, type: noop, when: 'params.x >'}]",
            "id: a\ntasks: [{id: t, type: noop}, {id: u, type: noop, when: 'tasks.t.outputs.ok'}]"})
    void conditionsAreCheckedByTheParserAlone(String doc) throws IOException {
        assertThat(PipelineSpecParser.parse(doc).ok()).as("parser accepts").isFalse();
        assertThat(schema.validate(new YAMLMapper().readTree(doc))).as("schema").isEmpty();
    }
}
