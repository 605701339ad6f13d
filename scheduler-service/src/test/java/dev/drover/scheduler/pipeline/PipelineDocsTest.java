package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps {@code docs/pipelines.md} honest: its example is valid, and every key the parser knows is documented. */
class PipelineDocsTest {
    private static String docs;

    @BeforeAll
    static void readDocs() throws IOException {
        // Surefire runs in the module directory; the docs live at the repository root.
        Path path = Stream.of(Path.of("..", "docs", "pipelines.md"), Path.of("docs", "pipelines.md"))
                .filter(Files::exists).findFirst()
                .orElseThrow(() -> new AssertionError("docs/pipelines.md not found from " + Path.of("").toAbsolutePath()));
        docs = Files.readString(path);
    }

    @Test
    void theCompleteExampleIsValidForTheParserAndTheSchema() throws IOException {
        Matcher m = Pattern.compile("## A complete example\\s+```yaml\\n(.*?)```", Pattern.DOTALL).matcher(docs);
        assertThat(m.find()).as("a ```yaml block under 'A complete example'").isTrue();
        String example = m.group(1);

        ParseResult result = PipelineSpecParser.parse(example);

        assertThat(result.problems()).isEmpty();
        assertThat(result.spec().tasks()).extracting(TaskSpec::id)
                .containsExactly("prepare", "train", "evaluate", "publish", "done");
        try (InputStream in = getClass().getResourceAsStream("/pipeline.schema.json")) {
            assertThat(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in)
                    .validate(new YAMLMapper().readTree(example))).isEmpty();
        }
    }

    @Test
    void theRegistryTaskExampleIsValidForTheParserAndTheSchema() throws IOException {
        Matcher m = Pattern.compile("### Model-registry task types.*?```yaml\\n(.*?)```", Pattern.DOTALL).matcher(docs);
        assertThat(m.find()).as("a ```yaml block under 'Model-registry task types'").isTrue();
        String example = "id: registry-example\nparameters: {learning_rate: {type: number, default: 0.1}}\n"
                + m.group(1);

        ParseResult result = PipelineSpecParser.parse(example);

        assertThat(result.problems()).isEmpty();
        assertThat(result.spec().tasks()).extracting(TaskSpec::type).contains("profile_feature_set",
                "register_model", "promote_model");
        assertThat(schemaErrors(example)).isEmpty();
    }

    @Test
    void theChurnTrainingExampleIsValidForTheParserAndTheSchema() throws IOException {
        Path path = Stream.of(Path.of("..", "examples", "churn-training.yaml"),
                        Path.of("examples", "churn-training.yaml"))
                .filter(Files::exists).findFirst().orElseThrow();
        String example = Files.readString(path);

        ParseResult result = PipelineSpecParser.parse(example);

        assertThat(result.problems()).isEmpty();
        assertThat(result.spec().tasks()).extracting(TaskSpec::id).containsExactly("ingest", "validate",
                "featurize", "train", "evaluate", "evaluate_recent", "evaluate_champion", "profile", "register",
                "promote", "promote_on_recent_data");
        assertThat(schemaErrors(example)).isEmpty();
    }

    private java.util.Set<com.networknt.schema.ValidationMessage> schemaErrors(String doc) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/pipeline.schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in)
                    .validate(new YAMLMapper().readTree(doc));
        }
    }

    @Test
    void everyKeyIsDocumented() {
        List<String> keys = Stream.of(PipelineSpecParser.ROOT_KEYS, PipelineSpecParser.PARAMETER_KEYS,
                        PipelineSpecParser.DEFAULTS_KEYS, PipelineSpecParser.TASK_KEYS, PipelineSpecParser.RETRY_KEYS,
                        TaskTypes.SHELL.keys(), TaskTypes.REGISTER_MODEL.keys(), TaskTypes.PROFILE_FEATURE_SET.keys(),
                        TaskTypes.PROMOTE_MODEL.keys(), RegisterModelTaskType.FEATURE_SET_KEYS,
                        TaskTypes.TRIGGER_PIPELINE.keys(),
                        ProfileFeatureSetTaskType.FEATURE_KEYS, ProfileFeatureSetTaskType.FEATURE_TYPES,
                        PromoteModelTaskType.DIRECTIONS, TaskTypes.names())
                .flatMap(List::stream).toList();

        assertThat(keys).allSatisfy(key -> assertThat(docs).contains("`" + key + "`"));
        assertThat(docs).contains("DROVER_OUTPUT", "64 KiB", "DROVER_ATTEMPT_ID", "DROVER_RUN_ID", "DROVER_TASK_ID",
                "DROVER_ATTEMPT", "DROVER_RUN_DIR", "{{ params.", "{{ tasks.", "{{ run.id }}");
    }
}
