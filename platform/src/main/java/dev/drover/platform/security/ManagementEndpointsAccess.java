package dev.drover.platform.security;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.management.endpoint.EndpointSensitivityProcessor;
import io.micronaut.management.endpoint.EndpointsFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * With Drover's enforcement point on, it decides for the management endpoints too ({@link RouteRules}: the health
 * endpoint open, {@code info} for readers, the rest for admins). Micronaut's own sensitive-endpoint filter, which
 * without micronaut-security refuses every sensitive endpoint to everyone (admins included), steps aside; with
 * security off it stays, and keeps them closed.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Replaces(EndpointsFilter.class)
@Requires(property = "drover.security.enabled", notEquals = "false")
public class ManagementEndpointsAccess extends EndpointsFilter {

    public ManagementEndpointsAccess(EndpointSensitivityProcessor sensitivity) {
        super(sensitivity);
    }

    @Override
    @Nullable
    public HttpResponse<?> doFilter(HttpRequest<?> request) {
        return null; // AccessFilter has decided
    }
}
