package dev.drover.scheduler.api;

import dev.drover.scheduler.SchedulerRuntime;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;

import java.util.LinkedHashMap;
import java.util.Map;

/** Operations: rebuild the read models from the log; see what the decision loop owns. */
@Controller("/api/v1/admin")
@Requires(property = "drover.scheduler.enabled", value = "true")
public class AdminController {
    private final SchedulerRuntime runtime;

    AdminController(SchedulerRuntime runtime) {
        this.runtime = runtime;
    }

    @Post("/read-models/rebuild")
    HttpResponse<Map<String, Object>> rebuild() {
        runtime.projector().rebuild();
        return HttpResponse.accepted().body(Map.of("rebuilding", true,
                "message", "read models emptied and being projected again from the beginning of the log"));
    }

    @Get("/scheduler")
    Map<String, Object> scheduler() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("processing", runtime.loop().processing());
        out.put("ownedPartitions", runtime.loop().ownedPartitions());
        out.put("commandsDecided", runtime.loop().commandsDecided());
        return out;
    }
}
