package dev.drover.scheduler.api;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.input.RequestRules;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.scheduler.core.AssetTriggering;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent.AssetUpdated;
import dev.drover.scheduler.loop.CommandGateway.Outcome;
import dev.drover.scheduler.pipeline.AssetUris;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Assets (data-aware scheduling): list them, read their updates, publish an external update. See docs/assets.md. */
@Controller("/api/v1/assets")
@Tag(name = "assets")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.scheduler.enabled", value = "true")
public class AssetController {
    /** The header that makes a retried publish one update. */
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_:+./-]{1,200}");
    private final WriteOutcomes writes;
    private final AssetQueries queries;

    AssetController(WriteOutcomes writes, AssetQueries queries) {
        this.writes = writes;
        this.queries = queries;
    }

    /** An external asset update. */
    @Serdeable
    public record UpdateRequest(
            @Schema(description = "the asset's URI, as pipelines name it in their assets triggers",
                    example = "s3://warehouse/churn/2030-05-06", requiredMode = Schema.RequiredMode.REQUIRED)
            @Nullable String uri,
            @Schema(description = "anything the consumers should see with the update", type = "object",
                    additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
            @Nullable Map<String, Object> extra) {
    }

    @RequiresPermission(Permission.READ)
    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listAssets", summary = "Every asset updated or named by a pipeline")
    List<Map<String, Object>> list() {
        return queries.assets();
    }

    @RequiresPermission(Permission.READ)
    @Get(uri = "/updates", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listAssetUpdates", summary = "Asset updates, newest first")
    List<Map<String, Object>> updates(@Parameter(description = "only updates of this asset")
                                      @Nullable @QueryValue String uri,
                                      @Parameter(description = ApiDocs.LIMIT_DESCRIPTION,
                                              schema = @Schema(minimum = "1", maximum = "1000"))
                                      @Nullable @QueryValue Integer limit,
                                      @Parameter(description = ApiDocs.POSITION_DESCRIPTION,
                                              schema = @Schema(pattern = ApiDocs.POSITION))
                                      @Nullable @QueryValue String position) {
        writes.awaitProjected(position);
        return queries.updates(uri, RequestRules.limit(limit, 100, 1000));
    }

    @RequiresPermission(Permission.PUBLISH)
    @Post(uri = "/updates", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "publishAssetUpdate", summary = "An external system says an asset was updated",
            responses = @ApiResponse(responseCode = "202", description = "recorded"))
    HttpResponse<Map<String, Object>> publish(@Nullable @Body UpdateRequest request,
                                              @Parameter(description = ApiDocs.IDEMPOTENCY_DESCRIPTION,
                                                      schema = @Schema(pattern = "^[A-Za-z0-9_:+./-]{1,200}$"))
                                              @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey,
                                              @Parameter(description = ApiDocs.USER_DESCRIPTION)
                                              @Nullable @Header(PipelineController.USER_HEADER) String user) {
        String uri = request == null ? null : request.uri();
        Optional<String> problem = AssetUris.problem(uri);
        if (problem.isPresent()) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_asset_uri", problem.get(),
                    "send {\"uri\": \"s3://bucket/path\", \"extra\": {...}} with the URI the consuming pipelines list "
                            + "in their assets triggers");
        }
        if (idempotencyKey != null && !KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_idempotency_key", "Idempotency-Key '"
                    + idempotencyKey + "' may only hold letters, digits and _:+./- (at most 200)",
                    "use a simpler key, e.g. the id of the job that wrote the data");
        }
        String commandId = idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString();
        String principal = PipelineController.principal(user);
        Outcome outcome = writes.send(new SchedulerCommand.PublishAssetUpdate(commandId,
                AssetTriggering.EXTERNAL_PIPELINE, uri, request.extra() == null ? Map.of() : request.extra(),
                principal), AssetTriggering.externalUpdateId(commandId), principal);
        AssetUpdated updated = (AssetUpdated) outcome.event().event();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("uri", updated.uri());
        out.put("updateId", updated.updateId());
        out.put("at", updated.at().toString());
        out.put("position", outcome.position());
        return HttpResponse.accepted().body(out);
    }
}
