package dev.drover.platform.http;

import io.micronaut.context.annotation.Replaces;
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
 * body, before any filter or controller runs. Endpoints with a smaller limit of their own answer with
 * {@link #tooLarge} too.
 */
@Produces
@Singleton
@Replaces(ContentLengthExceededHandler.class)
public class PayloadTooLargeHandler implements ExceptionHandler<ContentLengthExceededException,
        HttpResponse<ApiError>> {

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ContentLengthExceededException exception) {
        ApiException tooLarge = tooLarge(exception.getMessage(), "send a smaller body: every Drover endpoint "
                + "documents its limit (docs/api.md, \"Limits\"); large data belongs in files or object storage, "
                + "referenced by location");
        return HttpResponse.<ApiError>status(tooLarge.status()).body(tooLarge.body());
    }

    /** The 413 answer; {@code detail} says how large the body was and what the limit is. */
    public static ApiException tooLarge(String detail, String fix) {
        return ApiException.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                "the request body is too large: " + detail, fix);
    }
}
