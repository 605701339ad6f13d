package dev.drover.platform.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * A refusal decided after the body arrived ({@link BodyNamedAccessFilter}): an asynchronous filter answers by failing,
 * and this carries the usual 401/403 answer to {@link Handler}, which sends it as it is. No stack trace: it is an
 * answer, not a fault.
 */
final class AccessRefusal extends RuntimeException {
    private final transient HttpResponse<?> response;

    AccessRefusal(HttpResponse<?> response) {
        super("access refused", null, false, false);
        this.response = response;
    }

    HttpResponse<?> response() {
        return response;
    }

    @Singleton
    @Produces
    static class Handler implements ExceptionHandler<AccessRefusal, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, AccessRefusal refusal) {
            return refusal.response();
        }
    }
}
