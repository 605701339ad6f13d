package dev.drover.scheduler.api;

import dev.drover.platform.openapi.OpenApiFragment;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * The scheduler's part of {@code GET /api/v1/openapi.yaml}: the document generated from this module's controllers,
 * with the pipeline spec's JSON Schema as the component {@code PipelineSpec} (one definition of the format).
 */
@Factory
@Requires(property = "drover.scheduler.enabled", value = "true")
class SchedulerOpenApi {

    @Singleton
    @Named("scheduler")
    OpenApiFragment schedulerFragment() {
        return new OpenApiFragment("scheduler", OpenApiFragment.generated("drover-scheduler"),
                Map.of("PipelineSpec", "pipeline.schema.json"));
    }
}
