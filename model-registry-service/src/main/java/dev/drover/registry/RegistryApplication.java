package dev.drover.registry;

import dev.drover.platform.http.ServiceDefaults;
import io.micronaut.runtime.Micronaut;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the model-registry service on its own (one process). The standalone distribution runs it together with the
 * other services from {@link #defaults()}.
 */
public final class RegistryApplication {
    private RegistryApplication() {
    }

    /**
     * The configuration that switches the registry on, with every setting overridable by environment variables
     * (e.g. {@code DROVER_KAFKA_BOOTSTRAP_SERVERS}, {@code DROVER_REGISTRY_DB_URL}).
     */
    public static Map<String, Object> defaults() {
        Map<String, Object> p = new LinkedHashMap<>(ServiceDefaults.properties());
        p.put("drover.registry.enabled", true);
        p.put("datasources.registry.url",
                "${drover.registry.db.url:`jdbc:postgresql://localhost:5432/drover?currentSchema=registry`}");
        p.put("datasources.registry.username", "${drover.registry.db.username:drover}");
        p.put("datasources.registry.password", "${drover.registry.db.password:drover}");
        p.put("datasources.registry.driver-class-name", "org.postgresql.Driver");
        p.put("datasources.registry.maximum-pool-size", 8);
        p.put("flyway.datasources.registry.enabled", true);
        p.put("flyway.datasources.registry.locations", "classpath:db/registry");
        p.put("flyway.datasources.registry.default-schema", "registry");
        p.put("flyway.datasources.registry.schemas", "registry");
        p.put("flyway.datasources.registry.create-schemas", true);
        return p;
    }

    public static void main(String[] args) {
        Map<String, Object> p = defaults();
        p.putIfAbsent("micronaut.server.port", "${drover.registry.port:8082}");
        p.put("micronaut.application.name", "drover-model-registry");
        Micronaut.build(args).mainClass(RegistryApplication.class).properties(p).start();
    }
}
