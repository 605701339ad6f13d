package dev.drover.scheduler.pipeline;

import dev.drover.platform.expression.Expressions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keeps {@code docs/control-flow.md} honest: its pipeline registers, and its conditions mean what it says. */
class ControlFlowDocsTest {
    private static String docs;

    @BeforeAll
    static void readDocs() throws IOException {
        Path path = Stream.of(Path.of("..", "docs", "control-flow.md"), Path.of("docs", "control-flow.md"))
                .filter(Files::exists).findFirst().orElseThrow(() -> new AssertionError("docs/control-flow.md"));
        docs = Files.readString(path);
    }

    @Test
    void theExamplePipelineIsValid() {
        Matcher m = Pattern.compile("```yaml\\n(id: .*?)```", Pattern.DOTALL).matcher(docs);
        assertThat(m.find()).isTrue();
        ParseResult result = PipelineSpecParser.parse(m.group(1));
        assertThat(result.problems()).isEmpty();
        assertThat(result.spec().task("report").orElseThrow().options().triggerRule())
                .isEqualTo(TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS);
    }

    @Test
    void everyExampleConditionCompilesAndEveryRuleIsDocumented() {
        Matcher m = Pattern.compile("^when: \"(.*?)\"", Pattern.MULTILINE).matcher(docs);
        List<String> conditions = new ArrayList<>();
        while (m.find()) {
            conditions.add(m.group(1));
        }
        assertThat(conditions).hasSizeGreaterThanOrEqualTo(8);
        assertThat(conditions).allSatisfy(c -> assertThat(TaskControlFlow.WHEN.problem(c)).as(c).isNull());
        for (TriggerRule rule : TriggerRule.values()) {
            assertThat(docs).contains("| `" + rule.formatName() + "`");
        }
    }

    @Test
    void theConditionsBehaveAsDocumented() {
        Map<String, Object> values = Map.of(
                "params", Map.of("deploy", true, "env", "prod", "epochs", 12L, "force", false),
                "tasks", Map.of(
                        "evaluate", Map.of("outputs", Map.of("auc", 0.91)),
                        "validate", Map.of("outputs", Map.of("rows", 1200L)),
                        "probe", Map.of("outputs", Map.of("devices", List.of("cpu", "gpu"))),
                        "split", Map.of("outputs", Map.of("shards", List.of("a"))),
                        "data-prep", Map.of("outputs", Map.of("status", "ok: 3 files"))),
                "run", Map.of("id", "p.1", "pipeline", "p"));
        Expressions when = TaskControlFlow.WHEN;
        assertThat(when.test("params.deploy", values)).isTrue();
        assertThat(when.test("params.env == 'prod' && params.epochs > 10", values)).isTrue();
        assertThat(when.test("tasks.evaluate.outputs.auc >= 0.8", values)).isTrue();
        assertThat(when.test("tasks.validate.outputs.rows > 1000 || params.force", values)).isTrue();
        assertThat(when.test("has(tasks.train) && tasks.train.outputs.model != ''", values)).isFalse();
        assertThat(when.test("'gpu' in tasks.probe.outputs.devices", values)).isTrue();
        assertThat(when.test("size(tasks.split.outputs.shards) > 0", values)).isTrue();
        assertThat(when.test("tasks['data-prep'].outputs.status.startsWith('ok')", values)).isTrue();
        // whole numbers and decimals compare as numbers; arithmetic mixing them is an error, double() converts
        assertThat(when.test("tasks.validate.outputs.rows > 1000.0", values)).isTrue();
        assertThat(when.test("tasks.evaluate.outputs.auc < 1", values)).isTrue();
        assertThatThrownBy(() -> when.test("tasks.validate.outputs.rows + 0.5 > 1000.0", values))
                .hasMessageContaining("No matching overload");
        assertThat(when.test("double(tasks.validate.outputs.rows) + 0.5 >= 1000.0", values)).isTrue();
        assertThat(when.test("double(tasks.evaluate.outputs.auc) >= 0.8", values)).isTrue();
        assertThatThrownBy(() -> when.test("tasks.evaluate.outputs.loss < 0.2", values))
                .hasMessageContaining("loss");
    }
}
