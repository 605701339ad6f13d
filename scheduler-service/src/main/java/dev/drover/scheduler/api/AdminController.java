package dev.drover.scheduler.api;

import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.scheduler.SchedulerRuntime;
import io.micronaut.context.annotation.Requires;
import dev.drover.platform.readmodel.QuarantineViews;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
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

/** Operations: rebuild the read models from the log; see what the decision loop owns. */
@Controller("/api/v1/admin")
@Tag(name = "admin")
@Requires(property = "drover.scheduler.enabled", value = "true")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AdminController {
    private final SchedulerRuntime runtime;

    AdminController(SchedulerRuntime runtime) {
        this.runtime = runtime;
    }

    @RequiresPermission(Permission.ADMIN)
    @Post("/read-models/rebuild")
    @Operation(operationId = "rebuildSchedulerReadModels",
            summary = "Empty every read model of the scheduler and project the whole log again",
            responses = @ApiResponse(responseCode = "202", description = "rebuilding"))
    HttpResponse<Map<String, Object>> rebuild() {
        runtime.projector().rebuild();
        return HttpResponse.accepted().body(Map.of("rebuilding", true,
                "message", "read models emptied and being projected again from the beginning of the log"));
    }

    /** The records the read models could not project, set aside with their errors (docs/operations.md). */
    @RequiresPermission(Permission.ADMIN)
    @Get("/read-models/quarantine")
    @Operation(operationId = "listSchedulerQuarantine", summary = "Records the read model set aside")
    Map<String, Object> quarantine() {
        return QuarantineViews.list(runtime.projector().projector());
    }

    /** Applies quarantined records again after a fix: the one named, or all of them. */
    @RequiresPermission(Permission.ADMIN)
    @Post("/read-models/quarantine/replay")
    @Operation(operationId = "replaySchedulerQuarantine", summary = "Apply quarantined records again")
    Map<String, Object> replay(@Nullable @Body QuarantineViews.ReplayRequest request) {
        return QuarantineViews.replay(runtime.projector().projector(), request);
    }

    @RequiresPermission(Permission.ADMIN)
    @Get("/scheduler")
    @Operation(operationId = "getSchedulerStatus", summary = "Whether the decision loop runs, what it owns")
    Map<String, Object> scheduler() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("processing", runtime.loop().processing());
        out.put("ownedPartitions", runtime.loop().ownedPartitions());
        out.put("commandsDecided", runtime.loop().commandsDecided());
        return out;
    }
}
