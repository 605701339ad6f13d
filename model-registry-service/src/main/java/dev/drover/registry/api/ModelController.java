package dev.drover.registry.api;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.RetentionPolicy;
import dev.drover.registry.readmodel.ModelEventView;
import dev.drover.registry.readmodel.ModelView;
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

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.drover.registry.api.RegistryWrites.IDEMPOTENCY_HEADER;
import static dev.drover.registry.api.RegistryWrites.PRINCIPAL_HEADER;
import static dev.drover.registry.api.RequestBodies.read;
import static dev.drover.registry.api.RequestBodies.required;

/** Registered models: create, list, read, describe, tags, history, retention. See docs/registry-api.md. */
@Controller("/api/v1/models")
@Tag(name = "models")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.registry.enabled", value = "true")
public class ModelController {
    static final int DEFAULT_PAGE_SIZE = 100;
    private final RegistryWrites writes;
    private final RegistryQueries queries;

    ModelController(RegistryWrites writes, RegistryQueries queries) {
        this.writes = writes;
        this.queries = queries;
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resourceInBody = "name")
    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "createModel",
            summary = "Register a model",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.CreateModel.class))),
            responses = @ApiResponse(responseCode = "201", description = "created"))
    HttpResponse<ModelView> create(@Nullable @Body String body,
                                   @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION, schema =
                                           @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                                   @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                           schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.CreateModel request = read(body, RegistryRequests.CreateModel.class, null);
        String name = required(request.name(), "name", "the model's name, e.g. \"churn\"");
        writes.write(new ModelCommand.CreateModel(RegistryWrites.commandId(idempotencyKey), name,
                request.description(), request.tags(), RegistryWrites.principal(principal)));
        return HttpResponse.created(model(name));
    }

    @RequiresPermission(Permission.READ)
    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listModels",
            summary = "Models by name, a page at a time")
    Map<String, Object> list(@Nullable @QueryValue String nameLike,
                             @Parameter(description = ApiDocs.LIMIT_DESCRIPTION, schema = @Schema(minimum = "1",
                                     maximum = "1000"))
            @Nullable @QueryValue Integer limit,
                             @Parameter(description = ApiDocs.PAGE_TOKEN_DESCRIPTION) @Nullable
                                     @QueryValue String pageToken) {
        Page<ModelView> page = Paging.page(() -> queries.models(nameLike, Paging.limit(limit), pageToken));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("models", page.items());
        out.put("nextPageToken", page.nextPageToken());
        return out;
    }

    @RequiresPermission(value = Permission.READ, resource = "name")
    @Get(uri = "/{name}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getModel",
            summary = "One model with its aliases")
    ModelView get(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name) {
        return model(name);
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name")
    @Patch(uri = "/{name}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateModel",
            summary = "Replace a model's description",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.Description.class))))
    ModelView update(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                     @Nullable @Body String body,
                     @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION, schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                     @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                             schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.Description request = read(body, RegistryRequests.Description.class, null);
        writes.write(new ModelCommand.UpdateModelDescription(RegistryWrites.commandId(idempotencyKey), name,
                request.description(), RegistryWrites.principal(principal)));
        return model(name);
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name")
    @Put(uri = "/{name}/tags/{key}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "setModelTag",
            summary = "Set a tag of a model",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.TagValue.class))))
    ModelView setTag(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                     @Parameter(schema = @Schema(pattern = ApiDocs.KEY)) @PathVariable String key,
                     @Nullable @Body String body,
                     @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION, schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                     @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                             schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.TagValue request = read(body, RegistryRequests.TagValue.class, null);
        String value = required(request.value(), "value", "the tag's value (a string)");
        writes.write(new ModelCommand.SetModelTag(RegistryWrites.commandId(idempotencyKey), name, key, value,
                RegistryWrites.principal(principal)));
        return model(name);
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name")
    @Delete(uri = "/{name}/tags/{key}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "deleteModelTag",
            summary = "Remove a tag of a model")
    ModelView deleteTag(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                        @Parameter(schema = @Schema(pattern = ApiDocs.KEY)) @PathVariable String key,
                        @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION, schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                        @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        writes.write(new ModelCommand.DeleteModelTag(RegistryWrites.commandId(idempotencyKey), name, key,
                RegistryWrites.principal(principal)));
        return model(name);
    }

    @RequiresPermission(value = Permission.READ, resource = "name")
    @Get(uri = "/{name}/history", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getModelHistory",
            summary = "Every event of the model, in log order")
    Map<String, Object> history(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name) {
        model(name); // 404 for a model nobody created, even if commands about it were rejected
        return Map.of("events", queries.history(name));
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name")
    @Put(uri = "/{name}/retention", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "setRetentionPolicy",
            summary = "Set which versions retention keeps",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.Retention.class))))
    ModelView setRetention(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                           @Nullable @Body String body,
                           @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION, schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                           @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                   schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.Retention request = read(body, RegistryRequests.Retention.class, null);
        int keepLast = required(request.keepLastVersions(), "keepLastVersions",
                "how many of the newest versions to keep, e.g. 5");
        Duration newerThan = Duration.ZERO;
        if (request.keepNewerThan() != null) {
            try {
                newerThan = Duration.parse(request.keepNewerThan());
            } catch (DateTimeParseException e) {
                throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_argument", "keepNewerThan '"
                                + request.keepNewerThan() + "' is not an ISO-8601 duration",
                        "write it like P30D (30 days) or PT12H (12 hours)");
            }
        }
        writes.write(new ModelCommand.SetRetentionPolicy(RegistryWrites.commandId(idempotencyKey), name,
                new RetentionPolicy(keepLast, newerThan), RegistryWrites.principal(principal)));
        return model(name);
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name")
    @Post(uri = "/{name}/retention/apply", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "applyRetention",
            summary = "Archive the versions the retention policy does not keep")
    Map<String, Object> applyRetention(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                                       @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION,
                                               schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                                       @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                               schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryWrites.Written written = writes.write(new ModelCommand.ApplyRetention(
                RegistryWrites.commandId(idempotencyKey), name, RegistryWrites.principal(principal)));
        Object archived = List.of();
        for (ModelEventView e : queries.eventsOfCommand(written.commandId())) {
            if (e.type().equals("VersionsArchived") && e.payload() instanceof Map<?, ?> p) {
                archived = p.get("versions");
            }
        }
        return Map.of("archivedVersions", archived);
    }

    private ModelView model(String name) {
        return queries.model(name).orElseThrow(() -> modelNotFound(name));
    }

    static ApiException modelNotFound(String name) {
        return ApiException.of(HttpStatus.NOT_FOUND, "model_not_found", "there is no model '" + name + "'",
                "list models with GET /api/v1/models, or create it with POST /api/v1/models");
    }
}
