package dev.drover.registry.api;

import dev.drover.platform.http.ApiError;
import dev.drover.platform.http.ApiException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.exceptions.ContentLengthExceededHandler;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Answers a body over {@code micronaut.server.max-request-size} with 413 {@code payload_too_large} and a hint,
 * instead of the framework's generic 413. Micronaut raises {@link ContentLengthExceededException} while it reads the
 * body, before any controller runs. Registry writes also refuse, by the same answer, bodies over 1 MiB that the
 * server-wide limit (10 MB unless configured) let through ({@link RequestBodies}).
 */
@Produces
@Singleton
@Replaces(ContentLengthExceededHandler.class)
@Requires(property = "drover.registry.enabled", value = "true")
public class PayloadTooLargeHandler implements ExceptionHandler<ContentLengthExceededException,
        HttpResponse<ApiError>> {

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ContentLengthExceededException exception) {
        ApiException tooLarge = tooLarge(exception.getMessage());
        return HttpResponse.<ApiError>status(tooLarge.status()).body(tooLarge.body());
    }

    /** The 413 answer; {@code detail} says how large the body was and what the limit is. */
    static ApiException tooLarge(String detail) {
        return ApiException.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                "the request body is too large: " + detail,
                "keep bodies under 1 MiB: a model's files belong at its artifactLocation, and a feature set's "
                        + "statistics should summarise the data (at most 1,000 bins and 10,000 categories per "
                        + "feature)");
    }
}
