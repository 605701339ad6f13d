package dev.drover.registry.admin;

import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.registry.RegistryRuntime;
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

/** Operations of the registry: rebuild its read model from the log; see what its decision loop owns. */
@Controller("/api/v1/admin/registry")
@Tag(name = "admin")
@Requires(property = "drover.registry.enabled", value = "true")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RegistryAdminController {
    private final RegistryRuntime runtime;

    RegistryAdminController(RegistryRuntime runtime) {
        this.runtime = runtime;
    }

    @RequiresPermission(Permission.ADMIN)
    @Post("/read-model/rebuild")
    @Operation(operationId = "rebuildRegistryReadModel",
            summary = "Empty the registry read model and project the whole log again",
            responses = @ApiResponse(responseCode = "202", description = "rebuilding"))
    HttpResponse<Map<String, Object>> rebuild() {
        runtime.projector().rebuild();
        return HttpResponse.accepted().body(Map.of("rebuilding", true,
                "message", "registry read model emptied and being projected again from the beginning of the log"));
    }

    /** The records the read model could not project, set aside with their errors (docs/operations.md). */
    @RequiresPermission(Permission.ADMIN)
    @Get("/read-model/quarantine")
    @Operation(operationId = "listRegistryQuarantine", summary = "Records the read model set aside")
    Map<String, Object> quarantine() {
        return QuarantineViews.list(runtime.projector().projector());
    }

    /** Applies quarantined records again after a fix: the one named, or all of them. */
    @RequiresPermission(Permission.ADMIN)
    @Post("/read-model/quarantine/replay")
    @Operation(operationId = "replayRegistryQuarantine", summary = "Apply quarantined records again")
    Map<String, Object> replay(@Nullable @Body QuarantineViews.ReplayRequest request) {
        return QuarantineViews.replay(runtime.projector().projector(), request);
    }

    @RequiresPermission(Permission.ADMIN)
    @Get
    @Operation(operationId = "getRegistryStatus", summary = "Whether the registry loop runs, what it owns")
    Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("processing", runtime.loop().processing());
        out.put("ownedPartitions", runtime.loop().ownedPartitions());
        out.put("commandsDecided", runtime.loop().commandsDecided());
        out.put("quarantinedEventRecords", runtime.projector().projector().quarantined());
        return out;
    }
}
