package dev.drover.platform.security;

import java.net.http.HttpRequest;
import java.util.Optional;

/**
 * What a service's HTTP client adds to the requests it sends to another Drover service: the {@code Authorization}
 * value of its service account ({@link ServiceCredentials}), or nothing ({@link #NONE}: security off, or a test).
 */
@FunctionalInterface
public interface ServiceAuthorization {
    ServiceAuthorization NONE = Optional::empty;

    /** {@code Bearer <token>}, or nothing. */
    Optional<String> header();

    /** {@code builder} with the {@code Authorization} header set, when there is one. */
    default HttpRequest.Builder apply(HttpRequest.Builder builder) {
        header().ifPresent(h -> builder.header("Authorization", h));
        return builder;
    }
}
