package dev.drover.monitor;

import dev.drover.platform.http.ServiceDefaults;
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

    /**
     * The configuration that switches the monitor on, with its read-model database (overridable by environment
     * variables, e.g. {@code DROVER_MONITOR_DB_URL}).
     */
    public static Map<String, Object> defaults() {
        Map<String, Object> p = new LinkedHashMap<>(ServiceDefaults.properties());
        p.put("drover.monitor.enabled", true);
        p.put("datasources.monitor.url",
                "${drover.monitor.db.url:`jdbc:postgresql://localhost:5432/drover?currentSchema=monitor`}");
        p.put("datasources.monitor.username", "${drover.monitor.db.username:drover}");
        p.put("datasources.monitor.password", "${drover.monitor.db.password:drover}");
        p.put("datasources.monitor.driver-class-name", "org.postgresql.Driver");
        p.put("datasources.monitor.maximum-pool-size", 8);
        p.put("flyway.datasources.monitor.enabled", true);
        p.put("flyway.datasources.monitor.locations", "classpath:db/monitor");
        p.put("flyway.datasources.monitor.default-schema", "monitor");
        p.put("flyway.datasources.monitor.schemas", "monitor");
        p.put("flyway.datasources.monitor.create-schemas", true);
        return p;
    }

    public static void main(String[] args) {
        Map<String, Object> p = defaults();
        p.putIfAbsent("micronaut.server.port", "${drover.monitor.port:8083}");
        p.put("micronaut.application.name", "drover-monitor");
        Micronaut.build(args).mainClass(MonitorApplication.class).properties(p).start();
    }
}
