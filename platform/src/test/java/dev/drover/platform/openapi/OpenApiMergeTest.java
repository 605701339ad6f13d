package dev.drover.platform.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenApiMergeTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode yaml(String text) throws Exception {
        return YAML.readTree(text);
    }

    private static final String SCHEDULER = """
            openapi: 3.0.1
            info: {title: Service, version: 1.0.0}
            tags: [{name: runs}]
            paths:
              /api/v1/runs:
                get:
                  operationId: listRuns
                  parameters:
                  - {name: limit, in: query, schema: {type: integer, nullable: true, minimum: 1}}
                  responses: {"200": {description: ok}}
                post:
                  operationId: startRun
                  requestBody:
                    content:
                      application/yaml: {schema: {$ref: "#/components/schemas/Spec"}}
                  responses: {"201": {description: started}}
            components:
              schemas:
                Run:
                  type: object
                  properties:
                    reason: {type: string, nullable: true}
                    share: {type: number, minimum: 0, exclusiveMinimum: true}
                    holder: {$ref: "#/components/schemas/Holder", nullable: true}
            """;
    private static final String REGISTRY = """
            openapi: 3.0.1
            info: {title: Service, version: 1.0.0}
            paths:
              /api/v1/models:
                get:
                  operationId: listModels
                  responses:
                    "200": {description: ok}
                    "4XX": {description: mlflow-style error}
            components:
              schemas:
                Holder: {type: object}
            """;

    @Test
    void mergesPathsAndComponentsAndConvertsTo31() throws Exception {
        ObjectNode doc = OpenApiMerge.merge(List.of(
                new OpenApiMerge.Part("scheduler", yaml(SCHEDULER), Map.of()),
                new OpenApiMerge.Part("model-registry", yaml(REGISTRY), Map.of())));

        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("paths").fieldNames()).toIterable().containsExactly("/api/v1/models", "/api/v1/runs");
        // a parameter's absence is its null: no "null" type for it
        assertThat(doc.at("/paths/~1api~1v1~1runs/get/parameters/0/schema"))
                .isEqualTo(JSON.readTree("{\"type\": \"integer\", \"minimum\": 1}"));
        JsonNode run = doc.at("/components/schemas/Run/properties");
        assertThat(run.at("/reason/type")).isEqualTo(JSON.readTree("[\"string\", \"null\"]"));
        assertThat(run.at("/share")).isEqualTo(JSON.readTree("{\"type\": \"number\", \"exclusiveMinimum\": 0}"));
        assertThat(run.at("/holder")).isEqualTo(JSON.readTree(
                "{\"anyOf\": [{\"$ref\": \"#/components/schemas/Holder\"}, {\"type\": \"null\"}]}"));
        // Drover's error body where an operation declares none; an operation's own error responses stay alone
        assertThat(doc.at("/paths/~1api~1v1~1runs/post/responses/default/content/application~1json/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/ApiError");
        assertThat(doc.at("/paths/~1api~1v1~1models/get/responses").has("default")).isFalse();
        assertThat(doc.at("/components/schemas/AnyValue/description").asText()).isEqualTo("any JSON value");
        assertThat(doc.at("/components/schemas/Holder/type").asText()).isEqualTo("object");
    }

    @Test
    void embedsAJsonSchemaWithItsDefinitionsAsComponents() throws Exception {
        JsonNode spec = JSON.readTree("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://x/spec.json",
                 "type": "object", "properties": {"tasks": {"type": "array", "items": {"$ref": "#/$defs/task"}}},
                 "unevaluatedProperties": false,
                 "$defs": {"task": {"type": "object", "properties": {"next": {"$ref": "#/$defs/task"}},
                                    "nullable": true}}}""");
        ObjectNode doc = OpenApiMerge.merge(List.of(new OpenApiMerge.Part("scheduler", yaml(SCHEDULER),
                Map.of("Spec", spec))));

        JsonNode embedded = doc.at("/components/schemas/Spec");
        assertThat(embedded.has("$schema")).isFalse();
        assertThat(embedded.has("$id")).isFalse();
        assertThat(embedded.has("$defs")).isFalse();
        assertThat(embedded.at("/properties/tasks/items/$ref").asText())
                .isEqualTo("#/components/schemas/Spec.task");
        assertThat(embedded.path("unevaluatedProperties").asBoolean(true)).isFalse();
        JsonNode task = doc.at("/components/schemas/Spec.task");
        assertThat(task.at("/properties/next/$ref").asText()).isEqualTo("#/components/schemas/Spec.task");
        // a JSON Schema is embedded as written: the 3.0 → 3.1 rules are for the generated parts only
        assertThat(task.path("nullable").asBoolean()).isTrue();
    }

    @Test
    void refusesTwoServicesDescribingTheSameOperationOrId() throws Exception {
        assertThatThrownBy(() -> OpenApiMerge.merge(List.of(
                new OpenApiMerge.Part("scheduler", yaml(SCHEDULER), Map.of()),
                new OpenApiMerge.Part("monitor", yaml(SCHEDULER), Map.of()))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GET /api/v1/runs is described by both scheduler and monitor");
        String sameId = REGISTRY.replace("/api/v1/models", "/api/v1/other").replace("listModels", "listRuns");
        assertThatThrownBy(() -> OpenApiMerge.merge(List.of(
                new OpenApiMerge.Part("scheduler", yaml(SCHEDULER), Map.of()),
                new OpenApiMerge.Part("monitor", yaml(sameId), Map.of()))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("operationId 'listRuns'");
    }

    @Test
    void refusesOneComponentNameWithTwoDefinitions() throws Exception {
        String other = REGISTRY.replace("Holder: {type: object}", "Run: {type: string}");
        assertThatThrownBy(() -> OpenApiMerge.merge(List.of(
                new OpenApiMerge.Part("scheduler", yaml(SCHEDULER), Map.of()),
                new OpenApiMerge.Part("monitor", yaml(other), Map.of()))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("components/schemas/Run is defined differently by scheduler and monitor");
    }

    @Test
    void theServedYamlReadsBackAsTheSameDocument() throws Exception {
        OpenApiDocument document = new OpenApiDocument(List.of(new OpenApiFragment("platform",
                OpenApiFragment.generated("drover-platform"), Map.of())));
        JsonNode read = YAML.readTree(document.yaml());
        assertThat(read).isEqualTo(document.tree());
        assertThat(read.at("/paths/~1api~1v1~1openapi.yaml/get/operationId").asText())
                .isEqualTo("getOpenApiDocument");
        assertThat(read.at("/components/schemas/ApiError/properties").has("fix")).isTrue();
    }
}
