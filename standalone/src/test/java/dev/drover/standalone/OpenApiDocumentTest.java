package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document the standalone serves at {@code GET /api/v1/openapi.yaml}: one merged document that parses as
 * OpenAPI 3.1 and lists exactly the routes the application has, compared with Micronaut's own route table, so a new
 * endpoint cannot be missing from it (nor a removed one linger).
 */
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options",
            "trace");

    @TempDir
    static Path dataDir;
    static DroverStandalone drover;
    static String yaml;
    static JsonNode document;

    @BeforeAll
    static void start() throws Exception {
        drover = DroverStandalone.start(new DroverStandalone.Settings(dataDir, 0, 0, -1, dataDir, Map.of()));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(drover.baseUrl() + "/api/v1/openapi.yaml"))
                .header("Authorization", "Bearer " + drover.adminToken()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/yaml"));
        yaml = r.body();
        document = new YAMLMapper().readTree(yaml);
        // kept for reading (and for tools) after the build
        java.nio.file.Files.createDirectories(Path.of("target"));
        java.nio.file.Files.writeString(Path.of("target", "openapi.yaml"), yaml);
    }

    @AfterAll
    static void stop() {
        if (drover != null) {
            drover.close();
        }
    }

    @Test
    void parsesAsOpenApi31WithoutErrors() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(yaml, null, options);
        assertThat(parsed.getOpenAPI()).as("parsed document").isNotNull();
        assertThat(parsed.getMessages()).as("parser messages").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    }

    @Test
    void listsExactlyTheRoutesTheApplicationHas() {
        Set<String> routes = new TreeSet<>();
        for (UriRouteInfo<?, ?> route : drover.context().getBean(Router.class).uriRoutes().toList()) {
            HttpMethod method = route.getHttpMethod();
            if (method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
                continue; // answered by the framework for every route; nothing of ours to describe
            }
            io.micronaut.core.annotation.AnnotationMetadata target = route.getTargetMethod().getAnnotationMetadata();
            if (target.hasAnnotation(dev.drover.platform.security.PublicRoute.class) || target.booleanValue(
                    dev.drover.platform.security.RequiresPermission.class, "page").orElse(false)) {
                continue; // the web UI's pages: HTML for browsers, not the API (docs/ui.md)
            }
            routes.add(method + " " + route.getUriMatchTemplate().toPathString());
        }
        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(m -> {
                if (METHODS.contains(m)) {
                    documented.add(m.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        assertThat(routes).as("routes of the running application").hasSizeGreaterThan(100);
        Set<String> undocumented = new TreeSet<>(routes);
        undocumented.removeAll(documented);
        Set<String> noSuchRoute = new TreeSet<>(documented);
        noSuchRoute.removeAll(routes);
        assertThat(undocumented).as("routes missing from /api/v1/openapi.yaml (annotate the controller, or add "
                + "the service's OpenApiFragment)").isEmpty();
        assertThat(noSuchRoute).as("operations in /api/v1/openapi.yaml the application does not have").isEmpty();
    }

    @Test
    void everyOperationHasAUniqueIdAndEveryReferenceResolves() {
        Set<String> ids = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(op -> {
                if (METHODS.contains(op.getKey())) {
                    String id = op.getValue().path("operationId").asText("");
                    if (id.isEmpty() || !ids.add(id)) {
                        problems.add(op.getKey() + " " + path.getKey() + ": operationId '" + id + "'");
                    }
                }
            });
        }
        checkRefs(document, "", problems);
        assertThat(problems).isEmpty();
    }

    private static void checkRefs(JsonNode node, String where, List<String> problems) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String pointer = ref.asText();
                if (!pointer.startsWith("#/") || document.at(pointer.substring(1)).isMissingNode()) {
                    problems.add(where + ": $ref " + pointer + " does not resolve");
                }
            }
            node.fields().forEachRemaining(e -> checkRefs(e.getValue(), where + "/" + e.getKey(), problems));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkRefs(node.get(i), where + "/" + i, problems);
            }
        }
    }

    @Test
    void describesTheRealBodiesOfEndpointsThatParseThemThemselves() {
        // the pipeline spec: its JSON Schema, embedded, for JSON and YAML bodies alike
        JsonNode register = document.at("/paths/~1api~1v1~1pipelines/post/requestBody/content");
        for (String type : List.of("application/json", "application/yaml", "application/x-yaml", "text/yaml")) {
            assertThat(register.at("/" + type.replace("/", "~1") + "/schema/$ref").asText()).as(type)
                    .isEqualTo("#/components/schemas/PipelineSpec");
        }
        assertThat(document.at("/components/schemas/PipelineSpec/required").toString()).contains("id", "tasks");
        assertThat(document.at("/components/schemas/PipelineSpec.task").isObject()).isTrue();
        // registry writes read @Body String: described by the records RequestBodies reads them into
        assertThat(document.at("/paths/~1api~1v1~1models/post/requestBody/content/application~1json/schema/$ref")
                .asText()).isEqualTo("#/components/schemas/RegistryRequests.CreateModel");
        assertThat(document.at("/components/schemas/RegistryRequests.CreateModel/required").toString())
                .isEqualTo("[\"name\"]");
        // the MLflow routes, under both prefixes, with MLflow's error body
        assertThat(document.at("/paths/~1api~12.0~1mlflow~1registered-models~1create/post/requestBody").isObject())
                .isTrue();
        assertThat(document.at("/paths/~1ajax-api~12.0~1mlflow~1registered-models~1create/post").isObject())
                .isTrue();
        assertThat(document.at("/paths/~1api~12.0~1mlflow~1model-versions~1get/get/responses/4XX/content"
                + "/application~1json/schema/$ref").asText()).isEqualTo("#/components/schemas/MlflowError");
        // the monitor's policy and prediction batches
        assertThat(document.at("/paths/~1api~1v1~1monitors~1{model}/put/requestBody/content/application~1json"
                + "/schema/$ref").asText()).isEqualTo("#/components/schemas/MonitoringPolicy");
        assertThat(document.at("/components/schemas/PredictionBatch/properties/predictions/maxItems").asInt())
                .isEqualTo(10_000);
        // bounds of query parameters
        JsonNode limit = null;
        for (JsonNode p : document.at("/paths/~1api~1v1~1runs/get/parameters")) {
            if (p.path("name").asText().equals("limit")) {
                limit = p.path("schema");
            }
        }
        assertThat(limit).isNotNull();
        assertThat(limit.path("minimum").asInt()).isEqualTo(1);
        assertThat(limit.path("maximum").asInt()).isEqualTo(1000);
    }
}
