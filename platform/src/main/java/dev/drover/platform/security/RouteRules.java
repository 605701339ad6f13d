package dev.drover.platform.security;

import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.management.endpoint.annotation.Endpoint;

import java.util.Map;
import java.util.Optional;

/**
 * The rule of a route, as the one enforcement point reads it: the route's own {@link RequiresPermission} for
 * Drover's controllers, and a fixed table for the framework's management endpoints, where the health endpoint is the
 * only open one (load balancers and orchestrators probe it without credentials). A route with no rule has none to
 * find here: it is closed, and the standalone's {@code RouteRulesTest} fails until it declares one.
 */
public final class RouteRules {

    /**
     * What a route needs: nothing ({@link #OPEN}), or a permission, perhaps on the resource a parameter names (up to
     * {@code resourceEndsBefore}) or a body field names ({@code resourceInBody}), or with any scope
     * ({@code anyScope}); see {@link RequiresPermission}.
     */
    public record Rule(Permission permission, String resource, String resourceEndsBefore, String resourceInBody,
                       boolean anyScope, boolean page) {
        /** The health endpoint and the {@link PublicRoute}s. */
        public static final Rule OPEN = new Rule(null, "");

        public Rule(Permission permission, String resource) {
            this(permission, resource, "", "", false, false);
        }

        public boolean open() {
            return permission == null;
        }
    }

    /** Management endpoints by id: {@code info} is readable by any reader, the rest (beans, routes, …) by admins. */
    private static final Map<String, Rule> MANAGEMENT = Map.of(
            "health", Rule.OPEN,
            "info", new Rule(Permission.READ, ""),
            "beans", new Rule(Permission.ADMIN, ""),
            "routes", new Rule(Permission.ADMIN, ""),
            "threaddump", new Rule(Permission.ADMIN, ""),
            "refresh", new Rule(Permission.ADMIN, ""),
            "flyway", new Rule(Permission.ADMIN, ""),
            "loggers", new Rule(Permission.ADMIN, ""),
            "env", new Rule(Permission.ADMIN, ""));

    private RouteRules() {
    }

    /** The rule of the route whose target method has this metadata, or nothing when it has none. */
    public static Optional<Rule> of(AnnotationMetadata target) {
        if (target.hasStereotype(Endpoint.class)) {
            return target.stringValue(Endpoint.class)
                    .or(() -> target.stringValue(Endpoint.class, "id"))
                    .map(MANAGEMENT::get);
        }
        if (target.hasAnnotation(PublicRoute.class)) {
            return Optional.of(Rule.OPEN);
        }
        return target.enumValue(RequiresPermission.class, Permission.class)
                .map(p -> new Rule(p, target.stringValue(RequiresPermission.class, "resource").orElse(""),
                        target.stringValue(RequiresPermission.class, "resourceEndsBefore").orElse(""),
                        target.stringValue(RequiresPermission.class, "resourceInBody").orElse(""),
                        target.booleanValue(RequiresPermission.class, "anyScope").orElse(false),
                        target.booleanValue(RequiresPermission.class, "page").orElse(false)));
    }
}
