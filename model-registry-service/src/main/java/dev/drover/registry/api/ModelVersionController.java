package dev.drover.registry.api;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.registry.core.FeatureSetRef;
import dev.drover.registry.core.Lineage;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.ModelStage;
import dev.drover.registry.readmodel.ModelEventView;
import dev.drover.registry.readmodel.ModelVersionView;
import dev.drover.registry.readmodel.Page;
import dev.drover.registry.readmodel.RegistryQueries;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.drover.registry.api.RegistryWrites.IDEMPOTENCY_HEADER;
import static dev.drover.registry.api.RegistryWrites.PRINCIPAL_HEADER;
import static dev.drover.registry.api.RequestBodies.read;
import static dev.drover.registry.api.RequestBodies.required;

/** Versions of a registered model: register, list, read, describe, tags, stage. See docs/registry-api.md. */
@Controller("/api/v1/models/{name}/versions")
@Tag(name = "versions")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.registry.enabled", value = "true")
public class ModelVersionController {
    private final RegistryWrites writes;
    private final RegistryQueries queries;

    ModelVersionController(RegistryWrites writes, RegistryQueries queries) {
        this.writes = writes;
        this.queries = queries;
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name")
    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "registerVersion",
            summary = "Register a version of a model",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.RegisterVersion.class))),
            responses = @ApiResponse(responseCode = "201", description = "registered"))
    HttpResponse<ModelVersionView> register(@Parameter(schema = @Schema(pattern = ApiDocs.NAME))
            @PathVariable String name,
                                            @Nullable @Body String body,
                                            @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION,
                                                    schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                                            @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                                    schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.RegisterVersion request = read(body, RegistryRequests.RegisterVersion.class, null);
        String artifact = required(request.artifactLocation(), "artifactLocation",
                "where the model's files are, e.g. \"s3://models/churn/7\"");
        RegistryWrites.Written written = writes.write(new ModelCommand.RegisterVersion(
                RegistryWrites.commandId(idempotencyKey), name, artifact, request.description(), request.params(),
                request.metrics(), lineage(request.lineage()), request.tags(),
                Boolean.TRUE.equals(request.createModelIfMissing()), RegistryWrites.principal(principal)));
        int version = -1;
        for (ModelEventView e : queries.eventsOfCommand(written.commandId())) {
            if (e.type().equals("VersionRegistered") && e.payload() instanceof Map<?, ?> p
                    && p.get("version") instanceof Number n) {
                version = n.intValue();
            }
        }
        return HttpResponse.created(version(name, version));
    }

    private static Lineage lineage(RegistryRequests.Lineage l) {
        if (l == null) {
            return Lineage.NONE;
        }
        FeatureSetRef featureSet = null;
        if (l.featureSet() != null) {
            featureSet = new FeatureSetRef(required(l.featureSet().name(), "lineage/featureSet/name",
                    "the feature set's name"), required(l.featureSet().version(), "lineage/featureSet/version",
                    "the feature-set version the model was trained on"));
        }
        return new Lineage(l.runId(), l.taskId(), l.codeVersion(), featureSet);
    }

    @RequiresPermission(value = Permission.READ, resource = "name")
    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listVersions",
            summary = "Versions of a model, newest first")
    Map<String, Object> list(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                             @Parameter(description = ApiDocs.LIMIT_DESCRIPTION, schema = @Schema(minimum = "1",
                                     maximum = "1000"))
            @Nullable @QueryValue Integer limit,
                             @Parameter(description = ApiDocs.PAGE_TOKEN_DESCRIPTION) @Nullable
                                     @QueryValue String pageToken) {
        if (queries.model(name).isEmpty()) {
            throw ModelController.modelNotFound(name);
        }
        Page<ModelVersionView> page = Paging.page(() -> queries.versions(name, Paging.limit(limit), pageToken));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("versions", page.items());
        out.put("nextPageToken", page.nextPageToken());
        return out;
    }

    @RequiresPermission(value = Permission.READ, resource = "name")
    @Get(uri = "/{version}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getVersion",
            summary = "One version of a model")
    ModelVersionView get(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                         @Parameter(schema = @Schema(pattern = ApiDocs.VERSION)) @PathVariable String version) {
        return version(name, number(version));
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name")
    @Patch(uri = "/{version}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateVersion",
            summary = "Replace a version's description",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.Description.class))))
    ModelVersionView update(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                            @Parameter(schema = @Schema(pattern = ApiDocs.VERSION)) @PathVariable String version,
                            @Nullable @Body String body,
                            @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION, schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                            @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                    schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        int v = number(version);
        RegistryRequests.Description request = read(body, RegistryRequests.Description.class, null);
        writes.write(new ModelCommand.UpdateVersionDescription(RegistryWrites.commandId(idempotencyKey), name, v,
                request.description(), RegistryWrites.principal(principal)));
        return version(name, v);
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name")
    @Put(uri = "/{version}/tags/{key}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "setVersionTag",
            summary = "Set a tag of a version",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.TagValue.class))))
    ModelVersionView setTag(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                            @Parameter(schema = @Schema(pattern = ApiDocs.VERSION)) @PathVariable String version,
                            @Parameter(schema = @Schema(pattern = ApiDocs.KEY)) @PathVariable String key,
                            @Nullable @Body String body,
            @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION, schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                            @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                    schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        int v = number(version);
        RegistryRequests.TagValue request = read(body, RegistryRequests.TagValue.class, null);
        String value = required(request.value(), "value", "the tag's value (a string)");
        writes.write(new ModelCommand.SetVersionTag(RegistryWrites.commandId(idempotencyKey), name, v, key, value,
                RegistryWrites.principal(principal)));
        return version(name, v);
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name")
    @Delete(uri = "/{version}/tags/{key}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "deleteVersionTag",
            summary = "Remove a tag of a version")
    ModelVersionView deleteTag(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                               @Parameter(schema = @Schema(pattern = ApiDocs.VERSION)) @PathVariable String version,
                               @Parameter(schema = @Schema(pattern = ApiDocs.KEY)) @PathVariable String key,
                               @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION,
                                       schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                               @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                       schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        int v = number(version);
        writes.write(new ModelCommand.DeleteVersionTag(RegistryWrites.commandId(idempotencyKey), name, v, key,
                RegistryWrites.principal(principal)));
        return version(name, v);
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name")
    @Post(uri = "/{version}/stage", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "transitionVersionStage",
            summary = "Move a version to a stage",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.Stage.class))))
    ModelVersionView transition(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                                @Parameter(schema = @Schema(pattern = ApiDocs.VERSION)) @PathVariable String version,
                                @Nullable @Body String body,
            @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION, schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                                @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                        schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        int v = number(version);
        RegistryRequests.Stage request = read(body, RegistryRequests.Stage.class, null);
        String stageName = required(request.stage(), "stage", "one of None, Staging, Production, Archived");
        ModelStage stage = ModelStage.fromMlflowName(stageName).orElseThrow(() -> ApiException.of(
                HttpStatus.BAD_REQUEST, "invalid_argument", "stage '" + stageName + "' is unknown",
                "use one of None, Staging, Production, Archived"));
        writes.write(new ModelCommand.TransitionStage(RegistryWrites.commandId(idempotencyKey), name, v, stage,
                Boolean.TRUE.equals(request.archiveExistingVersions()), RegistryWrites.principal(principal)));
        return version(name, v);
    }

    /** A version number from a path, or a 400 that says what a version number looks like. */
    static int number(String version) {
        try {
            int v = Integer.parseInt(version);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_argument", "'" + version
                + "' is not a version number", "versions are numbered 1, 2, 3 …");
    }

    private ModelVersionView version(String name, int version) {
        return queries.version(name, version).orElseThrow(() -> queries.model(name).isEmpty()
                ? ModelController.modelNotFound(name)
                : ApiException.of(HttpStatus.NOT_FOUND, "version_not_found", "model '" + name + "' has no version "
                        + version, "list its versions with GET /api/v1/models/" + name + "/versions"));
    }
}
