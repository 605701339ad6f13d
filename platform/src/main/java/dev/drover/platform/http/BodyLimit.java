package dev.drover.platform.http;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The largest request body a route accepts, when it is not the platform's default
 * ({@link InputGuardFilter#DEFAULT_BODY_LIMIT}). The default keeps every command below the size the broker takes in one
 * record; a route whose body is split into many records (a batch of predictions) may accept more.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface BodyLimit {
    /** The limit in bytes. */
    int bytes();
}
