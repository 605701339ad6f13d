package dev.drover.scheduler.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class PipelineSpecParserTest {

    static final String FULL = """
            id: churn-model
            description: Retrain the churn model
            parameters:
              dataset: {type: string, default: s3://data/churn.csv, description: input data}
              epochs: {type: integer, default: 10}
              lr: {type: number, default: 0.01}
              dryRun: {type: boolean, default: false}
              owner: {}
            defaults:
              retries: {count: 2, initialDelay: 10s, backoff: 3, maxDelay: 10m, jitter: 0.2}
              timeout: 30m
              queue: cpu
            tasks:
              - id: prepare
                type: shell
                command: python prepare.py --in {{ params.dataset }}
                env: {STAGE: prepare}
                workingDir: /srv/churn
              - id: train
                type: shell
                dependsOn: [prepare]
                command: [python, train.py, "--epochs={{ params.epochs }}", "--lr={{ params.lr }}"]
                retries: 5
                timeout: 2h
                queue: gpu
              - id: evaluate
                type: shell
                dependsOn: [train]
                command: "python eval.py --model {{ tasks.train.outputs.model }} --run {{ run.id }}"
                retries: 0
              - id: done
                type: noop
                dependsOn: [evaluate, prepare]
            """;

    @Test
    void readsAFullDocumentAndAppliesDefaults() {
        PipelineSpec spec = parsed(FULL);

        assertThat(spec.id()).isEqualTo("churn-model");
        assertThat(spec.description()).isEqualTo("Retrain the churn model");
        assertThat(spec.parameters()).containsOnlyKeys("dataset", "epochs", "lr", "dryRun", "owner");
        assertThat(spec.parameters().keySet()).containsExactly("dataset", "epochs", "lr", "dryRun", "owner");
        assertThat(spec.parameters().get("dataset"))
                .isEqualTo(new ParameterSpec(ParameterType.STRING, "s3://data/churn.csv", "input data"));
        assertThat(spec.parameters().get("epochs").defaultValue()).isEqualTo(10L);
        assertThat(spec.parameters().get("lr").defaultValue()).isEqualTo(0.01);
        assertThat(spec.parameters().get("dryRun").defaultValue()).isEqualTo(false);
        assertThat(spec.parameters().get("owner")).isEqualTo(new ParameterSpec(ParameterType.STRING, null, ""));
        assertThat(spec.parameters().get("owner").required()).isTrue();

        TaskSpec prepare = spec.task("prepare").orElseThrow();
        assertThat(prepare.type()).isEqualTo("shell");
        assertThat(prepare.dependsOn()).isEmpty();
        assertThat(prepare.config()).containsExactly(
                Map.entry("command", "python prepare.py --in {{ params.dataset }}"),
                Map.entry("env", Map.of("STAGE", "prepare")),
                Map.entry("workingDir", "/srv/churn"));
        assertThat(prepare.retry()).isEqualTo(new RetryPolicy(2, Duration.ofSeconds(10), 3.0,
                Duration.ofMinutes(10), 0.2));
        assertThat(prepare.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(prepare.queue()).isEqualTo("cpu");

        TaskSpec train = spec.task("train").orElseThrow();
        assertThat(train.config().get("command"))
                .isEqualTo(List.of("python", "train.py", "--epochs={{ params.epochs }}", "--lr={{ params.lr }}"));
        assertThat(train.retry()).isEqualTo(new RetryPolicy(5, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5),
                0.1));
        assertThat(train.timeout()).isEqualTo(Duration.ofHours(2));
        assertThat(train.queue()).isEqualTo("gpu");

        assertThat(spec.task("evaluate").orElseThrow().retry()).isEqualTo(RetryPolicy.NONE);
        TaskSpec done = spec.task("done").orElseThrow();
        assertThat(done.type()).isEqualTo("noop");
        assertThat(done.dependsOn()).containsExactly("evaluate", "prepare");
        assertThat(done.config()).isEmpty();
    }

    @Test
    void withoutDefaultsATaskGetsOneHourTheDefaultQueueAndNoRetries() {
        PipelineSpec spec = parsed("""
                id: minimal
                tasks:
                  - {id: a, type: noop}
                """);

        assertThat(spec.description()).isEmpty();
        assertThat(spec.parameters()).isEmpty();
        TaskSpec a = spec.tasks().get(0);
        assertThat(a.timeout()).isEqualTo(Duration.ofHours(1));
        assertThat(a.queue()).isEqualTo("default");
        assertThat(a.retry()).isEqualTo(RetryPolicy.NONE);
    }

    @Test
    void aParameterTypeDefaultsToStringAndIntegralDefaultsAreLongs() {
        PipelineSpec spec = parsed("""
                id: p
                parameters:
                  name: {default: x}
                  n: {type: integer, default: 3.0}
                  ratio: {type: number, default: 1}
                tasks: [{id: a, type: noop}]
                """);

        assertThat(spec.parameters().get("name").type()).isEqualTo(ParameterType.STRING);
        assertThat(spec.parameters().get("n").defaultValue()).isEqualTo(3L);
        assertThat(spec.parameters().get("ratio").defaultValue()).isEqualTo(1.0);
    }

    @Test
    void theShortRetryFormMeansACountWithDefaultDelays() {
        PipelineSpec spec = parsed("""
                id: r
                defaults: {retries: 3}
                tasks:
                  - {id: a, type: noop}
                  - {id: b, type: noop, retries: {count: 1, backoff: 1}}
                """);

        assertThat(spec.tasks().get(0).retry()).isEqualTo(new RetryPolicy(3, Duration.ofSeconds(1), 2.0,
                Duration.ofMinutes(5), 0.1));
        assertThat(spec.tasks().get(1).retry()).isEqualTo(new RetryPolicy(1, Duration.ofSeconds(1), 1.0,
                Duration.ofMinutes(5), 0.1));
        assertThat(spec.tasks().get(0).retry().maxAttempts()).isEqualTo(4);
    }

    @Test
    void jsonIsAcceptedToo() {
        PipelineSpec spec = parsed("""
                {"id": "j", "tasks": [{"id": "a", "type": "shell", "command": ["echo", "hi"], "timeout": "PT90S"}]}
                """);

        assertThat(spec.tasks().get(0).timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(spec.tasks().get(0).config()).containsEntry("command", List.of("echo", "hi"));
    }

    // ---- document-level problems ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "   \n", "# only a comment\n"})
    void anEmptyDocumentIsOneProblem(String text) {
        assertThat(problems(text)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/");
            assertThat(p.message()).contains("empty").contains("id").contains("tasks");
        });
    }

    @Test
    void brokenSyntaxSaysWhere() {
        assertThat(problems("id: x\ntasks: [\n  {id: a\n")).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/");
            assertThat(p.message()).contains("not valid YAML or JSON").contains("line");
        });
    }

    @Test
    void duplicateKeysAreReportedWhereTheyAre() {
        assertThat(problems("id: x\ntasks:\n  - id: a\n    type: noop\n    type: shell\n")).singleElement()
                .satisfies(p -> {
                    assertThat(p.path()).isEqualTo("/tasks/0/type");
                    assertThat(p.message()).contains("duplicate key 'type'").contains("line 5").contains("keep only");
                });
    }

    @Test
    void yamlAliasesAreRefusedRatherThanMisread() {
        assertThat(problems("""
                id: x
                tasks:
                  - {id: a, type: shell, command: x, env: &common {A: b}}
                  - {id: b, type: shell, command: x, env: *common}
                """)).singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("/tasks/1/env");
                    assertThat(p.message()).contains("aliases (*common) are not supported");
                });
    }

    @Test
    void unquotedYesIsABooleanInYaml() {
        assertThat(problems("id: x\nparameters: {s: {default: yes}}\ntasks: [{id: a, type: noop}]\n"))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("quote it; YAML reads unquoted yes"));
    }

    @Test
    void oneDocumentPerText() {
        assertThat(problems("id: a\ntasks: [{id: a, type: noop}]\n---\nid: b\ntasks: [{id: a, type: noop}]\n"))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("more than one YAML document"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1, 2]", "just text", "42"})
    void theDocumentMustBeAMapping(String text) {
        assertThat(problems(text)).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/");
            assertThat(p.message()).contains("must be a mapping");
        });
    }

    @Test
    void idAndTasksAreRequired() {
        assertThat(problems("description: nothing else\n")).extracting(SpecProblem::path, SpecProblem::message)
                .containsExactly(
                        tuple("/", "`id` is required: name the pipeline with lowercase letters, digits, _ and -, "
                                + "e.g. id: churn-model"),
                        tuple("/", "`tasks` is required: list the pipeline's tasks, e.g. tasks: [{id: hello, type: "
                                + "shell, command: echo hello}]"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Churn", "churn.model", "-churn", "_x", "a b",
            "a1234567890123456789012345678901234567890123456789012345678901234"})
    void invalidPipelineIds(String id) {
        assertThat(problems("id: \"" + id + "\"\ntasks: [{id: a, type: noop}]\n")).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/id");
            assertThat(p.message()).contains("not a valid pipeline id").contains("lowercase").contains("no dots");
        });
    }

    @Test
    void anInvalidIdGetsAFixedSuggestion() {
        assertThat(problems("id: Churn.Model\ntasks: [{id: a, type: noop}]\n").get(0).message())
                .endsWith("e.g. churn-model");
    }

    @Test
    void theLongestValidIdIs63Characters() {
        String id = "a".repeat(63);
        assertThat(parsed("id: " + id + "\ntasks: [{id: a, type: noop}]\n").id()).isEqualTo(id);
    }

    @Test
    void scalarsOfTheWrongKindSayToQuote() {
        assertThat(problems("id: 2024\ntasks: [{id: 7, type: noop}]\n"))
                .extracting(SpecProblem::path).containsExactly("/id", "/tasks/0/id");
        assertThat(problems("id: 2024\ntasks: [{id: a, type: noop}]\n").get(0).message())
                .contains("must be a string").contains("\"2024\"");
    }

    @Test
    void unknownKeysNameTheAllowedOnesAndSuggestTheClosest() {
        List<SpecProblem> problems = problems("""
                id: x
                descripton: typo
                tasks:
                  - id: a
                    type: shell
                    command: echo
                    depends_on: [b]
                    comand: oops
                  - id: b
                    type: noop
                    command: echo
                """);

        assertThat(problems).extracting(SpecProblem::path)
                .containsExactly("/descripton", "/tasks/0/depends_on", "/tasks/0/comand", "/tasks/1/command");
        assertThat(problems.get(0).message()).isEqualTo("unknown key `descripton`; did you mean `description`?; a "
                + "pipeline allows: id, description, parameters, defaults, tasks, triggers, deadline, maxActiveTasks, "
                + "schedule, maxActiveRuns");
        assertThat(problems.get(1).message()).contains("did you mean `dependsOn`?")
                .contains("a shell task allows: id, type, dependsOn, retries, timeout, startTimeout, queue, "
                        + "triggerRule, when, outlets, mapOver, deadline, pool, priority, command, env, workingDir");
        assertThat(problems.get(2).message()).contains("did you mean `command`?");
        assertThat(problems.get(3).message()).contains("a noop task allows: id, type, dependsOn, retries, timeout, "
                + "startTimeout, queue, triggerRule, when, outlets");
    }

    // ---- parameters ---------------------------------------------------------------------------------------------

    @Test
    void parameterProblems() {
        List<SpecProblem> problems = problems("""
                id: x
                parameters:
                  1st: {}
                  kind: {type: float}
                  n: {type: integer, default: 2.5}
                  flag: {type: boolean, default: "yes"}
                  label: {default: 3}
                  ratio: {type: number, default: high}
                  empty: {type: integer, default: null}
                  loose: 3
                  extra: {type: string, required: true}
                  notes: {description: 7}
                tasks: [{id: a, type: noop}]
                """);

        assertThat(problems).extracting(SpecProblem::path).containsExactly(
                "/parameters/1st",
                "/parameters/kind/type",
                "/parameters/n/default",
                "/parameters/flag/default",
                "/parameters/label/default",
                "/parameters/ratio/default",
                "/parameters/empty/default",
                "/parameters/loose",
                "/parameters/extra/required",
                "/parameters/notes/description");
        assertThat(problems.get(0).message()).contains("not a valid parameter name");
        assertThat(problems.get(1).message()).contains("string, integer, number, boolean");
        assertThat(problems.get(2).message()).contains("must be an integer")
                .contains("a whole number");
        assertThat(problems.get(3).message()).contains("true or false");
        assertThat(problems.get(4).message()).contains("quote it: \"3\"");
        assertThat(problems.get(5).message()).contains("e.g. 0.01");
        assertThat(problems.get(6).message()).contains("remove `default` to make the parameter required");
        assertThat(problems.get(7).message()).contains("declare a parameter as a mapping");
        assertThat(problems.get(8).message()).contains("a parameter allows: type, default, description");
    }

    @Test
    void parametersMustBeAMapping() {
        assertThat(problems("id: x\nparameters: [a, b]\ntasks: [{id: a, type: noop}]\n")).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("/parameters"));
    }

    // ---- defaults, retries, durations, queues ------------------------------------------------------------------

    @Test
    void defaultsProblems() {
        List<SpecProblem> problems = problems("""
                id: x
                defaults:
                  retries: lots
                  timeout: 0s
                  queue: GPU
                  concurrency: 3
                tasks: [{id: a, type: noop}]
                """);

        assertThat(problems).extracting(SpecProblem::path).containsExactly(
                "/defaults/concurrency", "/defaults/retries", "/defaults/timeout", "/defaults/queue");
        assertThat(problems.get(0).message()).contains("defaults allows: retries, timeout, startTimeout, queue");
        assertThat(problems.get(1).message()).contains("retries: 3").contains("count: 3");
        assertThat(problems.get(2).message()).contains("longer than zero");
        assertThat(problems.get(3).message()).contains("lowercase");
    }

    @Test
    void retryProblems() {
        List<SpecProblem> problems = problems("""
                id: x
                tasks:
                  - {id: a, type: noop, retries: -1}
                  - {id: b, type: noop, retries: 2.5}
                  - {id: c, type: noop, retries: {initialDelay: 5s}}
                  - {id: d, type: noop, retries: {count: 1001}}
                  - {id: e, type: noop, retries: {count: 1, backoff: 0.5, jitter: 2, initialDelay: soon,
                                                  maxDelay: -1s, factor: 2}}
                  - {id: f, type: noop, retries: {count: 1, initialDelay: 0s, maxDelay: 0s, backoff: 1, jitter: 0}}
                """);

        assertThat(problems).extracting(SpecProblem::path).containsExactly(
                "/tasks/0/retries",
                "/tasks/1/retries",
                "/tasks/2/retries",
                "/tasks/3/retries/count",
                "/tasks/4/retries/factor",
                "/tasks/4/retries/initialDelay",
                "/tasks/4/retries/backoff",
                "/tasks/4/retries/maxDelay",
                "/tasks/4/retries/jitter");
        assertThat(problems.get(0).message()).contains("from 0 to 1000");
        assertThat(problems.get(2).message()).contains("needs `count`");
        assertThat(problems.get(4).message()).contains("retries allows: count, initialDelay, backoff, maxDelay, "
                + "jitter");
        assertThat(problems.get(6).message()).contains("at least 1");
        assertThat(problems.get(7).message()).contains("negative");
        assertThat(problems.get(8).message()).contains("from 0 to 1");
    }

    @Test
    void durationProblemsSayHowToWriteOne() {
        List<SpecProblem> problems = problems("""
                id: x
                tasks:
                  - {id: a, type: noop, timeout: 30}
                  - {id: b, type: noop, timeout: 1.5h}
                  - {id: c, type: noop, timeout: PT0S}
                  - {id: d, type: noop, timeout: 1m30s}
                """);

        assertThat(problems).extracting(SpecProblem::path, SpecProblem::message).containsExactly(
                tuple("/tasks/0/timeout", "expected a duration, got a number (30); durations need a unit, e.g. 30s"),
                tuple("/tasks/1/timeout", "`1.5h` is not a duration; " + Durations.HELP),
                tuple("/tasks/2/timeout", "a timeout must be longer than zero, e.g. 30m"));
    }

    @Test
    void aStartTimeoutIsTheTasksElseTheDefaultsElseLeftToTheScheduler() {
        PipelineSpec withDefault = parsed("""
                id: x
                defaults: {startTimeout: 20m}
                tasks:
                  - {id: a, type: noop, startTimeout: 2m}
                  - {id: b, type: noop}
                """);
        PipelineSpec without = parsed("id: x\ntasks: [{id: a, type: noop, startTimeout: PT90S}, {id: b, type: noop}]\n");

        assertThat(withDefault.tasks()).extracting(TaskSpec::startTimeout)
                .containsExactly(Duration.ofMinutes(2), Duration.ofMinutes(20));
        // null: the scheduler's drover.scheduler.start-timeout applies when the attempt is dispatched
        assertThat(without.tasks()).extracting(TaskSpec::startTimeout).containsExactly(Duration.ofSeconds(90), null);
    }

    @Test
    void startTimeoutProblemsSayHowToWriteOne() {
        List<SpecProblem> problems = problems("""
                id: x
                defaults: {startTimeout: soon}
                tasks:
                  - {id: a, type: noop, startTimeout: 10}
                  - {id: b, type: noop, startTimeout: 0s}
                """);

        assertThat(problems).extracting(SpecProblem::path, SpecProblem::message).containsExactly(
                tuple("/defaults/startTimeout", "`soon` is not a duration; " + Durations.HELP),
                tuple("/tasks/0/startTimeout", "expected a duration, got a number (10); durations need a unit, e.g. "
                        + "10s"),
                tuple("/tasks/1/startTimeout", "a timeout must be longer than zero, e.g. 30m"));
    }

    @Test
    void queueNames() {
        assertThat(problems("id: x\ntasks: [{id: a, type: noop, queue: My Queue}]\n")).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("/tasks/0/queue"));
        assertThat(parsed("id: x\ntasks: [{id: a, type: noop, queue: gpu-a100_2}]\n").tasks().get(0).queue())
                .isEqualTo("gpu-a100_2");
    }

    // ---- tasks ---------------------------------------------------------------------------------------------------

    @Test
    void tasksMustBeANonEmptyListOfMappings() {
        assertThat(problems("id: x\ntasks: []\n")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("at least one task"));
        assertThat(problems("id: x\ntasks: {a: {type: noop}}\n")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("must be a list"));
        assertThat(problems("id: x\ntasks: [a, {id: b, type: noop}]\n")).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("/tasks/0"));
    }

    @Test
    void taskIdAndTypeAreRequired() {
        List<SpecProblem> problems = problems("""
                id: x
                tasks:
                  - {type: noop}
                  - {id: b}
                  - {id: "c d", type: noop}
                """);

        assertThat(problems).extracting(SpecProblem::path).containsExactly("/tasks/0", "/tasks/1", "/tasks/2/id");
        assertThat(problems.get(0).message()).contains("no `id`");
        assertThat(problems.get(1).message()).contains("task `b` has no `type`; known types: noop, shell");
        assertThat(problems.get(2).message()).contains("not a valid task id").contains("e.g. c-d");
    }

    @Test
    void unknownTaskTypesListTheKnownOnes() {
        assertThat(problems("id: x\ntasks: [{id: a, type: shel, command: x}]\n")).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/tasks/0/type");
            assertThat(p.message()).contains("unknown task type").contains("known types: noop, shell")
                    .contains("did you mean `shell`?");
        });
    }

    @Test
    void shellTaskKeys() {
        List<SpecProblem> problems = problems("""
                id: x
                tasks:
                  - {id: a, type: shell}
                  - {id: b, type: shell, command: "  "}
                  - {id: c, type: shell, command: []}
                  - {id: d, type: shell, command: [python, 3, " "]}
                  - {id: e, type: shell, command: {run: x}}
                  - {id: f, type: shell, command: x, env: {PORT: 8080, "1X": a, DROVER_RUN_ID: y}}
                  - {id: g, type: shell, command: x, env: [A=1]}
                  - {id: h, type: shell, command: x, workingDir: 5}
                  - {id: i, type: shell, command: x, workingDir: ""}
                  - {id: j, type: shell, command: ["", x]}
                  - {id: k, type: shell, command: x, env: {EMPTY: null}}
                """);

        assertThat(problems).extracting(SpecProblem::path).containsExactly(
                "/tasks/0",
                "/tasks/1/command",
                "/tasks/2/command",
                "/tasks/3/command/1",
                "/tasks/4/command",
                "/tasks/5/env/PORT",
                "/tasks/5/env/1X",
                "/tasks/5/env/DROVER_RUN_ID",
                "/tasks/6/env",
                "/tasks/7/workingDir",
                "/tasks/8/workingDir",
                "/tasks/9/command/0",
                "/tasks/10/env/EMPTY");
        assertThat(problems.get(0).message()).contains("needs `command`").contains("/bin/sh -c");
        assertThat(problems.get(3).message()).contains("quote it, e.g. \"3\"");
        assertThat(problems.get(5).message()).contains("must be strings").contains("PORT: \"8080\"");
        assertThat(problems.get(7).message()).contains("reserved");
    }

    @Test
    void aListCommandMayHaveEmptyArguments() {
        assertThat(parsed("id: x\ntasks: [{id: a, type: shell, command: [printf, \"\"]}]\n").tasks().get(0)
                .config().get("command")).isEqualTo(List.of("printf", ""));
    }

    // ---- the task graph ----------------------------------------------------------------------------------------

    @Test
    void graphProblems() {
        List<SpecProblem> problems = problems("""
                id: x
                tasks:
                  - {id: a, type: noop}
                  - {id: b, type: noop, dependsOn: [a, b, c, a]}
                  - {id: a, type: noop}
                  - {id: d, type: noop, dependsOn: prepare}
                  - {id: e, type: noop, dependsOn: [7]}
                """);

        assertThat(problems).extracting(SpecProblem::path, SpecProblem::message).containsExactly(
                tuple("/tasks/3/dependsOn", "dependsOn must be a list of task ids, e.g. dependsOn: [prepare], got "
                        + "a string (\"prepare\"); write dependsOn: [prepare]"),
                tuple("/tasks/4/dependsOn/0", "dependsOn entries must be task ids (strings), got a number (7)"),
                tuple("/tasks/2/id", "duplicate task id `a`, already used by /tasks/0; task ids must be unique "
                        + "within a pipeline, rename one of them"),
                tuple("/tasks/1/dependsOn/1", "task `b` depends on itself; remove `b` from its dependsOn"),
                tuple("/tasks/1/dependsOn/2", "unknown task `c` in dependsOn; known tasks: a, b, d, e"),
                tuple("/tasks/1/dependsOn/3", "`a` is listed twice in dependsOn; remove one"));
    }

    @Test
    void unknownDependenciesSuggestTheClosestTask() {
        assertThat(problems("id: x\ntasks: [{id: train, type: noop}, {id: b, type: noop, dependsOn: [trian]}]\n"))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("did you mean `train`?"));
    }

    @Test
    void cyclesAreNamed() {
        List<SpecProblem> problems = problems("""
                id: x
                tasks:
                  - {id: start, type: noop}
                  - {id: a, type: noop, dependsOn: [start, b]}
                  - {id: b, type: noop, dependsOn: [c]}
                  - {id: c, type: noop, dependsOn: [a]}
                  - {id: p, type: noop, dependsOn: [q]}
                  - {id: q, type: noop, dependsOn: [p]}
                """);

        assertThat(problems).extracting(SpecProblem::path, SpecProblem::message).containsExactly(
                tuple("/tasks/1/dependsOn/1", "dependency cycle a -> b -> c -> a (each task depends on the next), "
                        + "so none of them could ever start; remove one of these dependencies"),
                tuple("/tasks/4/dependsOn/0", "dependency cycle p -> q -> p (each task depends on the next), so none "
                        + "of them could ever start; remove one of these dependencies"));
    }

    @Test
    void aComponentWithSeveralCyclesIsReportedOnceWithItsShortestCycle() {
        List<SpecProblem> problems = problems("""
                id: x
                tasks:
                  - {id: a, type: noop, dependsOn: [b]}
                  - {id: b, type: noop, dependsOn: [c, a]}
                  - {id: c, type: noop, dependsOn: [a]}
                """);

        assertThat(problems).singleElement().satisfies(p -> assertThat(p.message()).contains("a -> b -> a"));
    }

    @Test
    void longChainsDoNotOverflowTheStack() {
        StringBuilder doc = new StringBuilder("id: x\ntasks:\n  - {id: t0, type: noop, dependsOn: [t1999]}\n");
        for (int i = 1; i < PipelineSpecParser.MAX_TASKS; i++) {
            doc.append("  - {id: t").append(i).append(", type: noop, dependsOn: [t").append(i - 1).append("]}\n");
        }
        assertThat(problems(doc.toString())).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("dependency cycle t0 -> t1999 -> t1998")
                        .contains("... (1981 more) -> ").contains("t2 -> t1 -> t0 (each task"));
    }

    @Test
    void aPipelineHasAtMostTheDocumentedTasksAndSize() {
        StringBuilder doc = new StringBuilder("id: x\ntasks:\n");
        for (int i = 0; i <= PipelineSpecParser.MAX_TASKS; i++) {
            doc.append("  - {id: t").append(i).append(", type: noop}\n");
        }
        assertThat(problems(doc.toString())).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/tasks");
            assertThat(p.message()).contains("2001 tasks").contains("at most 2000").contains("mapOver");
        });
        String huge = "id: x\ndescription: " + "a".repeat(PipelineSpecParser.MAX_SPEC_CHARS) + "\ntasks: [{id: a, type: noop}]";
        assertThat(problems(huge)).singleElement().satisfies(p -> assertThat(p.message()).contains("at most 524288"));
    }

    @Test
    void textThatBreaksTheInputRulesIsRefusedWhereItIs() {
        // a YAML escape is how a NUL gets past the body's own check
        assertThat(problems("id: x\ndescription: \"a\\0b\"\ntasks: [{id: a, type: shell, command: \"echo \\ud800\"}]"))
                .singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("/description");
                    assertThat(p.message()).contains("U+0000");
                });
    }

    @Test
    void aDiamondIsNotACycle() {
        PipelineSpec spec = parsed("""
                id: x
                tasks:
                  - {id: a, type: noop}
                  - {id: b, type: noop, dependsOn: [a]}
                  - {id: c, type: noop, dependsOn: [a]}
                  - {id: d, type: noop, dependsOn: [b, c]}
                """);
        assertThat(spec.tasks()).hasSize(4);
    }

    // ---- everything at once ------------------------------------------------------------------------------------

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        List<SpecProblem> problems = problems("""
                id: Bad.Id
                colour: blue
                parameters:
                  n: {type: integer, default: many}
                defaults: {timeout: forever}
                tasks:
                  - id: a
                    type: shell
                    command: echo {{ params.missing }}
                    retries: {count: -2}
                  - id: a
                    type: noop
                  - id: b
                    type: docker
                    dependsOn: [ghost, b]
                  - id: c
                    type: shell
                    command: [run, "{{ tasks.d.outputs.x }}"]
                    dependsOn: [d]
                  - id: d
                    type: noop
                    dependsOn: [c]
                """);

        assertThat(problems).extracting(SpecProblem::path).containsExactly(
                "/colour",
                "/id",
                "/parameters/n/default",
                "/defaults/timeout",
                "/tasks/0/retries/count",
                "/tasks/2/type",
                "/tasks/1/id",
                "/tasks/2/dependsOn/0",
                "/tasks/2/dependsOn/1",
                "/tasks/3/dependsOn/0",
                "/tasks/0/command");
        assertThat(problems).allSatisfy(p -> assertThat(p.message()).isNotBlank());
    }

    @Test
    void anInvalidResultHasNoSpec() {
        ParseResult result = PipelineSpecParser.parse("id: x\n");
        assertThat(result.ok()).isFalse();
        assertThat(result).isInstanceOf(ParseResult.Invalid.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(result::spec).isInstanceOf(IllegalStateException.class);
    }

    static PipelineSpec parsed(String yaml) {
        ParseResult result = PipelineSpecParser.parse(yaml);
        assertThat(result.problems()).as("problems").isEmpty();
        assertThat(result.ok()).isTrue();
        assertThat(result.hash()).matches("[0-9a-f]{64}");
        return result.spec();
    }

    static List<SpecProblem> problems(String yaml) {
        ParseResult result = PipelineSpecParser.parse(yaml);
        assertThat(result.ok()).as("expected problems").isFalse();
        assertThat(result.problems()).isNotEmpty();
        return result.problems();
    }
}
