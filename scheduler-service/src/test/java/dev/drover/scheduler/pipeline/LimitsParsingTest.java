package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

import static org.assertj.core.api.Assertions.assertThat;

/** {@code maxActiveTasks}, {@code pool} and {@code priority}: parsed with clear problems, stored, in the schema. */
class LimitsParsingTest {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static JsonSchema schema;

    static final String DOC = """
            id: limited
            maxActiveTasks: 2
            tasks:
              - {id: a, type: noop, pool: gpu, priority: 10}
              - {id: b, type: noop, priority: -3}
              - {id: c, type: noop, dependsOn: [a]}
            """;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = LimitsParsingTest.class.getResourceAsStream("/pipeline.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(
                    new ObjectMapper().readTree(in));
        }
    }

    @Test
    void theKeysAreReadIntoTheOptions() throws IOException {
        PipelineSpec spec = PipelineSpecParser.parse(DOC).spec();

        assertThat(spec.options().maxActiveTasks()).isEqualTo(2);
        assertThat(spec.task("a").orElseThrow().options().pool()).isEqualTo("gpu");
        assertThat(spec.task("a").orElseThrow().options().priority()).isEqualTo(10);
        assertThat(spec.task("b").orElseThrow().options().priority()).isEqualTo(-3);
        assertThat(spec.task("c").orElseThrow().options()).isEqualTo(TaskOptions.DEFAULTS);
        assertThat(spec.task("a").orElseThrow().config()).as("not type config").isEmpty();
        assertThat(schema.validate(YAML.readTree(DOC))).isEmpty();
    }

    @Test
    void theyAreStoredAndReadBackEqualAndChangeTheHash() {
        PipelineSpec spec = PipelineSpecParser.parse(DOC).spec();

        assertThat(PipelineSpecs.fromJson(PipelineSpecs.toJson(spec))).isEqualTo(spec);
        assertThat(PipelineSpecParser.parse(PipelineSpecs.toJson(spec)).spec()).as("stored JSON is a document")
                .isEqualTo(spec);
        PipelineSpec plain = PipelineSpecParser.parse("id: limited\ntasks: [{id: a, type: noop}]").spec();
        assertThat(PipelineSpecs.toJson(plain)).as("unset keys are not written (old hashes stay)")
                .doesNotContain("maxActiveTasks", "pool", "priority");
        assertThat(PipelineSpecs.hash(PipelineSpecParser.parse(DOC.replace("priority: 10", "priority: 11")).spec()))
                .isNotEqualTo(PipelineSpecs.hash(spec));
        assertThat(PipelineSpecs.hash(PipelineSpecParser.parse(DOC.replace("priority: -3", "priority: 0")).spec()))
                .as("priority 0 is the default").isEqualTo(PipelineSpecs.hash(PipelineSpecParser.parse(
                        DOC.replace(", priority: -3", "")).spec()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "maxActiveTasks: 0|/maxActiveTasks|maxActiveTasks must be a whole number from 1 to 100000",
            "maxActiveTasks: 2.5|/maxActiveTasks|leave it out for no limit",
            "maxActiveTasks: many|/maxActiveTasks|got a string (\"many\")",
            "pool: GPU|/tasks/0/pool|a pool name must be 1 to 63 lowercase letters",
            "pool: 3|/tasks/0/pool|PUT /api/v1/pools/{name}",
            "priority: high|/tasks/0/priority|priority must be a whole number from -1000000 to 1000000",
            "priority: 1.5|/tasks/0/priority|higher goes first",
            "priority: 2000000|/tasks/0/priority|priority must be a whole number"})
    void badValuesSayWhatToWrite(String line) throws IOException {
        String[] parts = line.split("\\|");
        String doc = parts[1].equals("/maxActiveTasks")
                ? "id: x\n" + parts[0] + "\ntasks: [{id: a, type: noop}]"
                : "id: x\ntasks:\n  - id: a\n    type: noop\n    " + parts[0] + "\n";
        ParseResult result = PipelineSpecParser.parse(doc);

        assertThat(result.problems()).anySatisfy(p -> {
            assertThat(p.path()).isEqualTo(parts[1]);
            assertThat(p.message()).contains(parts[2]);
        });
        assertThat(schema.validate(YAML.readTree(doc))).as("the schema refuses it too").isNotEmpty();
    }

    @Test
    void aMisspelledKeySuggestsTheRightOne() {
        assertThat(PipelineSpecParser.parse("id: x\nmax_active_tasks: 2\ntasks: [{id: a, type: noop}]").problems())
                .anySatisfy(p -> assertThat(p.message()).contains("did you mean `maxActiveTasks`?"));
        assertThat(PipelineSpecParser.parse("id: x\ntasks: [{id: a, type: noop, priority_weight: 2}]").problems())
                .anySatisfy(p -> assertThat(p.message()).contains("unknown key `priority_weight`"));
    }
}
