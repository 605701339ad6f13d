package dev.drover.platform.security;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.ServerHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The second half of the enforcement point, for a write that names its pipeline or model only in the body (a spec's
 * {@code id}, an MLflow request's {@code name}) from a caller whose grants of the permission are all scoped:
 * {@link AccessFilter} leaves the decision {@link #PENDING} on the request; this filter reads a copy of the body as
 * it arrives (the route reads the original) and decides again with the name found there. Every other request passes
 * straight on. A separate filter because only this case waits for the body, and waiting must not block the event
 * loop, while every other request is decided at once.
 */
// only the methods that carry a body: a GET never waits here, and never pays for the asynchronous filter
@ServerFilter(value = ServerFilter.MATCH_ALL_PATTERN, methods = {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
        HttpMethod.DELETE})
@Requires(property = "drover.security.enabled", notEquals = "false")
public class BodyNamedAccessFilter implements Ordered {
    static final String PENDING = "drover.access.pending-body-name";

    /** What {@link AccessFilter} knew when it left the decision to the body. */
    record Pending(String attempt, Authentication authentication, RouteRules.Rule rule) {
    }

    private final AccessFilter access;

    public BodyNamedAccessFilter(AccessFilter access) {
        this.access = access;
    }

    /** Whether this filter runs for requests of {@code method}: only for those the pending decision may be left to. */
    static boolean reads(HttpMethod method) {
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH
                || method == HttpMethod.DELETE;
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 51; // right after AccessFilter, still before the input guard
    }

    @RequestFilter
    public CompletableFuture<HttpRequest<?>> check(HttpRequest<?> request) {
        Optional<Pending> found = request.getAttribute(PENDING, Pending.class);
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(request);
        }
        Pending pending = found.get();
        if (!(request instanceof ServerHttpRequest<?> server)) {
            return CompletableFuture.failedFuture(refusal(request, pending, null));
        }
        return server.byteBody().split().buffer().thenApply(body -> {
            String named;
            try (body) {
                named = BodyFields.topLevelText(body.toByteArray(), request.getContentType().orElse(null),
                        pending.rule().resourceInBody());
            }
            Access decision = Access.decide(pending.authentication(), pending.rule().permission(), named);
            HttpResponse<?> refused = access.outcome(request, pending.attempt(), pending.authentication(),
                    pending.rule(), decision, named != null);
            if (refused != null) {
                throw new AccessRefusal(refused);
            }
            return request;
        });
    }

    private AccessRefusal refusal(HttpRequest<?> request, Pending pending, String named) {
        return new AccessRefusal(access.outcome(request, pending.attempt(), pending.authentication(), pending.rule(),
                Access.decide(pending.authentication(), pending.rule().permission(), named), named != null));
    }
}
