package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.platform.openapi.OpenApiDocument;
import dev.drover.platform.openapi.OpenApiFragment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one service serves at {@code GET /api/v1/openapi.yaml} when it runs alone: the platform's parts and its own,
 * a document complete in itself (every reference resolves without the other services' parts) that lists its routes
 * and no other service's. The merged document of the standalone is checked against the router by
 * {@link OpenApiDocumentTest}.
 */
class ServiceAloneOpenApiTest {

    @ParameterizedTest
    @CsvSource({
            "scheduler, drover-scheduler, /api/v1/pipelines, /api/v1/models",
            "model-registry, drover-registry, /api/2.0/mlflow/registered-models/create, /api/v1/pipelines",
            "monitor, drover-monitor, /api/v1/monitors/{model}, /api/v1/models"})
    void oneServiceAloneServesACompleteDocumentOfItsOwnRoutes(String service, String file, String own,
                                                              String other) {
        List<OpenApiFragment> fragments = new ArrayList<>(List.of(
                new OpenApiFragment("platform", OpenApiFragment.generated("drover-platform"), Map.of()),
                new OpenApiFragment("management", "dev/drover/platform/openapi/management.yml", Map.of()),
                new OpenApiFragment(service, OpenApiFragment.generated(file), service.equals("scheduler")
                        ? Map.of("PipelineSpec", "pipeline.schema.json") : Map.of())));
        JsonNode doc = new OpenApiDocument(fragments).tree();

        assertThat(doc.path("paths").has(own)).isTrue();
        assertThat(doc.path("paths").has(other)).isFalse();
        assertThat(doc.path("paths").has("/api/v1/openapi.yaml")).isTrue();
        List<String> unresolved = new ArrayList<>();
        collectUnresolved(doc, doc, unresolved);
        assertThat(unresolved).isEmpty();
    }

    private static void collectUnresolved(JsonNode root, JsonNode node, List<String> out) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual() && root.at(ref.asText().substring(1)).isMissingNode()) {
                out.add(ref.asText());
            }
            node.elements().forEachRemaining(child -> collectUnresolved(root, child, out));
        } else if (node.isArray()) {
            node.forEach(child -> collectUnresolved(root, child, out));
        }
    }
}
