package dev.drover.scheduler;

import dev.drover.platform.http.ServiceDefaults;
import io.micronaut.runtime.Micronaut;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the scheduler service on its own (one process). The standalone distribution runs it together with the other
 * services from {@link #defaults()}.
 */
public final class SchedulerApplication {
    private SchedulerApplication() {
    }

    /**
     * The configuration that switches the scheduler on, with every setting overridable by environment variables
     * (e.g. {@code DROVER_KAFKA_BOOTSTRAP_SERVERS}, {@code DROVER_SCHEDULER_DB_URL}).
     */
    public static Map<String, Object> defaults() {
        Map<String, Object> p = new LinkedHashMap<>(ServiceDefaults.properties());
        p.put("drover.scheduler.enabled", true);
        p.put("datasources.scheduler.url",
                "${drover.scheduler.db.url:`jdbc:postgresql://localhost:5432/drover?currentSchema=scheduler`}");
        p.put("datasources.scheduler.username", "${drover.scheduler.db.username:drover}");
        p.put("datasources.scheduler.password", "${drover.scheduler.db.password:drover}");
        p.put("datasources.scheduler.driver-class-name", "org.postgresql.Driver");
        p.put("datasources.scheduler.maximum-pool-size", 8);
        p.put("flyway.datasources.scheduler.enabled", true);
        p.put("flyway.datasources.scheduler.locations", "classpath:db/scheduler");
        p.put("flyway.datasources.scheduler.default-schema", "scheduler");
        p.put("flyway.datasources.scheduler.schemas", "scheduler");
        p.put("flyway.datasources.scheduler.create-schemas", true);
        return p;
    }

    public static void main(String[] args) {
        Map<String, Object> p = defaults();
        p.putIfAbsent("micronaut.server.port", "${drover.scheduler.port:8080}");
        p.put("micronaut.application.name", "drover-scheduler");
        Micronaut.build(args).mainClass(SchedulerApplication.class).properties(p).start();
    }
}
