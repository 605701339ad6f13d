package dev.drover.platform.security;

import dev.drover.platform.security.identity.AccountKind;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.context.ServerRequestContext;

import java.util.Optional;

/**
 * Who made a request, for the events it causes: the principal the {@link AccessFilter} proved. A service account
 * acting for something else (an executor running a pipeline's task) may add whom it acts for in a header; the
 * recorded name is then {@code <account> for <what>}, so the proved part cannot be forged. With security switched
 * off (tests of other things), the header is taken as it is, as before.
 */
public final class Principals {
    private static final String ATTRIBUTE = "drover.principal";

    private Principals() {
    }

    static void set(HttpRequest<?> request, Principal principal) {
        request.setAttribute(ATTRIBUTE, principal);
    }

    /** The principal the enforcement point proved for this request, if it ran. */
    public static Optional<Principal> of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Principal.class);
    }

    /**
     * The name to record for this request.
     *
     * @param claimed what the caller says in its legacy header ({@code X-Drover-User} / {@code X-Drover-Principal}),
     *                or null
     * @param fallback the name when there is neither (security off and no header)
     */
    public static String name(HttpRequest<?> request, String claimed, String fallback) {
        Optional<Principal> proved = of(request);
        if (proved.isEmpty()) {
            return claimed == null || claimed.isBlank() ? fallback : claimed;
        }
        Principal p = proved.get();
        if (p.kind() == AccountKind.SERVICE && claimed != null && !claimed.isBlank() && !claimed.equals(p.name())) {
            return p.name() + " for " + claimed;
        }
        return p.name();
    }

    /**
     * The name to record for the request being handled on this thread (controllers call this while they build the
     * command, where Micronaut keeps the request in {@link ServerRequestContext}); outside a request, the claim or
     * the fallback.
     */
    public static String current(String claimed, String fallback) {
        return ServerRequestContext.currentRequest()
                .map(r -> name(r, claimed, fallback))
                .orElseGet(() -> claimed == null || claimed.isBlank() ? fallback : claimed);
    }
}
