package dev.drover.ui;

import dev.drover.platform.http.ServiceDefaults;
import io.micronaut.runtime.Micronaut;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the web UI on its own (docker-compose's {@code ui} service): it needs the services' REST addresses
 * ({@code drover.ui.*-url}) and Kafka (the identities its one enforcement point checks sessions against). The
 * standalone serves the UI on its own port.
 */
public final class UiApplication {
    private UiApplication() {
    }

    /** The configuration every service has (the UI has no database of its own: it reads the REST APIs). */
    public static Map<String, Object> defaults() {
        return new LinkedHashMap<>(ServiceDefaults.properties());
    }

    public static void main(String[] args) {
        Map<String, Object> p = defaults();
        p.putIfAbsent("micronaut.server.port", "${drover.ui.port:8080}");
        p.put("micronaut.application.name", "drover-ui");
        Micronaut.build(args).mainClass(UiApplication.class).properties(p).start();
    }
}
