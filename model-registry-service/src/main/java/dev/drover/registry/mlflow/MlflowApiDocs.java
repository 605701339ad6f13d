package dev.drover.registry.mlflow;

import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

import java.util.List;

/**
 * The request bodies of the MLflow-compatible routes, for the OpenAPI document only: the controllers read
 * parameters with {@link MlflowRequest} (query string on GET, a JSON object otherwise), which takes numbers and
 * booleans as JSON values or as strings, and ignores fields it does not know, as MLflow's server does.
 */
final class MlflowApiDocs {
    static final String JSON = "application/json";
    static final String NAME_DESCRIPTION = "the registered model's name";
    static final String VERSION_DESCRIPTION = "the version number (MLflow sends it as a string)";
    static final String VERSION = "^[1-9][0-9]{0,8}$";
    static final String ERROR_DESCRIPTION = "an error in MLflow's shape {error_code, message}";

    private MlflowApiDocs() {
    }

    @Schema(name = "MlflowTag")
    record Tag(@Schema(requiredMode = RequiredMode.REQUIRED) String key, String value) {
    }

    @Schema(name = "MlflowCreateRegisteredModel")
    record CreateRegisteredModel(@Schema(requiredMode = RequiredMode.REQUIRED, example = "churn") String name,
                                 List<Tag> tags, String description) {
    }

    @Schema(name = "MlflowUpdateRegisteredModel")
    record UpdateRegisteredModel(@Schema(requiredMode = RequiredMode.REQUIRED) String name, String description) {
    }

    @Schema(name = "MlflowGetLatestVersions")
    record GetLatestVersions(@Schema(requiredMode = RequiredMode.REQUIRED) String name,
                             @Schema(description = "stages to look in; none: every stage") List<String> stages) {
    }

    @Schema(name = "MlflowSetRegisteredModelTag")
    record SetRegisteredModelTag(@Schema(requiredMode = RequiredMode.REQUIRED) String name,
                                 @Schema(requiredMode = RequiredMode.REQUIRED) String key, String value) {
    }

    @Schema(name = "MlflowDeleteRegisteredModelTag")
    record DeleteRegisteredModelTag(@Schema(requiredMode = RequiredMode.REQUIRED) String name,
                                    @Schema(requiredMode = RequiredMode.REQUIRED) String key) {
    }

    @Schema(name = "MlflowSetAlias")
    record SetAlias(@Schema(requiredMode = RequiredMode.REQUIRED) String name,
                    @Schema(requiredMode = RequiredMode.REQUIRED) String alias,
                    @Schema(requiredMode = RequiredMode.REQUIRED, pattern = VERSION) String version) {
    }

    @Schema(name = "MlflowDeleteAlias")
    record DeleteAlias(@Schema(requiredMode = RequiredMode.REQUIRED) String name,
                       @Schema(requiredMode = RequiredMode.REQUIRED) String alias) {
    }

    @Schema(name = "MlflowCreateModelVersion")
    record CreateModelVersion(@Schema(requiredMode = RequiredMode.REQUIRED) String name,
                              @Schema(requiredMode = RequiredMode.REQUIRED, example = "s3://models/churn/7")
                              String source,
                              @Schema(name = "run_id") String runId,
                              List<Tag> tags,
                              String description,
                              @Schema(name = "run_link", description = "accepted, not stored") String runLink) {
    }

    @Schema(name = "MlflowUpdateModelVersion")
    record UpdateModelVersion(@Schema(requiredMode = RequiredMode.REQUIRED) String name,
                              @Schema(requiredMode = RequiredMode.REQUIRED, pattern = VERSION) String version,
                              String description) {
    }

    @Schema(name = "MlflowTransitionStage")
    record TransitionStage(@Schema(requiredMode = RequiredMode.REQUIRED) String name,
                           @Schema(requiredMode = RequiredMode.REQUIRED, pattern = VERSION) String version,
                           @Schema(requiredMode = RequiredMode.REQUIRED,
                                   allowableValues = {"None", "Staging", "Production", "Archived"}) String stage,
                           @Schema(name = "archive_existing_versions") Boolean archiveExistingVersions) {
    }

    @Schema(name = "MlflowSetModelVersionTag")
    record SetModelVersionTag(@Schema(requiredMode = RequiredMode.REQUIRED) String name,
                              @Schema(requiredMode = RequiredMode.REQUIRED, pattern = VERSION) String version,
                              @Schema(requiredMode = RequiredMode.REQUIRED) String key, String value) {
    }

    @Schema(name = "MlflowDeleteModelVersionTag")
    record DeleteModelVersionTag(@Schema(requiredMode = RequiredMode.REQUIRED) String name,
                                 @Schema(requiredMode = RequiredMode.REQUIRED, pattern = VERSION) String version,
                                 @Schema(requiredMode = RequiredMode.REQUIRED) String key) {
    }
}
