package dev.drover.registry.api;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.registry.RegistryRuntime;
import dev.drover.registry.core.MetricDirection;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.PromotionCriteria;
import dev.drover.registry.readmodel.AliasChangeRequestView;
import dev.drover.registry.readmodel.AliasView;
import dev.drover.registry.readmodel.ModelEventView;
import dev.drover.registry.readmodel.ReadCache;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.drover.registry.api.RegistryWrites.IDEMPOTENCY_HEADER;
import static dev.drover.registry.api.RegistryWrites.PRINCIPAL_HEADER;
import static dev.drover.registry.api.RequestBodies.read;
import static dev.drover.registry.api.RequestBodies.required;

/**
 * Aliases of a registered model: where they point, moving and removing them, their history, rollback, protection,
 * champion/challenger promotion and the approvals protected aliases wait for. See docs/registry-api.md.
 */
@Controller("/api/v1/models/{name}")
@Tag(name = "aliases")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.registry.enabled", value = "true")
public class AliasController {
    private static final Set<String> STATUSES = Set.of("PENDING", "APPROVED", "REJECTED");
    private final RegistryWrites writes;
    private final RegistryQueries queries;
    private final ReadCache cache;

    AliasController(RegistryWrites writes, RegistryQueries queries, RegistryRuntime runtime) {
        this.writes = writes;
        this.queries = queries;
        this.cache = runtime.readCache();
    }

    /** The hot path of model serving: one indexed query, cached until the model's next event is projected. */
    @RequiresPermission(value = Permission.READ, resource = "name")
    @Get(uri = "/aliases/{alias}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getAlias",
            summary = "Where an alias points (the serving hot path)")
    AliasView get(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                  @Parameter(schema = @Schema(pattern = ApiDocs.ALIAS)) @PathVariable String alias) {
        return alias(name, alias);
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name")
    @Put(uri = "/aliases/{alias}", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "setAlias",
            summary = "Point an alias at a version (a protected alias waits for approval)",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.SetAlias.class))),
            responses = {@ApiResponse(responseCode = "200", description = "moved"),
                    @ApiResponse(responseCode = "202", description = "protected: a request waits for approval")})
    HttpResponse<Object> set(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                             @Parameter(schema = @Schema(pattern = ApiDocs.ALIAS)) @PathVariable String alias,
                             @Nullable @Body String body,
                             @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION, schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                             @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                     schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.SetAlias request = read(body, RegistryRequests.SetAlias.class, null);
        int version = required(request.version(), "version", "the version number the alias should point at");
        RegistryWrites.Written written = writes.write(new ModelCommand.SetAlias(
                RegistryWrites.commandId(idempotencyKey), name, alias, version, request.reason(),
                RegistryWrites.principal(principal)));
        return movedOrPending(name, alias, written);
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name")
    @Delete(uri = "/aliases/{alias}", consumes = MediaType.ALL)
    @Operation(operationId = "deleteAlias",
            summary = "Remove an alias",
            requestBody = @RequestBody(required = false, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.Reason.class))),
            responses = @ApiResponse(responseCode = "204", description = "removed"))
    HttpResponse<Object> delete(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                                @Parameter(schema = @Schema(pattern = ApiDocs.ALIAS)) @PathVariable String alias,
                                @Nullable @Body String body,
                                @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION,
                                        schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                                @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                        schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.Reason request = read(body, RegistryRequests.Reason.class, RegistryRequests.Reason.NONE);
        writes.write(new ModelCommand.DeleteAlias(RegistryWrites.commandId(idempotencyKey), name, alias,
                request.reason(), RegistryWrites.principal(principal)));
        return HttpResponse.noContent();
    }

    @RequiresPermission(value = Permission.READ, resource = "name")
    @Get(uri = "/aliases/{alias}/history", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getAliasHistory",
            summary = "Every move of an alias, oldest first")
    Map<String, Object> history(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                                @Parameter(schema = @Schema(pattern = ApiDocs.ALIAS)) @PathVariable String alias) {
        if (queries.model(name).isEmpty()) {
            throw ModelController.modelNotFound(name);
        }
        return Map.of("changes", queries.aliasHistory(name, alias));
    }

    @RequiresPermission(value = Permission.APPROVE, resource = "name")
    @Post(uri = "/aliases/{alias}/rollback", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "rollbackAlias",
            summary = "Move an alias back to the version that held it before",
            requestBody = @RequestBody(required = false, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.Reason.class))),
            responses = {@ApiResponse(responseCode = "200", description = "moved"),
                    @ApiResponse(responseCode = "202", description = "protected: a request waits for approval")})
    HttpResponse<Object> rollback(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                                  @Parameter(schema = @Schema(pattern = ApiDocs.ALIAS)) @PathVariable String alias,
                                  @Nullable @Body String body,
                                  @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION,
                                          schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                                  @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                          schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.Reason request = read(body, RegistryRequests.Reason.class, RegistryRequests.Reason.NONE);
        RegistryWrites.Written written = writes.write(new ModelCommand.RollbackAlias(
                RegistryWrites.commandId(idempotencyKey), name, alias, request.reason(),
                RegistryWrites.principal(principal)));
        return movedOrPending(name, alias, written);
    }

    @RequiresPermission(value = Permission.APPROVE, resource = "name")
    @Post(uri = "/aliases/{alias}/protection", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "protectAlias",
            summary = "Protect an alias: moves then need approval",
            requestBody = @RequestBody(required = false, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.Reason.class))))
    Map<String, Object> protect(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                                @Parameter(schema = @Schema(pattern = ApiDocs.ALIAS)) @PathVariable String alias,
                                @Nullable @Body String body,
                                @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION,
                                        schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                                @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                        schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.Reason request = read(body, RegistryRequests.Reason.class, RegistryRequests.Reason.NONE);
        writes.write(new ModelCommand.ProtectAlias(RegistryWrites.commandId(idempotencyKey), name, alias,
                request.reason(), RegistryWrites.principal(principal)));
        return protection(name, alias);
    }

    @RequiresPermission(value = Permission.APPROVE, resource = "name")
    @Delete(uri = "/aliases/{alias}/protection", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "unprotectAlias",
            summary = "Stop protecting an alias")
    Map<String, Object> unprotect(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                                  @Parameter(schema = @Schema(pattern = ApiDocs.ALIAS)) @PathVariable String alias,
                                  @Nullable @Body String body,
            @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION, schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                                  @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                          schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.Reason request = read(body, RegistryRequests.Reason.class, RegistryRequests.Reason.NONE);
        writes.write(new ModelCommand.UnprotectAlias(RegistryWrites.commandId(idempotencyKey), name, alias,
                request.reason(), RegistryWrites.principal(principal)));
        return protection(name, alias);
    }

    @RequiresPermission(value = Permission.MODEL_WRITE, resource = "name")
    @Post(uri = "/promotions", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "promoteVersion",
            summary = "Move an alias to a challenger if its metric is better",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.Promotion.class))))
    Map<String, Object> promote(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                                @Nullable @Body String body,
                                @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION,
                                        schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                                @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                        schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.Promotion request = read(body, RegistryRequests.Promotion.class, null);
        int version = required(request.version(), "version", "the challenger's version number");
        String metric = required(request.metric(), "metric", "the metric to compare, e.g. \"auc\"");
        String directionName = required(request.direction(), "direction", "\"greater\" or \"smaller\" (is better)");
        MetricDirection direction;
        try {
            direction = MetricDirection.valueOf(directionName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_argument", "direction '" + directionName
                    + "' is unknown", "use \"greater\" (greater is better) or \"smaller\"");
        }
        String alias = request.alias() == null ? ModelCommand.CHAMPION : request.alias();
        PromotionCriteria criteria = new PromotionCriteria(metric, direction,
                request.minAbsoluteImprovement() == null ? 0 : request.minAbsoluteImprovement(),
                request.minRelativeImprovement() == null ? 0 : request.minRelativeImprovement());
        RegistryWrites.Written written = writes.write(new ModelCommand.PromoteIfBetter(
                RegistryWrites.commandId(idempotencyKey), name, alias, version, criteria,
                RegistryWrites.principal(principal), measured(request.measured())));

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("outcome", "UNCHANGED");
        out.put("alias", alias);
        out.put("version", version);
        for (ModelEventView e : queries.eventsOfCommand(written.commandId())) {
            if (!(e.payload() instanceof Map<?, ?> p)) {
                continue;
            }
            switch (e.type()) {
                case "AliasMoved" -> out.put("outcome", "PROMOTED");
                case "PromotionDeclined" -> out.put("outcome", "DECLINED");
                case "AliasChangeRequested" -> {
                    out.put("outcome", "PENDING_APPROVAL");
                    out.put("request", queries.aliasChangeRequest(name, written.commandId()).orElse(null));
                }
                default -> {
                    continue;
                }
            }
            out.put("evaluation", evaluation(p.get("evaluation")));
        }
        return out;
    }

    @RequiresPermission(value = Permission.READ, resource = "name")
    @Get(uri = "/approvals", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listApprovals",
            summary = "Requests to move protected aliases, oldest first")
    Map<String, Object> approvals(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                                  @Parameter(description = "only requests with this status (case-insensitive); all "
                                          + "when absent", schema = @Schema(allowableValues = {"PENDING", "APPROVED",
                                          "REJECTED"}))
                                  @Nullable @QueryValue String status) {
        String s = status == null ? null : status.toUpperCase(Locale.ROOT);
        if (s != null && !STATUSES.contains(s)) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_argument", "status '" + status + "' is unknown",
                    "use one of PENDING, APPROVED, REJECTED, or leave it out for all");
        }
        if (queries.model(name).isEmpty()) {
            throw ModelController.modelNotFound(name);
        }
        return Map.of("requests", queries.aliasChangeRequests(name, s));
    }

    @RequiresPermission(value = Permission.APPROVE, resource = "name")
    @Post(uri = "/approvals/{requestId}/approve", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "approveAliasChange",
            summary = "Approve a requested alias move (not by its requester)",
            requestBody = @RequestBody(required = false, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.Comment.class))))
    AliasView approve(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                      @PathVariable String requestId,
                      @Nullable @Body String body,
                      @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION, schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                      @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                              schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.Comment request = read(body, RegistryRequests.Comment.class, RegistryRequests.Comment.NONE);
        writes.write(new ModelCommand.ApproveAliasChange(RegistryWrites.commandId(idempotencyKey), name, requestId,
                request.comment(), RegistryWrites.principal(principal)));
        return alias(name, request(name, requestId).alias());
    }

    @RequiresPermission(value = Permission.APPROVE, resource = "name")
    @Post(uri = "/approvals/{requestId}/reject", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "rejectAliasChange",
            summary = "Reject a requested alias move",
            requestBody = @RequestBody(required = false, content = @Content(mediaType = ApiDocs.JSON,
                    schema = @Schema(implementation = RegistryRequests.Comment.class))))
    AliasChangeRequestView reject(@Parameter(schema = @Schema(pattern = ApiDocs.NAME)) @PathVariable String name,
                                  @PathVariable String requestId,
                                  @Nullable @Body String body,
            @Parameter(description = ApiDocs.PRINCIPAL_DESCRIPTION, schema = @Schema(maxLength = 200))
            @Nullable @Header(PRINCIPAL_HEADER) String principal,
                                  @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                          schema = @Schema(minLength = 1, maxLength = 200))
            @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey) {
        RegistryRequests.Comment request = read(body, RegistryRequests.Comment.class, RegistryRequests.Comment.NONE);
        writes.write(new ModelCommand.RejectAliasChange(RegistryWrites.commandId(idempotencyKey), name, requestId,
                request.comment(), RegistryWrites.principal(principal)));
        return request(name, requestId);
    }

    // ---- answers

    /** 200 with the alias, or 202 with the request when the alias is protected and the move waits for approval. */
    private HttpResponse<Object> movedOrPending(String name, String alias, RegistryWrites.Written written) {
        boolean requested = !written.unchanged() && queries.eventsOfCommand(written.commandId()).stream()
                .anyMatch(e -> e.type().equals("AliasChangeRequested"));
        if (requested) {
            return HttpResponse.accepted().body(Map.of("pendingRequest", request(name, written.commandId())));
        }
        return HttpResponse.ok(alias(name, alias));
    }

    private Map<String, Object> protection(String name, String alias) {
        boolean isProtected = queries.model(name).orElseThrow(() -> ModelController.modelNotFound(name))
                .protectedAliases().contains(alias);
        return Map.of("alias", alias, "protected", isProtected);
    }

    private AliasView alias(String name, String alias) {
        Optional<AliasView> found = cache.get(name, "alias/" + alias, () -> queries.alias(name, alias));
        if (found.isPresent()) {
            return found.get();
        }
        if (queries.model(name).isEmpty()) {
            throw ModelController.modelNotFound(name);
        }
        throw ApiException.of(HttpStatus.NOT_FOUND, "alias_not_found", "model '" + name + "' has no alias '"
                + alias + "'", "set it with PUT /api/v1/models/" + name + "/aliases/" + alias + " {\"version\": n}");
    }

    private AliasChangeRequestView request(String name, String requestId) {
        return queries.aliasChangeRequest(name, requestId).orElseThrow(() -> ApiException.of(HttpStatus.NOT_FOUND,
                "approval_not_found", "model '" + name + "' has no request '" + requestId + "'",
                "list its requests with GET /api/v1/models/" + name + "/approvals"));
    }

    /** The core's evaluation (as logged) in the API's words: the alias's current version is the holder. */
    private static dev.drover.registry.core.MeasuredComparison measured(RegistryRequests.Measured m) {
        if (m == null) {
            return null;
        }
        if (m.challengerValue() == null) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_argument", "measured.challengerValue is missing",
                    "give the challenger's value of the metric on the evaluation data (and the champion's, with "
                            + "its version, if a version holds the alias)");
        }
        String data = m.evaluationData();
        if (data != null && data.length() > 4000) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_argument", "measured.evaluationData has "
                    + data.length() + " characters", "name the evaluation data in at most 4000 characters");
        }
        return new dev.drover.registry.core.MeasuredComparison(m.challengerValue(), m.championVersion(),
                m.championValue(), data, m.runId(), m.driftReportId());
    }

    private static Map<String, Object> evaluation(Object logged) {
        if (!(logged instanceof Map<?, ?> m)) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("challengerVersion", m.get("challengerVersion"));
        out.put("challengerValue", m.get("challengerValue"));
        out.put("holderVersion", m.get("championVersion"));
        out.put("holderValue", m.get("championValue"));
        out.put("absoluteImprovement", m.get("absoluteImprovement"));
        out.put("relativeImprovement", m.get("relativeImprovement"));
        out.put("promote", m.get("promote"));
        out.put("explanation", m.get("explanation"));
        out.put("criteria", m.get("criteria"));
        out.put("measured", m.get("measured"));
        out.put("evaluationData", m.get("evaluationData"));
        out.put("runId", m.get("runId"));
        out.put("driftReportId", m.get("driftReportId"));
        return out;
    }
}
