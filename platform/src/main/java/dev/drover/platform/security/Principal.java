package dev.drover.platform.security;

import dev.drover.platform.security.identity.AccountKind;

import java.util.Set;

/** Who made a request, as the enforcement point proved it: the name recorded in events, and what they may do. */
public record Principal(String name, AccountKind kind, Set<Grant> grants) {

    public Principal {
        grants = Set.copyOf(grants);
    }

    /** Whether any grant gives {@code permission} on the resource named {@code resource} (null: none named). */
    public boolean allows(Permission permission, String resource) {
        return allows(permission, () -> resource);
    }

    /**
     * The same, finding the resource's name only if a scoped grant needs it: an unscoped grant decides without it,
     * which spares the enforcement point reading the request's parameters on every call of most callers.
     */
    public boolean allows(Permission permission, java.util.function.Supplier<String> resource) {
        String name = null;
        boolean named = false;
        for (Grant g : grants) {
            if (!g.role().allows(permission)) {
                continue;
            }
            if (g.scope().isEmpty()) {
                return true;
            }
            if (!named) {
                name = resource.get();
                named = true;
            }
            if (name != null && name.startsWith(g.scope())) {
                return true;
            }
        }
        return false;
    }

    /** Whether some grant gives {@code permission}, whatever its scope. */
    public boolean holdsAnywhere(Permission permission) {
        for (Grant g : grants) {
            if (g.role().allows(permission)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some grant gives {@code permission}, and every one that does is scoped to a name prefix. */
    public boolean holdsOnlyScoped(Permission permission) {
        boolean scoped = false;
        for (Grant g : grants) {
            if (g.role().allows(permission)) {
                if (g.scope().isEmpty()) {
                    return false;
                }
                scoped = true;
            }
        }
        return scoped;
    }
}
