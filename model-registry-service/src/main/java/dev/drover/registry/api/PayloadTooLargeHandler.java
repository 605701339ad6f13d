package dev.drover.registry.api;

import dev.drover.platform.http.ApiError;
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
 * Answers a body over {@code micronaut.server.max-request-size} (1 MiB for the registry) with 413
 * {@code payload_too_large} and a hint, instead of the framework's generic 413. Micronaut raises
 * {@link ContentLengthExceededException} while it reads the body, before any controller runs.
 */
@Produces
@Singleton
@Replaces(ContentLengthExceededHandler.class)
@Requires(property = "drover.registry.enabled", value = "true")
public class PayloadTooLargeHandler implements ExceptionHandler<ContentLengthExceededException,
        HttpResponse<ApiError>> {

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ContentLengthExceededException exception) {
        return HttpResponse.<ApiError>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).body(ApiError.of(
                "payload_too_large", "the request body is too large: " + exception.getMessage(),
                "keep bodies under 1 MiB: a model's files belong at its artifactLocation, and a feature set's "
                        + "statistics should summarise the data (at most 1,000 bins and 10,000 categories per "
                        + "feature)"));
    }
}
