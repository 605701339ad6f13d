package dev.drover.platform.security;

import dev.drover.platform.http.ApiError;
import dev.drover.platform.security.identity.Identities;
import dev.drover.platform.security.jwt.JwtSettings;
import dev.drover.platform.security.jwt.JwtVerifier;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.MethodBasedRouteInfo;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.RouteInfo;
import io.micronaut.web.router.RouteMatch;
import io.micronaut.web.router.UriRouteMatch;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one enforcement point of every service: for each request, the rule of its route ({@link RouteRules}), the
 * caller proved from its {@code Authorization} header against the identities this instance knows
 * ({@link Authenticator}), and the decision ({@link Access}) — 401 {@code unauthenticated} or 403 {@code forbidden}
 * with the usual JSON error, or on with the principal recorded on the request ({@link Principals}).
 *
 * <p>Runs before everything that reads the request but the outermost error shapers. A request that matches no route
 * is let through to be answered 404: there is nothing behind it to protect.
 *
 * <p>Password checks are slow by design (bcrypt), and MLflow clients send Basic credentials with every request: a
 * credential proved once is remembered (by its SHA-256) until the identities change, so a revocation still takes
 * effect with the next event. Failed password sign-ins are limited per client address and account
 * ({@code failed-sign-ins-per-minute}); over it, 429 {@code too_many_sign_in_attempts} until the minute is over.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = "drover.security.enabled", notEquals = "false")
public class AccessFilter implements Ordered {
    private static final String CHALLENGE = "Bearer realm=\"drover\", Basic realm=\"drover\"";
    private final IdentityRuntime identities;
    private final Authenticator authenticator;
    private final int failuresPerMinute;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private volatile Identities provedAgainst;
    private volatile Map<String, Authentication.Authenticated> proved = new ConcurrentHashMap<>();
    /** Each route's rule, looked up once: annotation metadata is not free on every request. */
    private final Map<RouteInfo<?>, Optional<RouteRules.Rule>> rules = new ConcurrentHashMap<>();

    public AccessFilter(IdentityRuntime identities, PasswordHasher passwords, JwtSettings jwt) {
        this.identities = identities;
        this.authenticator = new Authenticator(passwords, jwt.enabled() ? new JwtVerifier(jwt) : null);
        this.failuresPerMinute = identities.settings().getFailedSignInsPerMinute();
    }

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 50; // before the input guard (+100): no body is read for a caller who may not
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> check(HttpRequest<?> request) {
        Optional<RouteMatch<?>> match = RouteAttributes.getRouteMatch(request);
        if (match.isEmpty()) {
            return null;
        }
        Optional<RouteRules.Rule> found = rules.computeIfAbsent(match.get().getRouteInfo(), AccessFilter::rule);
        if (found.isEmpty()) {
            // a route nobody gave a rule (RouteRulesTest keeps this from shipping): closed
            return answer(HttpStatus.FORBIDDEN, "forbidden", "this route has no access rule, so no one may use "
                    + "it", "report it: every route declares the permission it needs (docs/security.md)");
        }
        RouteRules.Rule rule = found.get();
        if (rule.open()) {
            return null;
        }
        String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (authorization == null && rule.page()) {
            // a page of the web UI: its session cookie is an API token (never accepted on the JSON API, see
            // BrowserSession)
            authorization = BrowserSession.token(request).map(t -> "Bearer " + t).orElse(null);
        }
        // password guessing is limited per address and account: a token cannot be guessed (256 random bits), and a
        // limit per address alone would let one client lock out everyone behind the same proxy
        String attempt = basicUser(authorization).map(user -> client(request) + "|" + user).orElse(null);
        Failures f = attempt == null ? null : failures.get(attempt);
        if (f != null && f.exhausted(failuresPerMinute)) {
            return answer(HttpStatus.TOO_MANY_REQUESTS, "too_many_sign_in_attempts", "too many failed sign-ins "
                    + "for this account from this address in the last minute", "wait a minute, then sign in with "
                    + "the right password (or use an API token)")
                    .header(HttpHeaders.RETRY_AFTER, "60");
        }
        Authentication authentication = authenticate(authorization);
        RouteMatch<?> route = match.get();
        Access access = rule.anyScope() ? Access.decideForCaller(authentication, rule.permission())
                : Access.decideLazily(authentication, rule.permission(), () -> resource(route, request, rule));
        if (access instanceof Access.Forbidden && scopedOnly(authentication, rule.permission())
                && !rule.resourceInBody().isEmpty() && BodyNamedAccessFilter.reads(request.getMethod())
                && resource(route, request, rule) == null) {
            // the resource is named in the body, and only a scoped grant could allow it: the next filter reads the
            // name from the body without holding up the event loop, and decides again (BodyNamedAccessFilter)
            request.setAttribute(BodyNamedAccessFilter.PENDING, new BodyNamedAccessFilter.Pending(attempt,
                    authentication, rule));
            return null;
        }
        return outcome(request, attempt, authentication, rule, access,
                access instanceof Access.Forbidden && resource(route, request, rule) != null);
    }

    /** The answer to a decision: null to go on (the principal recorded), or the refusal. */
    @Nullable
    HttpResponse<?> outcome(HttpRequest<?> request, String attempt, Authentication authentication,
                                    RouteRules.Rule rule, Access access, boolean named) {
        if (access instanceof Access.Allowed allowed) {
            Principals.set(request, allowed.principal());
            return null;
        }
        if (access instanceof Access.Unauthenticated u) {
            if (rule.page() && !(authentication instanceof Authentication.Refused && attempt != null)) {
                return signIn(request);
            }
            if (authentication instanceof Authentication.Refused && attempt != null) {
                if (failures.size() > 100_000) {
                    failures.clear(); // a flood of made-up names must not grow the map without bound
                }
                failures.computeIfAbsent(attempt, c -> new Failures()).add();
            }
            return answer(HttpStatus.UNAUTHORIZED, "unauthenticated", u.reason(), u.fix())
                    .header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        }
        Access.Forbidden forbidden = (Access.Forbidden) access;
        String fix = forbidden.fix();
        if (!named && scopedOnly(authentication, rule.permission())) {
            fix = "your grants of this permission are scoped to name prefixes, so the request must name the pipeline "
                    + "or model: " + whereNamed(rule) + "; or " + fix;
        }
        return answer(HttpStatus.FORBIDDEN, "forbidden", forbidden.reason(), fix);
    }

    /** A browser without a (valid) session goes to the sign-in page, and back to where it was going after it. */
    private static HttpResponse<?> signIn(HttpRequest<?> request) {
        String back = request.getUri().getRawPath() + (request.getUri().getRawQuery() == null ? ""
                : "?" + request.getUri().getRawQuery());
        return HttpResponse.seeOther(java.net.URI.create("/ui/sign-in?next="
                + java.net.URLEncoder.encode(back, StandardCharsets.UTF_8)));
    }

    /** Whether the caller holds the permission only through grants scoped to name prefixes. */
    private static boolean scopedOnly(Authentication authentication, Permission permission) {
        return authentication instanceof Authentication.Authenticated a
                && a.principal().holdsOnlyScoped(permission);
    }

    private static String whereNamed(RouteRules.Rule rule) {
        if (rule.resource().isEmpty() && rule.resourceInBody().isEmpty()) {
            return "this route acts on every one of them, so it needs an unscoped grant";
        }
        String where = rule.resource().isEmpty() ? "" : "the '" + rule.resource() + "' parameter";
        if (!rule.resourceInBody().isEmpty()) {
            where += (where.isEmpty() ? "" : " or ") + "the body's '" + rule.resourceInBody() + "' field";
        }
        return where;
    }

    private Authentication authenticate(String header) {
        Identities now = identities.identities();
        if (now != provedAgainst) {
            proved = new ConcurrentHashMap<>();
            provedAgainst = now;
        }
        if (header == null || header.isBlank()) {
            return new Authentication.Anonymous();
        }
        // keyed by the header itself: hashing it for the key cost more than the lookup saved; the token is in this
        // request's memory anyway
        String key = header;
        Instant at = Instant.now();
        Authentication.Authenticated known = proved.get(key);
        if (known != null && (known.validUntil() == null || at.isBefore(known.validUntil()))) {
            return known;
        }
        Authentication a = authenticator.authenticate(now, header, at);
        if (a instanceof Authentication.Authenticated ok && proved.size() < 10_000) {
            proved.put(key, ok);
        } else if (known != null) {
            proved.remove(key); // expired since it was proved
        }
        return a;
    }

    static Optional<RouteRules.Rule> rule(RouteInfo<?> route) {
        AnnotationMetadata metadata = route instanceof MethodBasedRouteInfo<?, ?> m
                ? m.getTargetMethod().getAnnotationMetadata()
                : route.getAnnotationMetadata();
        return RouteRules.of(metadata);
    }

    /** The name of the resource the request acts on as its path or query names it, or null when they do not. */
    private static String resource(RouteMatch<?> match, HttpRequest<?> request, RouteRules.Rule rule) {
        String name = rule.resource();
        if (name.isEmpty()) {
            return null;
        }
        String value = null;
        if (match instanceof UriRouteMatch<?, ?> uri) {
            Object v = uri.getVariableValues().get(name);
            value = v == null ? null : v.toString();
        }
        if (value == null) {
            value = request.getParameters().getFirst(name).orElse(null);
        }
        if (value != null && !rule.resourceEndsBefore().isEmpty()) {
            int end = value.indexOf(rule.resourceEndsBefore());
            value = end < 0 ? value : value.substring(0, end);
        }
        return value;
    }

    /** The account name of Basic credentials, or nothing (no header, another scheme, undecodable). */
    private static Optional<String> basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(java.util.Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(decoded.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String client(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "?" : remote.getAddress().getHostAddress();
    }

    private static MutableHttpResponse<ApiError> answer(HttpStatus status, String code, String message, String fix) {
        return HttpResponse.<ApiError>status(status).body(new ApiError(code, message, List.of(), fix));
    }

    /** Failed password sign-ins of one account from one address in the current minute. */
    private static final class Failures {
        private long minute = currentMinute();
        private int count;

        synchronized void add() {
            roll();
            count++;
        }

        synchronized boolean exhausted(int limit) {
            roll();
            return count >= limit;
        }

        private void roll() {
            long m = currentMinute();
            if (m != minute) {
                minute = m;
                count = 0;
            }
        }

        private static long currentMinute() {
            return System.currentTimeMillis() / 60_000;
        }
    }
}
