package dev.drover.monitor.api;

import dev.drover.platform.openapi.OpenApiFragment;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.Map;

/** The monitor's part of {@code GET /api/v1/openapi.yaml}: the document generated from this module's controllers. */
@Factory
@Requires(property = "drover.monitor.enabled", value = "true")
class MonitorOpenApi {

    @Singleton
    @Named("monitor")
    OpenApiFragment monitorFragment() {
        return new OpenApiFragment("monitor", OpenApiFragment.generated("drover-monitor"), Map.of());
    }
}
