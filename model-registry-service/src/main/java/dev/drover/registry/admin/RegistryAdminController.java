package dev.drover.registry.admin;

import dev.drover.registry.RegistryRuntime;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;

import java.util.LinkedHashMap;
import java.util.Map;

/** Operations of the registry: rebuild its read model from the log; see what its decision loop owns. */
@Controller("/api/v1/admin/registry")
@Requires(property = "drover.registry.enabled", value = "true")
public class RegistryAdminController {
    private final RegistryRuntime runtime;

    RegistryAdminController(RegistryRuntime runtime) {
        this.runtime = runtime;
    }

    @Post("/read-model/rebuild")
    HttpResponse<Map<String, Object>> rebuild() {
        runtime.projector().rebuild();
        return HttpResponse.accepted().body(Map.of("rebuilding", true,
                "message", "registry read model emptied and being projected again from the beginning of the log"));
    }

    @Get
    Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("processing", runtime.loop().processing());
        out.put("ownedPartitions", runtime.loop().ownedPartitions());
        out.put("commandsDecided", runtime.loop().commandsDecided());
        out.put("skippedEventRecords", runtime.projector().skippedRecords());
        return out;
    }
}
