package dev.drover.scheduler.pipeline;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.drover.scheduler.pipeline.PipelineSpecParserTest.parsed;
import static dev.drover.scheduler.pipeline.PipelineSpecParserTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code mapOver} (dynamic task mapping): parsed, checked at registration, stored, and {@code map} in templates. */
class MapOverParsingTest {

    /** {@code each} depends on {@code split}, which depends on {@code prepare}; {@code other} is unrelated. */
    private static String pipeline(String mapOver, String command) {
        return """
                id: m
                parameters:
                  regions: {default: "eu,us"}
                tasks:
                  - {id: prepare, type: noop}
                  - {id: split, type: noop, dependsOn: [prepare]}
                  - {id: other, type: noop}
                  - id: each
                    type: shell
                    dependsOn: [split]
                    mapOver: %s
                    command: %s
                """.formatted(mapOver, command);
    }

    private static String pipeline(String mapOver) {
        return pipeline(mapOver, "'echo {{ map.index }} {{ map.item }}'");
    }

    @Test
    void anExpressionOverAnUpstreamOutputOrAParameterIsKept() {
        assertThat(parsed(pipeline("tasks.split.outputs.shards")).task("each").orElseThrow().options().mapOver())
                .isEqualTo("tasks.split.outputs.shards");
        assertThat(parsed(pipeline("'params.regions.split(\",\")'")).task("each").orElseThrow().options().mapOver())
                .isEqualTo("params.regions.split(\",\")");
        String filter = "tasks['prepare'].outputs.files.filter(f, f.endsWith('.csv'))";
        assertThat(parsed(pipeline("\"" + filter + "\"")).task("each").orElseThrow().options().mapOver())
                .isEqualTo(filter);
        assertThat(parsed(pipeline("\"[run.id, 'x']\"")).task("split").orElseThrow().options().mapOver()).isNull();
    }

    @Test
    void templatesOfAMappedTaskMayUseMapItemAndIndexAndReachIntoTheItem() {
        assertThat(parsed(pipeline("tasks.split.outputs.shards",
                "'train --lr {{ map.item.lr }} --i {{ map.index }} --name {{ map.item[\"name\"] }}'"))
                .task("each")).isPresent();
    }

    @Test
    void theSpecKeepsMapOverThroughItsStoredJsonAndItChangesTheHash() {
        PipelineSpec spec = parsed(pipeline("tasks.split.outputs.shards"));

        assertThat(PipelineSpecs.fromJson(PipelineSpecs.toJson(spec))).isEqualTo(spec);
        assertThat(PipelineSpecs.toJson(spec)).contains("\"mapOver\":\"tasks.split.outputs.shards\"");
        PipelineSpec other = parsed(pipeline("tasks.prepare.outputs.shards"));
        assertThat(PipelineSpecs.hash(other)).isNotEqualTo(PipelineSpecs.hash(spec));
    }

    @Test
    void aSpecWithoutMapOverStoresNoKeyAndKeepsItsHash() {
        PipelineSpec spec = parsed("id: m\ntasks: [{id: a, type: noop}]");

        assertThat(PipelineSpecs.toJson(spec)).doesNotContain("mapOver");
        assertThat(PipelineSpecs.fromJson(PipelineSpecs.toJson(spec))).isEqualTo(spec);
    }

    @Test
    void mapOverMustBeAnExpressionString() {
        assertThat(problems(pipeline("[a, b]"))).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/tasks/3/mapOver");
            assertThat(p.message()).isEqualTo("mapOver must be a CEL expression (a string) that gives a list, got a "
                    + "list; e.g. mapOver: params.regions or mapOver: tasks.split.outputs.shards, or write a literal "
                    + "list as a string: mapOver: \"['a', 'b']\"");
        });
        assertThat(problems(pipeline("''"))).singleElement()
                .satisfies(p -> assertThat(p.path()).isEqualTo("/tasks/3/mapOver"));
    }

    @Test
    void anExpressionThatDoesNotCompileIsReportedWithItsPath() {
        assertThat(problems(pipeline("'tasks.split.outputs.shards +'"))).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/tasks/3/mapOver");
            assertThat(p.message()).startsWith("mapOver `tasks.split.outputs.shards +` is not a valid CEL expression: ")
                    .contains("it may use params, tasks, run");
        });
        assertThat(problems(pipeline("parms.regions"))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("undeclared reference to 'parms'"));
        // map is for templates only: the list must be known before any instance exists
        assertThat(problems(pipeline("map.item"))).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("mapOver `map.item` is not a valid CEL expression"));
    }

    @Test
    void undeclaredParameters() {
        assertThat(problems(pipeline("params.region"))).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/tasks/3/mapOver");
            assertThat(p.message()).isEqualTo("mapOver `params.region` uses parameter `region`, which is not "
                    + "declared; declare it under `parameters` or fix the name (declared: regions)");
        });
    }

    @Test
    void referencedTasksMustExistAndBeUpstream() {
        assertThat(problems(pipeline("tasks.other.outputs.shards"))).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/tasks/3/mapOver");
            assertThat(p.message()).isEqualTo("mapOver `tasks.other.outputs.shards` reads task `other`, which is not "
                    + "upstream of `each`, so its outputs may not exist when the list is evaluated; add `other` to "
                    + "dependsOn of `each` (directly or through another task)");
        });
        assertThat(problems(pipeline("tasks.splt.outputs.shards"))).singleElement().satisfies(p -> assertThat(
                p.message()).isEqualTo("mapOver `tasks.splt.outputs.shards` refers to task `splt`, which this "
                + "pipeline does not have; known tasks: prepare, split, other, each; did you mean `split`?"));
        assertThat(problems(pipeline("tasks.each.outputs.shards"))).singleElement().satisfies(p -> assertThat(
                p.message()).startsWith("mapOver `tasks.each.outputs.shards` reads task `each` itself"));
        assertThat(problems(pipeline("\"tasks['other'].outputs.x\""))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("reads task `other`, which is not upstream"));
        // a transitive dependency is upstream; a task id inside a string literal is not a reference
        assertThat(parsed(pipeline("\"tasks.prepare.outputs.x + ['tasks.other']\"")).task("each")).isPresent();
    }

    @Test
    void mapInTemplatesOfATaskWithoutMapOverIsReported() {
        List<SpecProblem> problems = problems("""
                id: m
                tasks:
                  - {id: plain, type: shell, command: 'echo {{ map.item }}'}
                """);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("/tasks/0/command");
            assertThat(p.message()).isEqualTo("`{{ map.item }}`: `map` exists only in a task with `mapOver` (it is "
                    + "the element an instance runs); add mapOver to `plain`, or use params or tasks instead");
        });
    }

    @Test
    void aNameBoundByATagIsNotMistakenForMap() {
        assertThat(parsed("""
                id: m
                parameters: {names: {default: "a b"}}
                tasks:
                  - {id: plain, type: shell, command: '{% for map in [1, 2] %}{{ map }}{% endfor %}'}
                """).task("plain")).isPresent();
    }

    @Test
    void mapHasOnlyItemAndIndex() {
        assertThat(problems(pipeline("tasks.split.outputs.shards", "'echo {{ map.element }}'"))).singleElement()
                .satisfies(p -> assertThat(p.message()).isEqualTo("`{{ map.element }}`: use map.item (this "
                        + "instance's element) or map.index (its position in the list, from 0)"));
        assertThat(problems(pipeline("tasks.split.outputs.shards", "'echo {{ map.index.x }}'"))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("map.index is a number and has no fields"));
    }

    @Test
    void theExampleInTheMappingDocsIsValid() throws IOException {
        // Surefire runs in the module directory; the docs live at the repository root.
        Path path = Stream.of(Path.of("..", "docs", "mapping.md"), Path.of("docs", "mapping.md"))
                .filter(Files::exists).findFirst().orElseThrow(() -> new AssertionError("docs/mapping.md not found"));
        Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(path));
        assertThat(m.find()).isTrue();

        PipelineSpec spec = parsed(m.group(1));

        assertThat(spec.task("train").orElseThrow().options().mapOver()).isEqualTo("tasks.grid.outputs.configs");
        assertThat(spec.task("deploy").orElseThrow().options().mapOver()).isEqualTo("params.regions.split(\",\")");
    }

    @Test
    void downstreamTemplatesMayReadTheCollectedOutputsOfAMappedTask() {
        assertThat(parsed("""
                id: m
                tasks:
                  - {id: each, type: noop, mapOver: "[1, 2, 3]"}
                  - id: total
                    type: shell
                    dependsOn: [each]
                    command: 'echo {% for o in tasks.each.outputs %}{{ o.n }} {% endfor %}{{ tasks.each.outputs[0].n }}'
                """).task("total")).isPresent();
    }
}
