package dev.drover.scheduler.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.drover.scheduler.pipeline.PipelineSpecParserTest.parsed;
import static dev.drover.scheduler.pipeline.PipelineSpecParserTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

/** Template references in task config are checked when the pipeline is parsed. */
class TemplateCheckTest {

    /** Task {@code use} depends on {@code train}, which depends on {@code prepare}; {@code other} is unrelated. */
    private static String pipeline(String command) {
        return """
                id: t
                parameters:
                  lr: {type: number, default: 0.1}
                  name: {}
                tasks:
                  - {id: prepare, type: noop}
                  - {id: train, type: noop, dependsOn: [prepare]}
                  - {id: other, type: noop}
                  - {id: data-prep, type: noop}
                  - id: use
                    type: shell
                    dependsOn: [train, data-prep]
                    command: %s
                """.formatted(command);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "'echo {{ params.lr }} {{ params.name }}'",
            "'echo {{ params[\"lr\"] }}'",
            "'echo {{ tasks.train.outputs.auc }}'",
            "'echo {{ tasks.prepare.outputs.path }}'",
            "'echo {{ tasks[\"data-prep\"].outputs.rows }}'",
            "\"echo {{ tasks['data-prep'].outputs.rows }}\"",
            "'echo {{ run.id }} {{ run.pipeline }} {{ attempt }}'",
            "'echo {{ params.name | upper }} {{ params.name | default(\"x\") }}'",
            "'echo {{ attempt > 1 ? \"retry\" : \"first\" }}'",
            "'echo {{ params.lr * 2 }} {{ \"params.nope\" }}'",
            "'echo {{ params.name is defined }} {{ params.name is not null }}'",
            "'{% for x in range(1, 3) %}{{ x }}{% endfor %}'",
            "'no templates at all'",
            "'echo {{ tasks.train.outputs[params.name] }}'",
            "\"docker inspect -f '{% verbatim %}{{ .State.Running }} {{ nope }}{% endverbatim %}' x\"",
            "'echo {# {{ nope }} #} {{ run.id }}'",
    })
    void validReferencesPass(String command) {
        assertThat(parsed(pipeline(command)).task("use")).isPresent();
    }

    @Test
    void undeclaredParameters() {
        assertThat(problems(pipeline("'echo {{ params.lr }} {{ params.epochs }}'"))).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/tasks/4/command");
            assertThat(p.message()).isEqualTo("`{{ params.epochs }}` uses parameter `epochs`, which is not declared; "
                    + "declare it under `parameters` or fix the name (declared: lr, name)");
        });
    }

    @Test
    void outputsOfTasksThatAreNotUpstream() {
        assertThat(problems(pipeline("'echo {{ tasks.other.outputs.x }}'"))).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("`{{ tasks.other.outputs.x }}` reads outputs of "
                        + "task `other`, which is not upstream of `use`, so its outputs may not exist yet; add `other`"
                        + " to dependsOn of `use` (directly or through another task)"));
    }

    @Test
    void outputsOfUnknownTasksAndOfTheTaskItself() {
        List<SpecProblem> problems = problems(pipeline(
                "['{{ tasks.ghost.outputs.x }}', '{{ tasks.use.outputs.x }}', '{{ tasks.train.result }}']"));

        assertThat(problems).extracting(SpecProblem::path)
                .containsExactly("/tasks/4/command/0", "/tasks/4/command/1", "/tasks/4/command/2");
        assertThat(problems.get(0).message()).contains("does not have; known tasks: prepare, train, other, "
                + "data-prep, use");
        assertThat(problems.get(1).message()).contains("itself");
        assertThat(problems.get(2).message()).contains("write tasks.train.outputs.NAME");
    }

    @Test
    void aHyphenatedTaskIdNeedsSubscriptSyntax() {
        assertThat(problems(pipeline("'{{ tasks.data-prep.outputs.rows }}'"))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("`-` means minus")
                        .contains("tasks['data-prep'].outputs.NAME"));
    }

    @Test
    void runAttemptAndUnknownRoots() {
        List<SpecProblem> problems = problems(pipeline(
                "['{{ run.owner }}', '{{ attempt.number }}', '{{ param.lr }}', '{{ env.HOME }}']"));

        assertThat(problems).hasSize(4);
        assertThat(problems.get(0).message()).contains("run has no `owner`; use run.id");
        assertThat(problems.get(1).message()).contains("write {{ attempt }}");
        assertThat(problems.get(2).message()).contains("unknown variable `param`; templates can use params, tasks, "
                + "run, attempt");
        assertThat(problems.get(3).message()).contains("unknown variable `env`");
    }

    @Test
    void templatesAreCheckedInEveryStringOfTheConfig() {
        List<SpecProblem> problems = problems("""
                id: t
                tasks:
                  - id: a
                    type: shell
                    command: echo
                    env: {MODEL: "{{ params.model }}"}
                    workingDir: "/runs/{{ run.nope }}"
                """);

        assertThat(problems).extracting(SpecProblem::path).containsExactly("/tasks/0/env/MODEL",
                "/tasks/0/workingDir");
    }

    @Test
    void syntaxErrorsAreReported() {
        assertThat(problems(pipeline("'echo {{ params.lr '"))).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/tasks/4/command");
            assertThat(p.message()).startsWith("template does not parse: ").contains("matching }}");
        });
    }

    @Test
    void severalExpressionsInOneStringAreAllChecked() {
        assertThat(problems(pipeline("'{{ params.a }} and {{ params.b }}'")))
                .extracting(SpecProblem::message)
                .anySatisfy(m -> assertThat(m).contains("`a`"))
                .anySatisfy(m -> assertThat(m).contains("`b`"));
    }
    @Test
    void secretsAreWholeExpressionsInValuesDroverDoesNotKeep() {
        assertThat(parsed(pipeline("'psql --password={{ secrets.db_password }} {{- secrets.other -}}'")).task("use"))
                .isPresent();
        List<SpecProblem> problems = problems(pipeline(
                "['{{ secrets.db | upper }}', '{{ secrets }}', '{% if secrets.db %}x{% endif %}', '{{ secrets.a.b }}']"));
        assertThat(problems).extracting(SpecProblem::path).containsExactly("/tasks/4/command/0",
                "/tasks/4/command/1", "/tasks/4/command/2", "/tasks/4/command/3");
        assertThat(problems).allSatisfy(p -> assertThat(p.message()).contains("whole expression"));

        assertThat(problems("""
                id: t
                tasks:
                  - id: child
                    type: trigger_pipeline
                    pipeline: other
                    parameters: {key: "{{ secrets.api_key }}"}
                """)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/tasks/0/parameters/key");
            assertThat(p.message()).contains("keeps no copy").contains("trigger_pipeline would store it");
        });
    }
}
