package dev.drover.executor;

import dev.drover.platform.http.ServiceDefaults;
import io.micronaut.runtime.Micronaut;

import java.util.LinkedHashMap;
import java.util.Map;

/** Runs one executor process. The standalone distribution runs it with the other services from {@link #defaults()}. */
public final class ExecutorApplication {
    private ExecutorApplication() {
    }

    /** The configuration that switches the executor on. */
    public static Map<String, Object> defaults() {
        Map<String, Object> p = new LinkedHashMap<>(ServiceDefaults.properties());
        p.put("drover.executor.enabled", true);
        return p;
    }

    public static void main(String[] args) {
        Map<String, Object> p = defaults();
        p.put("micronaut.server.port", "${drover.executor.port:8081}");
        p.put("micronaut.application.name", "drover-executor");
        Micronaut.build(args).mainClass(ExecutorApplication.class).properties(p).start();
    }
}
