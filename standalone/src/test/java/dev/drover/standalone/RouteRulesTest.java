package dev.drover.standalone;

import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.platform.security.RouteRules;
import io.micronaut.http.HttpMethod;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route of the running application (all four services and the platform's, from Micronaut's own route table)
 * has a rule ({@link RouteRules}: its method's {@link RequiresPermission}, or the table of management endpoints),
 * so that the one enforcement point has a rule for each and a new endpoint cannot ship without one. Routes that
 * change something must ask for more than {@link Permission#READ} (but signing in and out); the only open routes
 * are the health endpoint's (by design: load balancers and orchestrators probe it without credentials) and the web
 * UI's sign-in page with its static files.
 */
class RouteRulesTest {
    /** Reads sent as POST because the API they copy does so (MLflow's REST API). */
    private static final Set<String> READS_BY_POST = Set.of(
            "POST /api/2.0/mlflow/registered-models/get-latest-versions",
            "POST /ajax-api/2.0/mlflow/registered-models/get-latest-versions");
    /** Writes that touch only the caller's own session: signing in and out (the API's and the web UI's). */
    private static final Set<String> OWN_SESSION = Set.of(
            "POST /api/v1/sessions", "DELETE /api/v1/sessions/{tokenId}", "POST /ui/sign-in", "POST /ui/sign-out");

    @TempDir
    static Path dataDir;
    static DroverStandalone drover;

    @BeforeAll
    static void start() throws Exception {
        drover = DroverStandalone.start(new DroverStandalone.Settings(dataDir, 0, 0, -1, dataDir, Map.of()));
    }

    @AfterAll
    static void stop() {
        if (drover != null) {
            drover.close();
        }
    }

    private static List<UriRouteInfo<?, ?>> routes() {
        return drover.context().getBean(Router.class).uriRoutes()
                .filter(r -> r.getHttpMethod() != HttpMethod.HEAD && r.getHttpMethod() != HttpMethod.OPTIONS)
                .<UriRouteInfo<?, ?>>map(r -> r)
                .toList();
    }

    private static String name(UriRouteInfo<?, ?> route) {
        return route.getHttpMethod() + " " + route.getUriMatchTemplate().toPathString();
    }

    private static boolean management(UriRouteInfo<?, ?> route) {
        return route.getTargetMethod().getAnnotationMetadata().hasStereotype(Endpoint.class);
    }

    private static Optional<RouteRules.Rule> rule(UriRouteInfo<?, ?> route) {
        return RouteRules.of(route.getTargetMethod().getAnnotationMetadata());
    }

    @Test
    void everyRouteDeclaresThePermissionItNeeds() {
        Set<String> without = new TreeSet<>();
        int ruled = 0;
        for (UriRouteInfo<?, ?> route : routes()) {
            if (rule(route).isPresent()) {
                ruled++;
            } else {
                without.add(name(route) + " (" + route.getTargetMethod().getDeclaringType().getSimpleName() + "."
                        + route.getTargetMethod().getMethodName() + ")");
            }
        }
        assertThat(without).as("routes without a rule: declare what each needs with @RequiresPermission on its "
                + "method, or, for a management endpoint, in RouteRules (docs/security.md)").isEmpty();
        assertThat(ruled).as("routes checked").isGreaterThan(100);
    }

    @Test
    void routesThatChangeSomethingNeedMoreThanRead() {
        Set<String> weak = new TreeSet<>();
        for (UriRouteInfo<?, ?> route : routes()) {
            if (route.getHttpMethod() != HttpMethod.GET
                    && rule(route).filter(r -> r.permission() == Permission.READ || r.open()).isPresent()
                    && !READS_BY_POST.contains(name(route)) && !OWN_SESSION.contains(name(route))) {
                weak.add(name(route));
            }
        }
        assertThat(weak).isEmpty();
    }

    @Test
    void theOnlyOpenRoutesAreTheHealthEndpoints() {
        Set<String> open = new TreeSet<>();
        for (UriRouteInfo<?, ?> route : routes()) {
            if (rule(route).filter(RouteRules.Rule::open).isPresent()) {
                open.add(name(route));
            }
        }
        // the health endpoint (probes), and what a browser needs to sign in (@PublicRoute)
        assertThat(open).containsExactly("GET /health", "GET /health/{selector}", "GET /ui/sign-in",
                "GET /ui/static/{name}", "POST /ui/sign-in");
    }

    @Test
    void routesThatNameAResourceNameOneTheRouteHas() {
        Set<String> wrong = new TreeSet<>();
        for (UriRouteInfo<?, ?> route : routes()) {
            String resource = route.getTargetMethod().getAnnotationMetadata()
                    .stringValue(RequiresPermission.class, "resource").orElse("");
            if (resource.isEmpty()) {
                continue;
            }
            if (management(route)) {
                continue;
            }
            boolean inPath = route.getUriMatchTemplate().getVariableNames().contains(resource);
            boolean parameter = java.util.Arrays.stream(route.getTargetMethod().getArguments())
                    .anyMatch(a -> a.getName().equals(resource));
            boolean mlflowName = route.getUriMatchTemplate().toPathString().contains("/mlflow/")
                    && resource.equals("name"); // MLflow routes carry the model's name in the query or the body
            if (!inPath && !parameter && !mlflowName) {
                wrong.add(name(route) + " names resource '" + resource + "'");
            }
        }
        assertThat(wrong).isEmpty();
    }
}
