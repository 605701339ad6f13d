package dev.drover.scheduler.pipeline;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.drover.scheduler.pipeline.PipelineSpecParserTest.FULL;
import static dev.drover.scheduler.pipeline.PipelineSpecParserTest.parsed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineSpecsTest {

    @Test
    void jsonRoundTripsExactly() {
        PipelineSpec spec = parsed(FULL);

        PipelineSpec back = PipelineSpecs.fromJson(PipelineSpecs.toJson(spec));

        assertThat(back).isEqualTo(spec);
        // Equality ignores map order; replay must also iterate like the live spec did.
        assertThat(back.parameters().keySet()).containsExactlyElementsOf(spec.parameters().keySet());
        assertThat(back.tasks().get(0).config().keySet())
                .containsExactlyElementsOf(spec.tasks().get(0).config().keySet());
        assertThat(PipelineSpecs.toJson(back)).isEqualTo(PipelineSpecs.toJson(spec));
    }

    @Test
    void numbersComeBackAsLongAndDouble() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("n", 3L);
        config.put("x", 2.0);
        config.put("big", Long.MAX_VALUE);
        config.put("nested", List.of(Map.of("k", 1L), 0.5, true, "s"));
        PipelineSpec spec = new PipelineSpec("p", "", Map.of(
                "i", new ParameterSpec(ParameterType.INTEGER, 7L, ""),
                "d", new ParameterSpec(ParameterType.NUMBER, 1.0, "one"),
                "b", new ParameterSpec(ParameterType.BOOLEAN, true, ""),
                "s", new ParameterSpec(ParameterType.STRING, null, "required")),
                List.of(new TaskSpec("a", "custom", List.of(), config, RetryPolicy.NONE, Duration.ofMillis(1500), "q")));

        PipelineSpec back = PipelineSpecs.fromJson(PipelineSpecs.toJson(spec));

        assertThat(back).isEqualTo(spec);
        assertThat(back.tasks().get(0).config().get("n")).isInstanceOf(Long.class);
        assertThat(back.tasks().get(0).config().get("x")).isInstanceOf(Double.class);
        assertThat(((List<?>) back.tasks().get(0).config().get("nested")).get(0))
                .isEqualTo(Map.of("k", 1L));
        assertThat(back.parameters().get("i").defaultValue()).isEqualTo(7L);
        assertThat(back.parameters().get("d").defaultValue()).isEqualTo(1.0);
    }

    @Test
    void theJsonIsTheUserFormatWithEveryDefaultSpelledOut() {
        PipelineSpec spec = parsed("id: x\ntasks: [{id: a, type: shell, command: echo hi, timeout: 90s}]\n");

        assertThat(PipelineSpecs.toJson(spec)).isEqualTo("{\"id\":\"x\",\"description\":\"\",\"parameters\":{},"
                + "\"tasks\":[{\"id\":\"a\",\"type\":\"shell\",\"dependsOn\":[],\"retries\":{\"count\":0,"
                + "\"initialDelay\":\"0s\",\"backoff\":1.0,\"maxDelay\":\"0s\",\"jitter\":0.0},\"timeout\":\"1m30s\","
                + "\"queue\":\"default\",\"command\":\"echo hi\"}]}");
    }

    @Test
    void aStartTimeoutIsStoredOnlyWhenTheTaskHasOne() {
        PipelineSpec spec = parsed("id: x\ntasks: [{id: a, type: noop, startTimeout: 90s}, {id: b, type: noop}]\n");

        String json = PipelineSpecs.toJson(spec);

        assertThat(json).contains("\"timeout\":\"1h\",\"queue\":\"default\",\"startTimeout\":\"1m30s\"}")
                .containsOnlyOnce("startTimeout");
        PipelineSpec back = PipelineSpecs.fromJson(json);
        assertThat(back).isEqualTo(spec);
        assertThat(back.tasks()).extracting(TaskSpec::startTimeout).containsExactly(Duration.ofSeconds(90), null);
    }

    @Test
    void theJsonIsAValidPipelineDocumentThatParsesToTheSameSpec() {
        PipelineSpec spec = parsed(FULL);

        ParseResult again = PipelineSpecParser.parse(PipelineSpecs.toJson(spec));

        assertThat(again.problems()).isEmpty();
        assertThat(again.spec()).isEqualTo(spec);
        assertThat(again.hash()).isEqualTo(PipelineSpecs.hash(spec));
    }

    @Test
    void malformedStoredJsonIsAnUnexpectedError() {
        assertThatThrownBy(() -> PipelineSpecs.fromJson("{\"id\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> PipelineSpecs.fromJson("not json"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- hash ----------------------------------------------------------------------------------------------------

    @Test
    void reformattingAndReorderingKeysKeepTheHash() {
        String reformatted = """
                {
                  "tasks": [
                    {"type": "shell", "id": "prepare", "workingDir": "/srv/churn", "env": {"STAGE": "prepare"},
                     "command": "python prepare.py --in {{ params.dataset }}"},
                    {"dependsOn": ["prepare"], "id": "train", "type": "shell", "queue": "gpu", "timeout": "PT2H",
                     "retries": {"count": 5},
                     "command": ["python", "train.py", "--epochs={{ params.epochs }}", "--lr={{ params.lr }}"]},
                    {"id": "evaluate", "type": "shell", "dependsOn": ["train"], "retries": {"count": 0, "jitter": 1},
                     "command": "python eval.py --model {{ tasks.train.outputs.model }} --run {{ run.id }}"},
                    {"id": "done", "type": "noop", "dependsOn": ["evaluate", "prepare"]}
                  ],
                  "parameters": {
                    "owner": {"type": "string"},
                    "dryRun": {"default": false, "type": "boolean"},
                    "lr": {"type": "number", "default": 1.0e-2},
                    "epochs": {"default": 10, "type": "integer"},
                    "dataset": {"description": "input data", "type": "string", "default": "s3://data/churn.csv"}
                  },
                  "defaults": {"queue": "cpu", "timeout": "30m",
                               "retries": {"count": 2, "initialDelay": "10s", "backoff": 3.0, "maxDelay": "10m",
                                           "jitter": 0.2}},
                  "description": "Retrain the churn model",
                  "id": "churn-model"
                }
                """;

        assertThat(PipelineSpecParser.parse(reformatted).hash()).isEqualTo(PipelineSpecParser.parse(FULL).hash());
    }

    @Test
    void spellingOutADefaultKeepsTheHash() {
        String plain = PipelineSpecParser.parse("id: x\ntasks: [{id: a, type: noop}]\n").hash();

        assertThat(PipelineSpecParser.parse("id: x\ndescription: ''\nparameters: {}\ntasks: [{id: a, type: noop, "
                + "dependsOn: [], queue: default, timeout: 60m, retries: 0}]\n").hash()).isEqualTo(plain);
    }

    @Test
    void anyValueChangeChangesTheHash() {
        String base = PipelineSpecParser.parse(FULL).hash();
        List<String> variants = new ArrayList<>(List.of(
                FULL.replace("Retrain the churn model", "Retrain the churn model!"),
                FULL.replace("default: 10}", "default: 11}"),
                FULL.replace("default: 0.01", "default: 0.02"),
                FULL.replace("default: false", "default: true"),
                FULL.replace("timeout: 30m", "timeout: 31m"),
                FULL.replace("queue: cpu", "queue: cpu2"),
                FULL.replace("queue: cpu", "queue: cpu\n  startTimeout: 30m"),
                FULL.replace("queue: gpu", "queue: gpu\n    startTimeout: 30m"),
                FULL.replace("retries: 5", "retries: 6"),
                FULL.replace("backoff: 3", "backoff: 4"),
                FULL.replace("STAGE: prepare", "STAGE: prep"),
                FULL.replace("dependsOn: [evaluate, prepare]", "dependsOn: [prepare, evaluate]"),
                FULL.replace("owner: {}", "owner: {description: who}"),
                FULL.replace("id: churn-model", "id: churn-model2")));

        for (String variant : variants) {
            ParseResult result = PipelineSpecParser.parse(variant);
            assertThat(result.problems()).isEmpty();
            assertThat(result.hash()).as(variant).isNotEqualTo(base);
        }
        assertThat(variants.stream().map(v -> PipelineSpecParser.parse(v).hash()).distinct()).hasSize(variants.size());
    }

    @Test
    void theHashIsOfTheCanonicalJson() {
        PipelineSpec spec = parsed("id: x\ntasks: [{id: a, type: noop}]\n");

        assertThat(PipelineSpecs.canonicalJson(spec)).isEqualTo("{\"description\":\"\",\"id\":\"x\",\"parameters\""
                + ":{},\"tasks\":[{\"dependsOn\":[],\"id\":\"a\",\"queue\":\"default\",\"retries\":{\"backoff\":1.0,"
                + "\"count\":0,\"initialDelay\":\"0s\",\"jitter\":0.0,\"maxDelay\":\"0s\"},\"timeout\":\"1h\","
                + "\"type\":\"noop\"}]}");
        // Pinned: if this changes, re-registering an unchanged document would look like a new revision.
        assertThat(PipelineSpecs.hash(spec))
                .isEqualTo("745da0d65eebc4909a64ca0a4125cb16bba57bd8f55ea025b32919532e70c4f1");
    }

    @Test
    void driftTriggersAreStoredReadBackAndPartOfTheHash() {
        String doc = "id: x\ntasks: [{id: a, type: noop}]\ntriggers: [{drift: {model: churn}}, {drift: {model: fraud}}]\n";
        PipelineSpec spec = parsed(doc);

        assertThat(spec.triggers()).containsExactly(new Trigger.Drift("churn"), new Trigger.Drift("fraud"));
        assertThat(spec.triggeredByDriftOf("churn")).isTrue();
        assertThat(spec.triggeredByDriftOf("churn2")).isFalse();
        PipelineSpec back = PipelineSpecs.fromJson(PipelineSpecs.toJson(spec));
        assertThat(back).isEqualTo(spec);
        assertThat(PipelineSpecParser.parse(PipelineSpecs.toJson(spec)).spec()).isEqualTo(spec);
        assertThat(PipelineSpecs.hash(spec)).isNotEqualTo(PipelineSpecs.hash(parsed("id: x\ntasks: [{id: a, type: noop}]")));
    }

    @Test
    void aBadTriggerIsReportedWithItsPath() {
        ParseResult result = PipelineSpecParser.parse("id: x\ntasks: [{id: a, type: noop}]\n"
                + "triggers: [{drift: {model: churn}}, {drift: {modle: churn}}, {drift: {model: churn}}]");

        assertThat(result.problems()).extracting(SpecProblem::path)
                .containsExactly("/triggers/1/drift", "/triggers/2/drift/model");
    }
}
