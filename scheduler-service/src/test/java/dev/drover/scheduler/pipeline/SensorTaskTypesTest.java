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
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The sensor task types as the parser and the published schema see them. */
class SensorTaskTypesTest {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static JsonSchema schema;

    static final String PIPELINE = """
            id: sensors
            parameters:
              day: {default: "2030-01-31"}
              at: {default: "2030-01-31T06:00:00Z"}
            tasks:
              - id: file
                type: wait_for_file
                path: /data/incoming/{{ params.day }}/*.csv
                pokeInterval: 1m
                timeout: 6h
              - id: object
                type: wait_for_file
                path: https://storage.example.com/bucket/{{ params.day }}/_SUCCESS
                softFail: true
              - id: api
                type: wait_for_http
                url: https://api.example.com/jobs/42
                method: get
                headers: {Accept: application/json}
                expectedStatus: [200, 203]
                condition: json.state == "DONE" && status == 200
                pokeInterval: 30s
              - id: post
                type: wait_for_http
                url: "{{ params.day }}"
                method: POST
                body: '{"q": 1}'
                expectedStatus: 204
              - id: event
                type: wait_for_event
                eventType: com.example.table.loaded
                source: /warehouse
                filter: data.table == "churn" && event.subject == "daily"
              - id: event-after
                type: wait_for_event
                eventType: x
                after: "2030-01-31T00:00:00+01:00"
              - id: clock
                type: wait_for_time
                until: "{{ params.at }}"
              - id: later
                type: wait_for_time
                delay: 2h
                softFail: false
            """;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = SensorTaskTypesTest.class.getResourceAsStream("/pipeline.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(new ObjectMapper().readTree(in));
        }
    }

    @Test
    void everySensorTypeParsesStoresAndPassesTheSchema() throws IOException {
        ParseResult result = PipelineSpecParser.parse(PIPELINE);

        assertThat(result.problems()).isEmpty();
        assertThat(schema.validate(YAML.readTree(PIPELINE))).isEmpty();
        TaskSpec file = result.spec().task("file").orElseThrow();
        assertThat(file.type()).isEqualTo("wait_for_file");
        assertThat(file.timeout()).as("a sensor's timeout is its total wait").isEqualTo(Duration.ofHours(6));
        assertThat(SensorTaskTypes.pokeInterval(file.config())).isEqualTo(Duration.ofMinutes(1));
        assertThat(SensorTaskTypes.pokeInterval(result.spec().task("object").orElseThrow().config()))
                .isEqualTo(SensorTaskTypes.DEFAULT_POKE_INTERVAL);
        assertThat(result.spec().task("api").orElseThrow().config())
                .containsEntry("expectedStatus", List.of(200L, 203L))
                .containsEntry("headers", Map.of("Accept", "application/json"));
        assertThat(PipelineSpecs.fromJson(PipelineSpecs.toJson(result.spec()))).isEqualTo(result.spec());
    }

    static Stream<String> invalid() {
        String t = "id: a\ntasks:\n  - ";
        return Stream.of(
                t + "{id: s, type: wait_for_file}",
                t + "{id: s, type: wait_for_file, path: ''}",
                t + "{id: s, type: wait_for_file, path: /x, pokeInterval: 0s}",
                t + "{id: s, type: wait_for_file, path: /x, pokeInterval: 30}",
                t + "{id: s, type: wait_for_file, path: /x, softFail: 'yes'}",
                t + "{id: s, type: wait_for_file, path: /x, poke_interval: 30s}",
                t + "{id: s, type: wait_for_http}",
                t + "{id: s, type: wait_for_http, url: ftp://x/y}",
                t + "{id: s, type: wait_for_http, url: http://x, method: DELETE}",
                t + "{id: s, type: wait_for_http, url: http://x, expectedStatus: 99}",
                t + "{id: s, type: wait_for_http, url: http://x, expectedStatus: []}",
                t + "{id: s, type: wait_for_http, url: http://x, headers: {A: 1}}",
                t + "{id: s, type: wait_for_http, url: http://x, body: {a: 1}}",
                t + "{id: s, type: wait_for_event}",
                t + "{id: s, type: wait_for_event, eventType: x, after: yesterday}",
                t + "{id: s, type: wait_for_time}",
                t + "{id: s, type: wait_for_time, until: '2030-01-31T06:00:00Z', delay: 1h}",
                t + "{id: s, type: wait_for_time, until: tomorrow}",
                t + "{id: s, type: wait_for_time, delay: 1.5h}",
                t + "{id: s, type: wait_for_time, delay: 1h, pokeInterval: 1m}");
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void structuralProblemsFailTheParserAndTheSchema(String doc) throws IOException {
        assertThat(PipelineSpecParser.parse(doc).ok()).as("parser accepts").isFalse();
        assertThat(schema.validate(YAML.readTree(doc))).as("schema").isNotEmpty();
    }

    @Test
    void everySensorKeyIsDocumented() throws IOException {
        java.nio.file.Path docs = Stream.of(java.nio.file.Path.of("..", "docs"), java.nio.file.Path.of("docs"))
                .filter(java.nio.file.Files::isDirectory).findFirst().orElseThrow();
        String sensors = java.nio.file.Files.readString(docs.resolve("sensors.md"));
        String pipelines = java.nio.file.Files.readString(docs.resolve("pipelines.md"));
        for (TaskType type : List.of(TaskTypes.WAIT_FOR_FILE, TaskTypes.WAIT_FOR_HTTP, TaskTypes.WAIT_FOR_EVENT,
                TaskTypes.WAIT_FOR_TIME)) {
            assertThat(sensors).contains("## `" + type.name() + "`");
            assertThat(pipelines).contains("`" + type.name() + "`");
            type.keys().forEach(key -> assertThat(sensors).contains("| `" + key + "` |"));
            type.keys().forEach(key -> assertThat(pipelines).contains("`" + key + "`"));
        }
    }

    @Test
    void conditionsAreCheckedAsCelAtRegistration() throws IOException {
        String doc = """
                id: a
                tasks:
                  - {id: h, type: wait_for_http, url: "http://x", condition: "jsn.ready"}
                  - {id: e, type: wait_for_event, eventType: x, filter: "data.table =="}
                """;
        ParseResult result = PipelineSpecParser.parse(doc);

        assertThat(result.problems()).extracting(SpecProblem::path).containsExactly("/tasks/0/condition",
                "/tasks/1/filter");
        assertThat(result.problems().get(0).message()).contains("not a valid CEL condition over body, headers, "
                + "json, status").contains("jsn");
        assertThat(schema.validate(YAML.readTree(doc))).as("only the parser knows CEL").isEmpty();
    }

    @Test
    void problemsSayWhatToWrite() {
        ParseResult result = PipelineSpecParser.parse("""
                id: a
                tasks:
                  - {id: f, type: wait_for_file, pokeInterval: 0s}
                  - {id: h, type: wait_for_http, url: "http://x", method: DELETE, expectedStatus: 700}
                  - {id: t, type: wait_for_time}
                """);

        assertThat(result.problems()).extracting(SpecProblem::path, SpecProblem::message).contains(
                tuple("/tasks/0", "a wait_for_file task needs `path`, e.g. path: /data/incoming/{{ params.day }}/*.csv"),
                tuple("/tasks/0/pokeInterval", "pokeInterval must be longer than zero, e.g. 30s"),
                tuple("/tasks/1/method", "method must be one of GET, HEAD, POST, PUT, got a string (\"DELETE\")"),
                tuple("/tasks/2", "a wait_for_time task needs exactly one of `until` (a date and time, e.g. until: "
                        + "\"2030-01-31T06:00:00Z\") and `delay` (a duration after the run start, e.g. delay: 2h)"));
        assertThat(result.problems()).filteredOn(p -> p.path().equals("/tasks/1/expectedStatus"))
                .singleElement().extracting(SpecProblem::message).asString()
                .startsWith("expectedStatus must be an HTTP status code (100 to 599)");
    }
}
