package dev.drover.platform.security;

import dev.drover.platform.security.Authentication.Authenticated;
import dev.drover.platform.security.Authentication.Refused;

/**
 * The one decision the enforcement point makes: may this caller do what this route needs? {@link Allowed} names the
 * principal (recorded in the events the request causes); {@link Unauthenticated} is a 401 and {@link Forbidden} a
 * 403, each with words that say what is missing.
 */
public sealed interface Access {

    record Allowed(Principal principal) implements Access {
    }

    record Unauthenticated(String reason, String fix) implements Access {
    }

    record Forbidden(String reason, String fix) implements Access {
    }

    /**
     * @param resource the name of the pipeline or model the route acts on, or null when it names none
     */
    static Access decide(Authentication authentication, Permission needed, String resource) {
        return decideLazily(authentication, needed, () -> resource);
    }

    /** The same, asking for the resource's name only when a scoped grant (or a refusal) needs it. */
    static Access decideLazily(Authentication authentication, Permission needed,
                               java.util.function.Supplier<String> resourceName) {
        return decide(authentication, needed, p -> p.allows(needed, resourceName), resourceName);
    }

    /**
     * For a route whose answer concerns only the caller ({@link RequiresPermission#anyScope()}): a grant of the
     * permission suffices whatever its scope.
     */
    static Access decideForCaller(Authentication authentication, Permission needed) {
        return decide(authentication, needed, p -> p.holdsAnywhere(needed), () -> null);
    }

    private static Access decide(Authentication authentication, Permission needed,
                                 java.util.function.Predicate<Principal> allowed,
                                 java.util.function.Supplier<String> resourceName) {
        if (authentication instanceof Refused r) {
            return new Unauthenticated(r.reason(), r.fix());
        }
        if (!(authentication instanceof Authenticated a)) {
            return new Unauthenticated("this route needs the " + name(needed) + " permission and the request has no "
                    + "credentials", "send Authorization: Bearer <API token>, or Basic with an account's name and "
                    + "password (docs/security.md)");
        }
        if (allowed.test(a.principal())) {
            return new Allowed(a.principal());
        }
        String resource = resourceName.get();
        return new Forbidden(a.principal().name() + " lacks the " + name(needed) + " permission"
                + (resource == null ? "" : " on " + resource), "ask an admin for a role that has it: "
                + rolesWith(needed) + " (docs/security.md)");
    }

    private static String name(Permission p) {
        return p.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static String rolesWith(Permission p) {
        StringBuilder s = new StringBuilder();
        for (Role r : Role.values()) {
            if (r.allows(p)) {
                s.append(s.length() == 0 ? "" : ", ").append(r.wireName());
            }
        }
        return s.toString();
    }
}
