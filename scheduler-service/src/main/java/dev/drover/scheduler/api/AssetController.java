package dev.drover.scheduler.api;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.input.RequestRules;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Assets (data-aware scheduling): list them, read their updates, publish an external update. See docs/assets.md. */
@Controller("/api/v1/assets")
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
    public record UpdateRequest(@Nullable String uri, @Nullable Map<String, Object> extra) {
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    List<Map<String, Object>> list() {
        return queries.assets();
    }

    @Get(uri = "/updates", produces = MediaType.APPLICATION_JSON)
    List<Map<String, Object>> updates(@Nullable @QueryValue String uri, @Nullable @QueryValue Integer limit,
                                      @Nullable @QueryValue String position) {
        writes.awaitProjected(position);
        return queries.updates(uri, RequestRules.limit(limit, 100, 1000));
    }

    @Post(uri = "/updates", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    HttpResponse<Map<String, Object>> publish(@Nullable @Body UpdateRequest request,
                                              @Nullable @Header(IDEMPOTENCY_HEADER) String idempotencyKey,
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
