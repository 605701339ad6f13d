package dev.drover.registry;

import io.micronaut.runtime.Micronaut;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the model-registry service. For now it only boots and answers health checks ({@code GET /health}); the
 * registry itself is issue #3.
 */
public final class RegistryApplication {
    private RegistryApplication() {
    }

    /** The configuration that switches the registry on. */
    public static Map<String, Object> defaults() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("drover.registry.enabled", true);
        return p;
    }

    public static void main(String[] args) {
        Map<String, Object> p = defaults();
        p.put("micronaut.server.port", "${drover.registry.port:8082}");
        p.put("micronaut.application.name", "drover-model-registry");
        Micronaut.build(args).mainClass(RegistryApplication.class).properties(p).start();
    }
}
