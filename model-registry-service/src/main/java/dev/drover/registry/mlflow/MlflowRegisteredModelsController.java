package dev.drover.registry.mlflow;

import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.registry.core.ModelCommand;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.drover.registry.mlflow.MlflowRoutes.AJAX_API_PREFIX;
import static dev.drover.registry.mlflow.MlflowRoutes.API_PREFIX;

/**
 * MLflow's registered-model endpoints ({@code /api/2.0/mlflow/registered-models/...}), served from the registry's
 * core (writes) and read model (reads). See docs/mlflow-compatibility.md.
 */
@Controller
@Tag(name = "mlflow")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.registry.enabled", value = "true")
public class MlflowRegisteredModelsController {
    private static final String RM = "/registered-models";

    private final MlflowReads reads;
    private final MlflowWrites writes;

    MlflowRegisteredModelsController(MlflowReads reads, MlflowWrites writes) {
        this.reads = reads;
        this.writes = writes;
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name", resourceInBody = "name")
    @Post(uris = {API_PREFIX + RM + "/create", AJAX_API_PREFIX + RM + "/create"},
            consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowCreateRegisteredModel",
            summary = "Create a registered model",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MlflowApiDocs.JSON,
                    schema = @Schema(implementation = MlflowApiDocs.CreateRegisteredModel.class))),
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> create(@Parameter(hidden = true) HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        String name = in.requiredString("name");
        writes.send(new ModelCommand.CreateModel(newId(), name, in.optionalString("description").orElse(null),
                in.tags("tags"), in.principal()));
        return MlflowJson.wrap("registered_model", MlflowJson.registeredModel(reads.model(name)));
    }

    /** Replaces the description (absent: none, as MLflow's server then stores an empty one). */
    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name", resourceInBody = "name")
    @Patch(uris = {API_PREFIX + RM + "/update", AJAX_API_PREFIX + RM + "/update"},
            consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowUpdateRegisteredModel",
            summary = "Replace a registered model's description",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MlflowApiDocs.JSON,
                    schema = @Schema(implementation = MlflowApiDocs.UpdateRegisteredModel.class))),
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> update(@Parameter(hidden = true) HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        String name = in.requiredString("name");
        writes.send(new ModelCommand.UpdateModelDescription(newId(), name,
                in.optionalString("description").orElse(null), in.principal()));
        return MlflowJson.wrap("registered_model", MlflowJson.registeredModel(reads.model(name)));
    }

    @RequiresPermission(value = Permission.READ, resource = "name", resourceInBody = "name")
    @Get(uris = {API_PREFIX + RM + "/get", AJAX_API_PREFIX + RM + "/get"}, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowGetRegisteredModel",
            summary = "One registered model",
            parameters = {
                    @Parameter(name = "name", in = ParameterIn.QUERY, required = true,
                            description = MlflowApiDocs.NAME_DESCRIPTION,
                            schema = @Schema(type = "string"))},
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> get(@Parameter(hidden = true) HttpRequest<?> request) {
        MlflowRequest in = MlflowRequest.of(request, null);
        return MlflowJson.wrap("registered_model", MlflowJson.registeredModel(reads.model(in.requiredString("name"))));
    }

    @RequiresPermission(Permission.READ)
    @Get(uris = {API_PREFIX + RM + "/search", AJAX_API_PREFIX + RM + "/search"},
            produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowSearchRegisteredModels",
            summary = "Search registered models",
            parameters = {
                    @Parameter(name = "filter", in = ParameterIn.QUERY,
                            description = "comparisons joined by AND, e.g. name LIKE 'churn%'",
                            schema = @Schema(type = "string")),
                    @Parameter(name = "max_results", in = ParameterIn.QUERY, description = "1 to 1000 (default 100)",
                            schema = @Schema(type = "integer", minimum = "1", maximum = "1000")),
                    @Parameter(name = "order_by", in = ParameterIn.QUERY,
                            description = "e.g. name ASC; repeat for several",
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
        SearchPage<RegisteredModelView> page = reads.searchModels(in.optionalString("filter").orElse(null),
                in.optionalLong("max_results").orElse(null), in.stringList("order_by"),
                in.optionalString("page_token").orElse(null));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("registered_models", page.items().stream().map(MlflowJson::registeredModel).toList());
        if (page.nextPageToken() != null) {
            out.put("next_page_token", page.nextPageToken());
        }
        return out;
    }

    @RequiresPermission(value = Permission.READ, resource = "name", resourceInBody = "name")
    @Get(uris = {API_PREFIX + RM + "/get-latest-versions", AJAX_API_PREFIX + RM + "/get-latest-versions"},
            produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowGetLatestVersions",
            summary = "The newest version in each stage",
            parameters = {
                    @Parameter(name = "name", in = ParameterIn.QUERY, required = true,
                            description = MlflowApiDocs.NAME_DESCRIPTION,
                            schema = @Schema(type = "string")),
                    @Parameter(name = "stages", in = ParameterIn.QUERY,
                            description = "stages to look in; none: every stage",
                                    explode = io.swagger.v3.oas.annotations.enums.Explode.TRUE,
                            array = @ArraySchema(schema = @Schema(type = "string")))},
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> latestVersions(@Parameter(hidden = true) HttpRequest<?> request) {
        return latestVersions(MlflowRequest.of(request, null, "stages"));
    }

    @RequiresPermission(value = Permission.READ, resource = "name", resourceInBody = "name")
    @Post(uris = {API_PREFIX + RM + "/get-latest-versions", AJAX_API_PREFIX + RM + "/get-latest-versions"},
            consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowGetLatestVersionsByPost",
            summary = "The newest version in each stage",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MlflowApiDocs.JSON,
                    schema = @Schema(implementation = MlflowApiDocs.GetLatestVersions.class))),
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> latestVersionsByPost(@Parameter(hidden = true) HttpRequest<?> request,
                                             @Nullable @Body String body) {
        return latestVersions(MlflowRequest.of(request, body, "stages"));
    }

    private Map<String, Object> latestVersions(MlflowRequest in) {
        List<ModelVersionView> versions = reads.latestVersions(in.requiredString("name"), in.stringList("stages"));
        return MlflowJson.wrap("model_versions", versions.stream().map(MlflowJson::modelVersion).toList());
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name", resourceInBody = "name")
    @Post(uris = {API_PREFIX + RM + "/set-tag", AJAX_API_PREFIX + RM + "/set-tag"},
            consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowSetRegisteredModelTag",
            summary = "Set a tag of a registered model",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MlflowApiDocs.JSON,
                    schema = @Schema(implementation = MlflowApiDocs.SetRegisteredModelTag.class))),
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> setTag(@Parameter(hidden = true) HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        writes.send(new ModelCommand.SetModelTag(newId(), in.requiredString("name"), in.requiredString("key"),
                in.optionalString("value").orElse(""), in.principal()));
        return Map.of();
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name", resourceInBody = "name")
    @Delete(uris = {API_PREFIX + RM + "/delete-tag", AJAX_API_PREFIX + RM + "/delete-tag"},
            consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowDeleteRegisteredModelTag",
            summary = "Remove a tag of a registered model",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MlflowApiDocs.JSON,
                    schema = @Schema(implementation = MlflowApiDocs.DeleteRegisteredModelTag.class))),
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> deleteTag(@Parameter(hidden = true) HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        writes.send(new ModelCommand.DeleteModelTag(newId(), in.requiredString("name"), in.requiredString("key"),
                in.principal()));
        return Map.of();
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name", resourceInBody = "name")
    @Post(uris = {API_PREFIX + RM + "/alias", AJAX_API_PREFIX + RM + "/alias"},
            consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowSetAlias",
            summary = "Point an alias at a version",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MlflowApiDocs.JSON,
                    schema = @Schema(implementation = MlflowApiDocs.SetAlias.class))),
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> setAlias(@Parameter(hidden = true) HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        String name = in.requiredString("name");
        String alias = in.requiredString("alias");
        writes.send(new ModelCommand.SetAlias(newId(), name, alias, in.requiredVersion("version"), null,
                in.principal()));
        return Map.of();
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name", resourceInBody = "name")
    @Delete(uris = {API_PREFIX + RM + "/alias", AJAX_API_PREFIX + RM + "/alias"},
            consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowDeleteAlias",
            summary = "Remove an alias",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MlflowApiDocs.JSON,
                    schema = @Schema(implementation = MlflowApiDocs.DeleteAlias.class))),
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> deleteAlias(@Parameter(hidden = true) HttpRequest<?> request, @Nullable @Body String body) {
        MlflowRequest in = MlflowRequest.of(request, body);
        writes.send(new ModelCommand.DeleteAlias(newId(), in.requiredString("name"), in.requiredString("alias"),
                null, in.principal()));
        return Map.of();
    }

    @RequiresPermission(value = Permission.READ, resource = "name", resourceInBody = "name")
    @Get(uris = {API_PREFIX + RM + "/alias", AJAX_API_PREFIX + RM + "/alias"}, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowGetModelVersionByAlias",
            summary = "The version an alias points at",
            parameters = {
                    @Parameter(name = "name", in = ParameterIn.QUERY, required = true,
                            description = MlflowApiDocs.NAME_DESCRIPTION,
                            schema = @Schema(type = "string")),
                    @Parameter(name = "alias", in = ParameterIn.QUERY, required = true,
                            schema = @Schema(type = "string"))},
            responses = {@ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> getByAlias(@Parameter(hidden = true) HttpRequest<?> request) {
        MlflowRequest in = MlflowRequest.of(request, null);
        ModelVersionView version = reads.versionByAlias(in.requiredString("name"), in.requiredString("alias"));
        return MlflowJson.wrap("model_version", MlflowJson.modelVersion(version));
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name", resourceInBody = "name")
    @Post(uris = {API_PREFIX + RM + "/rename", AJAX_API_PREFIX + RM + "/rename"},
            consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowRenameRegisteredModel",
            summary = "Refused: the registry keeps every model under its name",
            responses = {@ApiResponse(responseCode = "501",
                    description = "NOT_IMPLEMENTED by design (docs/mlflow-compatibility.md)"),
                    @ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> rename() {
        throw new MlflowException(MlflowErrorCode.NOT_IMPLEMENTED, "Renaming a registered model is not supported: "
                + "Drover's registry keeps every model's history under its name, and a name is how lineage and "
                + "aliases refer to it. Create a model under the new name and register the versions there; archive "
                + "the old model's versions with model-versions/transition-stage (stage Archived).");
    }

    @RequiresPermission(value = Permission.APPROVE, resource = "name", resourceInBody = "name")
    @Delete(uris = {API_PREFIX + RM + "/delete", AJAX_API_PREFIX + RM + "/delete"},
            consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "mlflowDeleteRegisteredModel",
            summary = "Refused: the registry keeps every model's history",
            responses = {@ApiResponse(responseCode = "501",
                    description = "NOT_IMPLEMENTED by design (docs/mlflow-compatibility.md)"),
                    @ApiResponse(responseCode = "4XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                    content = @Content(mediaType = MlflowApiDocs.JSON,
                            schema = @Schema(implementation = MlflowError.class))),
                    @ApiResponse(responseCode = "5XX", description = MlflowApiDocs.ERROR_DESCRIPTION,
                            content = @Content(mediaType = MlflowApiDocs.JSON,
                                    schema = @Schema(implementation = MlflowError.class)))})
    Map<String, Object> delete() {
        throw new MlflowException(MlflowErrorCode.NOT_IMPLEMENTED, "Deleting a registered model is not supported: "
                + "Drover's registry is event-sourced and keeps every model's history. Archive its versions with "
                + "model-versions/transition-stage (stage Archived) and delete its aliases with DELETE "
                + "registered-models/alias instead.");
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
