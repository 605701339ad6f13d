package dev.drover.platform.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Gives the framework's own errors (unknown route, wrong method, unreadable body, unsupported media type …) the same
 * {@link ApiError} shape and a hint on how to fix the call, instead of Micronaut's default body.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class ApiErrorResponseProcessor implements ErrorResponseProcessor<ApiError> {

    @Override
    public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        List<ApiError.Problem> problems = context.getErrors().stream()
                .map(e -> new ApiError.Problem(e.getPath().orElse(""), e.getMessage()))
                .toList();
        String message = context.getErrors().stream().findFirst().map(Error::getMessage).orElse(status.getReason());
        String path = context.getRequest().getMethodName() + " " + context.getRequest().getPath();
        ApiError body = switch (status) {
            case NOT_FOUND -> new ApiError("not_found", "no resource at " + path, List.of(),
                    "check the path against the API reference (docs/api.md); ids are case-sensitive");
            case METHOD_NOT_ALLOWED -> new ApiError("method_not_allowed", message, problems,
                    "use one of the methods the API reference (docs/api.md) lists for this path");
            case UNSUPPORTED_MEDIA_TYPE -> new ApiError("unsupported_media_type", message, problems,
                    "send Content-Type application/json (or application/yaml where the API accepts YAML)");
            case BAD_REQUEST -> new ApiError("bad_request", message, problems,
                    "check that the body is well-formed JSON of the documented shape (docs/api.md)");
            default -> new ApiError(status.name().toLowerCase(java.util.Locale.ROOT), message, problems,
                    status.getCode() >= 500 ? "retry later; if it persists, read the service log" : "see docs/api.md");
        };
        return response.body(body);
    }
}
