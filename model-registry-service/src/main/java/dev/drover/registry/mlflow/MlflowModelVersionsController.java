package dev.drover.registry.mlflow;

import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.registry.core.Lineage;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.ModelEvent.VersionRegistered;
import dev.drover.registry.loop.RegistryGateway.Outcome;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.drover.registry.mlflow.MlflowRoutes.AJAX_API_PREFIX;
import static dev.drover.registry.mlflow.MlflowRoutes.API_PREFIX;

/**
 * MLflow's model-version endpoints ({@code /api/2.0/mlflow/model-versions/...}), served from the registry's core
 * (writes) and read model (reads). See docs/mlflow-compatibility.md.
 */
@Controller
@Tag(name = "mlflow")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.registry.enabled", value = "true")
public class MlflowModelVersionsController {
    private static final String MV = "/model-versions";

    private final MlflowReads reads;
    private final MlflowWrites writes;

    MlflowModelVersionsController(MlflowReads reads, MlflowWrites writes) {
        this.reads = reads;
        this.writes = writes;
    }

    /**
     * Registers a version of an existing model (MLflow requires the model to exist). {@code run_id} becomes the
     * version's lineage run id; {@code run_link} is accepted and not kept (the read model has no place for it).
     */
    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name", resourceInBody = "name")
    @Post(uris = {API_PREFIX + MV + "/create", AJAX_API_PREFIX + MV + "/create"},
            consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowCreateModelVersion",
            summary = "Register a version of an existing model",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MlflowApiDocs.JSON,
                    schema = @Schema(implementation = MlflowApiDocs.CreateModelVersion.class))),
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> create(@Parameter(hidden = true) HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        String name = in.requiredString("name");
        String source = in.requiredString("source");
        String runId = in.optionalString("run_id").filter(s -> !s.isEmpty()).orElse(null);
        Lineage lineage = runId == null ? Lineage.NONE : new Lineage(runId, null, null, null);
        Outcome outcome = writes.send(new ModelCommand.RegisterVersion(newId(), name, source,
                in.optionalString("description").orElse(null), Map.of(), Map.of(), lineage, in.tags("tags"), false,
                in.principal()));
        int version = outcome.first(VersionRegistered.class).map(VersionRegistered::version).orElseThrow(() ->
                new MlflowException(MlflowErrorCode.INTERNAL_ERROR, "The registry accepted the new version of '"
                        + name + "' but reported no version number; search the model's versions to find it."));
        return MlflowJson.wrap("model_version", MlflowJson.modelVersion(reads.version(name, version)));
    }

    /** Replaces the description; without one the version is left as it is (as in MLflow). */
    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name", resourceInBody = "name")
    @Patch(uris = {API_PREFIX + MV + "/update", AJAX_API_PREFIX + MV + "/update"},
            consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowUpdateModelVersion",
            summary = "Replace a version's description",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MlflowApiDocs.JSON,
                    schema = @Schema(implementation = MlflowApiDocs.UpdateModelVersion.class))),
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> update(@Parameter(hidden = true) HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        String name = in.requiredString("name");
        int version = in.requiredVersion("version");
        Optional<String> description = in.optionalString("description");
        if (description.isPresent()) {
            writes.send(new ModelCommand.UpdateVersionDescription(newId(), name, version, description.get(),
                    in.principal()));
        }
        return MlflowJson.wrap("model_version", MlflowJson.modelVersion(reads.version(name, version)));
    }

    @RequiresPermission(value = Permission.READ, resource = "name", resourceInBody = "name")
    @Get(uris = {API_PREFIX + MV + "/get", AJAX_API_PREFIX + MV + "/get"}, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowGetModelVersion",
            summary = "One model version",
            parameters = {
                    @Parameter(name = "name", in = ParameterIn.QUERY, required = true,
                            description = MlflowApiDocs.NAME_DESCRIPTION,
                            schema = @Schema(type = "string")),
                    @Parameter(name = "version", in = ParameterIn.QUERY, required = true,
                            description = MlflowApiDocs.VERSION_DESCRIPTION,
                            schema = @Schema(type = "string", pattern = MlflowApiDocs.VERSION))},
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> get(@Parameter(hidden = true) HttpRequest<?> request) {
        MlflowRequest in = MlflowRequest.of(request, null);
        ModelVersionView v = reads.version(in.requiredString("name"), in.requiredVersion("version"));
        return MlflowJson.wrap("model_version", MlflowJson.modelVersion(v));
    }

    @RequiresPermission(value = Permission.READ, resource = "name", resourceInBody = "name")
    @Get(uris = {API_PREFIX + MV + "/get-download-uri", AJAX_API_PREFIX + MV + "/get-download-uri"},
            produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowGetModelVersionDownloadUri",
            summary = "Where a version's files are",
            parameters = {
                    @Parameter(name = "name", in = ParameterIn.QUERY, required = true,
                            description = MlflowApiDocs.NAME_DESCRIPTION,
                            schema = @Schema(type = "string")),
                    @Parameter(name = "version", in = ParameterIn.QUERY, required = true,
                            description = MlflowApiDocs.VERSION_DESCRIPTION,
                            schema = @Schema(type = "string", pattern = MlflowApiDocs.VERSION))},
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> downloadUri(@Parameter(hidden = true) HttpRequest<?> request) {
        MlflowRequest in = MlflowRequest.of(request, null);
        ModelVersionView v = reads.version(in.requiredString("name"), in.requiredVersion("version"));
        return MlflowJson.wrap("artifact_uri", v.source() == null ? "" : v.source());
    }

    @RequiresPermission(Permission.READ)
    @Get(uris = {API_PREFIX + MV + "/search", AJAX_API_PREFIX + MV + "/search"}, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowSearchModelVersions",
            summary = "Search model versions",
            parameters = {
                    @Parameter(name = "filter", in = ParameterIn.QUERY,
                            description = "comparisons joined by AND, e.g. name = 'churn'",
                            schema = @Schema(type = "string")),
                    @Parameter(name = "max_results", in = ParameterIn.QUERY,
                            description = "1 to 200000 (default 10000)",
                            schema = @Schema(type = "integer", minimum = "1", maximum = "200000")),
                    @Parameter(name = "order_by", in = ParameterIn.QUERY,
                            description = "e.g. version_number DESC; repeat for several",
                                    explode = io.swagger.v3.oas.annotations.enums.Explode.TRUE,
                            array = @ArraySchema(schema = @Schema(type = "string"))),
                    @Parameter(name = "page_token", in = ParameterIn.QUERY,
                            description = "the previous page's next_page_token",
                            schema = @Schema(type = "string"))},
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> search(@Parameter(hidden = true) HttpRequest<?> request) {
        MlflowRequest in = MlflowRequest.of(request, null, "order_by");
        SearchPage<ModelVersionView> page = reads.searchVersions(in.optionalString("filter").orElse(null),
                in.optionalLong("max_results").orElse(null), in.stringList("order_by"),
                in.optionalString("page_token").orElse(null));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_versions", page.items().stream().map(MlflowJson::modelVersion).toList());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name", resourceInBody = "name")
    @Post(uris = {API_PREFIX + MV + "/transition-stage", AJAX_API_PREFIX + MV + "/transition-stage"},
            consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowTransitionModelVersionStage",
            summary = "Move a version to a stage",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MlflowApiDocs.JSON,
                    schema = @Schema(implementation = MlflowApiDocs.TransitionStage.class))),
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> transitionStage(@Parameter(hidden = true) HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        String name = in.requiredString("name");
        int version = in.requiredVersion("version");
        writes.send(new ModelCommand.TransitionStage(newId(), name, version,
                MlflowReads.stage(in.requiredString("stage")),
                in.optionalBoolean("archive_existing_versions").orElse(false), in.principal()));
        return MlflowJson.wrap("model_version", MlflowJson.modelVersion(reads.version(name, version)));
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name", resourceInBody = "name")
    @Post(uris = {API_PREFIX + MV + "/set-tag", AJAX_API_PREFIX + MV + "/set-tag"},
            consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowSetModelVersionTag",
            summary = "Set a tag of a version",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MlflowApiDocs.JSON,
                    schema = @Schema(implementation = MlflowApiDocs.SetModelVersionTag.class))),
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> setTag(@Parameter(hidden = true) HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        writes.send(new ModelCommand.SetVersionTag(newId(), in.requiredString("name"), in.requiredVersion("version"),
                in.requiredString("key"), in.optionalString("value").orElse(""), in.principal()));
        return Map.of();
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name", resourceInBody = "name")
    @Delete(uris = {API_PREFIX + MV + "/delete-tag", AJAX_API_PREFIX + MV + "/delete-tag"},
            consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowDeleteModelVersionTag",
            summary = "Remove a tag of a version",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MlflowApiDocs.JSON,
                    schema = @Schema(implementation = MlflowApiDocs.DeleteModelVersionTag.class))),
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> deleteTag(@Parameter(hidden = true) HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        writes.send(new ModelCommand.DeleteVersionTag(newId(), in.requiredString("name"),
                in.requiredVersion("version"), in.requiredString("key"), in.principal()));
        return Map.of();
    }

    @RequiresPermission(value = Permission.APPROVE, resource = "name", resourceInBody = "name")
    @Delete(uris = {API_PREFIX + MV + "/delete", AJAX_API_PREFIX + MV + "/delete"},
            consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowDeleteModelVersion",
            summary = "Refused: the registry keeps every version",
            responses = {@ApiResponse(responseCode = "501",
                    description = "NOT_IMPLEMENTED by design (docs/mlflow-compatibility.md)"),
                    @ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> delete() {
        throw new MlflowException(MlflowErrorCode.NOT_IMPLEMENTED, "Deleting a model version is not supported: "
                + "Drover's registry is event-sourced and keeps every version in the model's history. Archive it "
                + "instead with POST model-versions/transition-stage {\"stage\": \"Archived\"}.");
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
