package dev.drover.platform.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a route needs of its caller: declared on every controller method of every service (not on the class, so that
 * a new method cannot inherit a weaker rule by accident). The standalone's {@code RouteRulesTest} fails when a route
 * of the running application has none, or when a route that changes something asks only for
 * {@link Permission#READ}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresPermission {

    Permission value();

    /**
     * The path variable or query parameter that names the resource the route acts on (a pipeline id, a model name),
     * against which grants scoped to a name prefix are matched; empty when the route names none.
     */
    String resource() default "";

    /**
     * When the parameter names the resource only in its beginning, the character that ends the name: a run id
     * {@code <pipelineId>.<n>} names its pipeline up to {@code "."}. Empty: the whole value is the name.
     */
    String resourceEndsBefore() default "";

    /**
     * The top-level field of a JSON (or YAML) body that names the resource when no path variable or query parameter
     * does: {@code id} of a pipeline spec, {@code name} of an MLflow write. The body is read for this only when the
     * caller's grants for the permission are all scoped.
     */
    String resourceInBody() default "";

    /**
     * Whether a grant of the permission on any scope suffices, because the route answers only about the caller
     * ({@code /api/v1/me}). Without it, a route that names no resource needs an unscoped grant.
     */
    boolean anyScope() default false;

    /**
     * Whether the route is a page of the web UI: the session cookie ({@link BrowserSession}) counts as credentials,
     * and an anonymous caller is sent to the sign-in page instead of answered 401.
     */
    boolean page() default false;
}
