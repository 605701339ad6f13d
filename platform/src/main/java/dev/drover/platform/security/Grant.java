package dev.drover.platform.security;

/**
 * A role given to an account, for every resource ({@code scope} empty) or only for the resources whose name starts
 * with {@code scope}, e.g. {@code operator} on {@code fraud-} lets a team run its own pipelines in a shared Drover.
 * A scoped grant covers only routes that name a resource ({@link RequiresPermission#resource()}); listing
 * everything needs an unscoped one.
 */
public record Grant(Role role, String scope) {

    public Grant {
        if (role == null) {
            throw new IllegalArgumentException("a grant needs a role");
        }
        scope = scope == null ? "" : scope;
    }

    public static Grant of(Role role) {
        return new Grant(role, "");
    }

    /** Whether this grant gives {@code permission} on the resource named {@code resource} (null: none named). */
    public boolean allows(Permission permission, String resource) {
        if (!role.allows(permission)) {
            return false;
        }
        return scope.isEmpty() || (resource != null && resource.startsWith(scope));
    }
}
