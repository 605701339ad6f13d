package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps {@code docs/triggers.md} honest: its pipeline registers, and every example expression compiles. */
class TriggerDocsTest {
    private static String docs() throws IOException {
        Path path = Stream.of(Path.of("..", "docs", "triggers.md"), Path.of("docs", "triggers.md"))
                .filter(Files::exists).findFirst()
                .orElseThrow(() -> new AssertionError("docs/triggers.md not found"));
        return Files.readString(path);
    }

    @Test
    void theDeclaredPipelineIsValid() throws IOException {
        Matcher m = Pattern.compile("## Declaring a trigger\\s+```yaml\\n(.*?)```", Pattern.DOTALL).matcher(docs());
        assertThat(m.find()).isTrue();
        ParseResult result = PipelineSpecParser.parse(m.group(1));
        assertThat(result.problems()).isEmpty();
        assertThat(result.spec().triggers()).hasSize(1);
    }

    @Test
    void everyExampleExpressionCompiles() throws IOException {
        Matcher m = Pattern.compile("Examples:\\s+```yaml\\n(.*?)```", Pattern.DOTALL).matcher(docs());
        assertThat(m.find()).isTrue();
        List<String> expressions = new ArrayList<>();
        for (String line : m.group(1).split("\n")) {
            String entry = line.replaceFirst("\\s+#.*$", "").strip();
            if (entry.isEmpty() || entry.equals("parameters:")) {
                continue;
            }
            // each line is one `key: value` mapping in YAML; the value is the expression
            expressions.add(new YAMLMapper().readTree(entry).properties().iterator().next().getValue().asText());
        }
        assertThat(expressions).hasSizeGreaterThan(5);
        for (String e : expressions) {
            assertThat(EventTriggers.EXPRESSIONS.problem(e)).as(e).isNull();
        }
    }
}
