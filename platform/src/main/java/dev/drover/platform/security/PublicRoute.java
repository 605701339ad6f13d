package dev.drover.platform.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route anyone may use without signing in, declared in place of {@link RequiresPermission}: only what a browser
 * needs before it can sign in (the web UI's sign-in page and its static files). The standalone's
 * {@code RouteRulesTest} lists every public route, so a new one is a deliberate, reviewed change.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PublicRoute {

    /** Why the route needs no credentials. */
    String value();
}
