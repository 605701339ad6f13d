package dev.drover.platform.http;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * The body of every error a Drover REST API returns: a stable machine-readable {@code error} code, a sentence that
 * says what was wrong, optionally each problem with its location, and how to fix it.
 *
 * @param error    stable code, e.g. {@code invalid_pipeline}, {@code unknown_run}
 * @param message  what was wrong
 * @param problems each problem with its path (empty when there is one obvious cause)
 * @param fix      how to fix it
 */
@Serdeable
public record ApiError(String error, String message, List<Problem> problems, String fix) {

    /** One problem: where ({@code path}, a JSON pointer into the request) and what. */
    @Serdeable
    public record Problem(String path, String message) {
    }

    public static ApiError of(String error, String message, String fix) {
        return new ApiError(error, message, List.of(), fix);
    }
}
