package dev.drover.platform.security.identity;

import dev.drover.platform.security.Grant;

import java.util.Set;

/** An account as the identities know it; {@code passwordHash} is null when it cannot sign in with a password. */
public record Account(String name, AccountKind kind, String passwordHash, Set<Grant> grants, boolean disabled) {

    public Account {
        grants = Set.copyOf(grants);
    }
}
