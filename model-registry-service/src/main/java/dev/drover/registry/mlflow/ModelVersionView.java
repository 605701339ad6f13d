package dev.drover.registry.mlflow;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A model version as the MLflow API shows it, read from the registry's read model.
 *
 * @param source    the artifact location (MLflow's {@code source})
 * @param runId     the Drover run that trained it ({@code lineage.runId}), or null
 * @param createdBy MLflow's {@code user_id}
 * @param stage     MLflow's stage name: None, Staging, Production, Archived
 * @param aliases   the aliases pointing at this version, sorted
 */
public record ModelVersionView(String name, int version, Instant createdAt, Instant updatedAt, String createdBy,
                               String stage, String description, String source, String runId,
                               Map<String, String> tags, List<String> aliases) {

    public ModelVersionView {
        tags = Map.copyOf(tags);
        aliases = List.copyOf(aliases);
    }
}
