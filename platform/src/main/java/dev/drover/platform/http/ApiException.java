package dev.drover.platform.http;

import io.micronaut.http.HttpStatus;

/** Thrown by controllers to answer with an {@link ApiError}; turned into a response by {@link ApiErrorHandler}. */
public final class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final ApiError body;

    public ApiException(HttpStatus status, ApiError body) {
        super(body.message(), null, false, false);
        this.status = status;
        this.body = body;
    }

    public static ApiException of(HttpStatus status, String error, String message, String fix) {
        return new ApiException(status, ApiError.of(error, message, fix));
    }

    public HttpStatus status() {
        return status;
    }

    public ApiError body() {
        return body;
    }
}
