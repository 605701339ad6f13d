package dev.drover.platform.openapi;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.core.reflect.ClassUtils;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * The platform's own parts of the document: {@code GET /api/v1/openapi.yaml} (generated from
 * {@link OpenApiController}) and micronaut-management's endpoints, which every service has (written by hand in
 * {@code management.yml} and {@code flyway.yml}: they are no controllers the annotation processor could read).
 */
@Factory
class PlatformOpenApi {

    @Singleton
    @Named("platform")
    OpenApiFragment platformFragment() {
        return new OpenApiFragment("platform", OpenApiFragment.generated("drover-platform"), Map.of());
    }

    @Singleton
    @Named("management")
    OpenApiFragment managementFragment() {
        return new OpenApiFragment("management", "dev/drover/platform/openapi/management.yml", Map.of());
    }

    @Singleton
    @Named("flyway")
    @Requires(condition = FlywayEndpointPresent.class)
    OpenApiFragment flywayFragment() {
        return new OpenApiFragment("flyway", "dev/drover/platform/openapi/flyway.yml", Map.of());
    }

    /** micronaut-flyway (and so its {@code /flyway} endpoint) is on the classpath: the services with a database. */
    static final class FlywayEndpointPresent implements Condition {
        @Override
        public boolean matches(ConditionContext context) {
            return ClassUtils.isPresent("io.micronaut.flyway.endpoint.FlywayEndpoint",
                    PlatformOpenApi.class.getClassLoader());
        }
    }
}
