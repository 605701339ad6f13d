package dev.drover.registry.api;

import dev.drover.platform.openapi.OpenApiFragment;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.Map;

/** The registry's part of {@code GET /api/v1/openapi.yaml}: the document generated from this module's controllers. */
@Factory
@Requires(property = "drover.registry.enabled", value = "true")
class RegistryOpenApi {

    @Singleton
    @Named("registry")
    OpenApiFragment registryFragment() {
        return new OpenApiFragment("model-registry", OpenApiFragment.generated("drover-registry"), Map.of());
    }
}
