package dev.drover.scheduler.api;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.scheduler.core.Pools;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent.PoolDefined;
import dev.drover.scheduler.loop.CommandGateway.Outcome;
import dev.drover.scheduler.pipeline.Limits;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
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
import java.util.Map;
import java.util.UUID;

/**
 * Pools (Airflow's pools): named slot counts shared by every pipeline; a task names one with {@code pool:}. Create or
 * resize with PUT, read with GET. See docs/limits.md and docs/api.md.
 */
@Controller("/api/v1/pools")
@Tag(name = "pools")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = "drover.scheduler.enabled", value = "true")
public class PoolController {
    private final WriteOutcomes writes;
    private final PoolQueries queries;

    PoolController(WriteOutcomes writes, PoolQueries queries) {
        this.writes = writes;
        this.queries = queries;
    }

    /** The body of {@code PUT /api/v1/pools/{name}}, for the API description (the controller reads a map). */
    @Schema(name = "PoolDefinition", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    record PoolDefinition(
            @Schema(description = "how many attempts may hold a slot at once; 0 pauses the pool", minimum = "0",
                    maximum = "100000", requiredMode = Schema.RequiredMode.REQUIRED) int slots,
            @Schema(description = "what the pool stands for") @Nullable String description) {
    }

    @RequiresPermission(Permission.ADMIN)
    @Put(uri = "/{name}", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "definePool", summary = "Create or resize a pool",
            requestBody = @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PoolDefinition.class))))
    HttpResponse<Map<String, Object>> define(@Parameter(schema = @Schema(pattern = ApiDocs.POOL))
                                             @PathVariable String name, @Nullable @Body Map<String, Object> body,
                                             @Parameter(description = ApiDocs.USER_DESCRIPTION)
                                             @Nullable @Header(PipelineController.USER_HEADER) String user) {
        if (!Limits.POOL.matcher(name).matches()) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_pool", "'" + name + "' is not a valid pool name",
                    "use 1 to 63 lowercase letters, digits, _ and -, starting with a letter or digit, e.g. gpu");
        }
        String example = "send a JSON body like {\"slots\": 4, \"description\": \"the A100 boxes\"}";
        if (body == null || !body.containsKey("slots")) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_pool", "the body must give `slots`, how many "
                    + "attempts may hold a slot of the pool at once", example);
        }
        Object slots = body.get("slots");
        if (!(slots instanceof Integer || slots instanceof Long) || ((Number) slots).longValue() < 0
                || ((Number) slots).longValue() > Limits.MAX_SLOTS) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_pool", "slots must be a whole number from 0 to "
                    + Limits.MAX_SLOTS + " (0 pauses the pool), got " + slots, example);
        }
        Object description = body.getOrDefault("description", "");
        if (description != null && !(description instanceof String)) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_pool", "description must be a string", example);
        }
        List<String> unknown = body.keySet().stream().filter(k -> !k.equals("slots") && !k.equals("description"))
                .toList();
        if (!unknown.isEmpty()) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_pool", "unknown key(s) " + unknown
                    + "; a pool has only slots and description", example);
        }
        String principal = PipelineController.principal(user);
        Outcome outcome = writes.send(new SchedulerCommand.DefinePool(UUID.randomUUID().toString(), name,
                ((Number) slots).intValue(), description == null ? "" : (String) description, principal),
                Pools.key(name), principal);
        PoolDefined defined = (PoolDefined) outcome.event().event();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", defined.pool());
        out.put("slots", defined.slots());
        out.put("description", defined.description());
        out.put("position", outcome.position());
        return HttpResponse.ok(out);
    }

    @RequiresPermission(Permission.READ)
    @Get(produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "listPools", summary = "Every pool with its occupancy")
    List<Map<String, Object>> list(@Parameter(description = ApiDocs.POSITION_DESCRIPTION,
            schema = @Schema(pattern = ApiDocs.POSITION)) @Nullable @QueryValue String position) {
        writes.awaitProjected(position);
        return queries.pools();
    }

    @RequiresPermission(Permission.READ)
    @Get(uri = "/{name}", produces = MediaType.APPLICATION_JSON)
    @Operation(operationId = "getPool", summary = "One pool: who holds its slots and who waits")
    Map<String, Object> get(@Parameter(schema = @Schema(pattern = ApiDocs.POOL)) @PathVariable String name,
                            @Parameter(description = ApiDocs.POSITION_DESCRIPTION,
                                    schema = @Schema(pattern = ApiDocs.POSITION))
                            @Nullable @QueryValue String position) {
        writes.awaitProjected(position);
        return queries.pool(name).orElseThrow(() -> ApiException.of(HttpStatus.NOT_FOUND, "unknown_pool",
                "pool '" + name + "' does not exist", "create it with PUT /api/v1/pools/" + name
                        + " {\"slots\": N}, or list pools with GET /api/v1/pools"));
    }
}
