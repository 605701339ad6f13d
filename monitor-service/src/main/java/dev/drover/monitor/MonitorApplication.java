package dev.drover.monitor;

import io.micronaut.runtime.Micronaut;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the monitor service. For now it only boots and answers health checks ({@code GET /health}); drift monitoring
 * is issue #4.
 */
public final class MonitorApplication {
    private MonitorApplication() {
    }

    /** The configuration that switches the monitor on. */
    public static Map<String, Object> defaults() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("drover.monitor.enabled", true);
        return p;
    }

    public static void main(String[] args) {
        Map<String, Object> p = defaults();
        p.put("micronaut.server.port", "${drover.monitor.port:8083}");
        p.put("micronaut.application.name", "drover-monitor");
        Micronaut.build(args).mainClass(MonitorApplication.class).properties(p).start();
    }
}
