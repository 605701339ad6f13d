package dev.drover.registry.mlflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered model as the MLflow API shows it, read from the registry's read model.
 *
 * @param createdBy      MLflow's {@code user_id}
 * @param latestVersions the newest version in each stage that has one, by version number
 * @param aliases        alias → version number
 */
public record RegisteredModelView(String name, Instant createdAt, Instant updatedAt, String createdBy,
                                  String description, List<ModelVersionView> latestVersions,
                                  Map<String, String> tags, Map<String, Integer> aliases) {

    public RegisteredModelView {
        latestVersions = List.copyOf(latestVersions);
        tags = Map.copyOf(tags);
        aliases = Map.copyOf(aliases);
    }
}
