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
        for (Grant g : grants) {
            if (g.allows(permission, resource)) {
                return true;
            }
        }
        return false;
    }
}
