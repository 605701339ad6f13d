package dev.drover.monitor;

import io.micronaut.runtime.Micronaut;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the monitor service on its own (one process). The standalone distribution runs it together with the other
 * services from {@link #defaults()}.
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
        p.putIfAbsent("micronaut.server.port", "${drover.monitor.port:8083}");
        p.put("micronaut.application.name", "drover-monitor");
        Micronaut.build(args).mainClass(MonitorApplication.class).properties(p).start();
    }
}
