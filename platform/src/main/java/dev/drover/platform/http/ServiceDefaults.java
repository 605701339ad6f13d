package dev.drover.platform.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration every Drover service starts from, before its own: what the platform's HTTP side needs the same
 * everywhere. Each service's {@code defaults()} begins with these.
 */
public final class ServiceDefaults {
    private ServiceDefaults() {
    }

    public static Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        // /health says why it is what it is: the read models' quarantines, the loops (docs/operations.md)
        p.put("endpoints.health.details-visible", "ANONYMOUS");
        // /beans cannot serialise this application's bean graph (it answers 500), and says nothing an operator needs
        p.put("endpoints.beans.enabled", false);
        return p;
    }
}
