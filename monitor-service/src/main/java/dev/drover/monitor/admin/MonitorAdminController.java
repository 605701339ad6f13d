package dev.drover.monitor.admin;

import dev.drover.monitor.MonitorRuntime;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
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
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.Map;

/** Operations of the monitor: rebuild its read model from the log; see what its loops are doing. */
@Controller("/api/v1/admin/monitor")
@Tag(name = "admin")
@Requires(property = "drover.monitor.enabled", value = "true")
@ExecuteOn(TaskExecutors.BLOCKING)
public class MonitorAdminController {
    private final MonitorRuntime runtime;

    MonitorAdminController(MonitorRuntime runtime) {
        this.runtime = runtime;
    }

    @RequiresPermission(Permission.ADMIN)
    @Post("/read-model/rebuild")
    @Operation(operationId = "rebuildMonitorReadModel",
            summary = "Empty the monitor read model and project the whole log again",
            responses = @ApiResponse(responseCode = "202", description = "rebuilding"))
    HttpResponse<Map<String, Object>> rebuild() {
        runtime.projector().rebuild();
        return HttpResponse.accepted().body(Map.of("rebuilding", true,
                "message", "monitor read model emptied and being projected again from the beginning of the log"));
    }

    /** The records the read model could not project, set aside with their errors (docs/operations.md). */
    @RequiresPermission(Permission.ADMIN)
    @Get("/read-model/quarantine")
    @Operation(operationId = "listMonitorQuarantine", summary = "Records the read model set aside")
    Map<String, Object> quarantine() {
        return QuarantineViews.list(runtime.projector().projector());
    }

    /** Applies quarantined records again after a fix: the one named, or all of them. */
    @RequiresPermission(Permission.ADMIN)
    @Post("/read-model/quarantine/replay")
    @Operation(operationId = "replayMonitorQuarantine", summary = "Apply quarantined records again")
    Map<String, Object> replay(@Nullable @Body QuarantineViews.ReplayRequest request) {
        return QuarantineViews.replay(runtime.projector().projector(), request);
    }

    @RequiresPermission(Permission.ADMIN)
    @Get
    @Operation(operationId = "getMonitorStatus", summary = "Whether the monitor loops run, what they did")
    Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("processing", runtime.loop().processing());
        out.put("ownedPartitions", runtime.loop().ownedPartitions());
        out.put("commandsDecided", runtime.loop().commandsDecided());
        out.put("windowCommandsAppended", runtime.windows().commandsAppended());
        out.put("windowRecordsDeadLettered", runtime.windows().deadLettered());
        out.put("predictionsRead", runtime.windows().predictionsRead());
        out.put("unmonitoredRecords", runtime.windows().unmonitoredRecords());
        out.put("webhookFailures", runtime.webhooks().failed());
        out.put("quarantinedEventRecords", runtime.projector().projector().quarantined());
        return out;
    }
}
