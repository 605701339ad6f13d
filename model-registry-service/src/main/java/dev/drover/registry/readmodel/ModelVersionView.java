package dev.drover.registry.readmodel;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One version of a registered model as the read model holds it: what
 * {@code GET /api/v1/models/{name}/versions/{version}} answers.
 *
 * @param stage   MLflow's stage name: {@code None}, {@code Staging}, {@code Production} or {@code Archived}
 * @param aliases the aliases that point at this version, by name
 */
@Serdeable
public record ModelVersionView(String modelName, int version, String artifactLocation, String description,
                               Map<String, String> params, Map<String, Double> metrics, Lineage lineage,
                               Map<String, String> tags, String stage, List<String> aliases, Instant createdAt,
                               String createdBy, Instant updatedAt) {

    /** Where the version came from; every part may be null. */
    @Serdeable
    public record Lineage(String runId, String taskId, String codeVersion, FeatureSetVersionRef featureSet) {
    }

    /** The feature-set version a model version was trained on (recorded as given, not checked). */
    @Serdeable
    public record FeatureSetVersionRef(String name, int version) {
    }
}
