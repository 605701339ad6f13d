package dev.drover.platform.security;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A named set of {@link Permission}s that an account is granted, possibly scoped to a name prefix ({@link Grant}).
 * Roles add up: an account that both writes pipelines and runs them holds {@code author} and {@code operator}.
 * Every role but {@code publisher} can read; {@code publisher} is for systems that only feed Drover (a CloudEvents
 * source, a model server posting predictions) and should see nothing.
 */
public enum Role {
    VIEWER("viewer", EnumSet.of(Permission.READ)),
    PUBLISHER("publisher", EnumSet.of(Permission.PUBLISH)),
    OPERATOR("operator", EnumSet.of(Permission.READ, Permission.OPERATE, Permission.PUBLISH)),
    AUTHOR("author", EnumSet.of(Permission.READ, Permission.AUTHOR)),
    MODEL_MAINTAINER("model-maintainer", EnumSet.of(Permission.READ, Permission.MODEL_WRITE)),
    APPROVER("approver", EnumSet.of(Permission.READ, Permission.APPROVE)),
    ADMIN("admin", EnumSet.allOf(Permission.class));

    private final String wireName;
    private final Set<Permission> permissions;

    Role(String wireName, Set<Permission> permissions) {
        this.wireName = wireName;
        this.permissions = Set.copyOf(permissions);
    }

    /** The name in requests, events and docs, e.g. {@code model-maintainer}. */
    public String wireName() {
        return wireName;
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    public boolean allows(Permission permission) {
        return permissions.contains(permission);
    }

    /** The role of that wire name (case-insensitive), or nothing when there is no such role. */
    public static Optional<Role> byName(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        for (Role r : values()) {
            if (r.wireName.equals(n)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
