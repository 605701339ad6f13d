package dev.drover.platform.input;

import dev.drover.platform.http.ApiError;
import dev.drover.platform.http.ApiException;
import io.micronaut.http.HttpStatus;

import java.util.List;

/**
 * The input rules of {@link TextRules} and the documented bounds of query parameters, as the 400 answers every
 * controller gives: one error code per kind of mistake, the field named in {@code problems}, and how to fix it.
 */
public final class RequestRules {
    /** Longest identifier, name or key anywhere in a path or query (ids are much shorter; see each resource). */
    public static final int MAX_ID_LENGTH = 1024;

    private RequestRules() {
    }

    /**
     * A page size: {@code defaultLimit} when absent, else it must lie between 1 and {@code max}.
     *
     * @throws ApiException 400 {@code invalid_limit} otherwise
     */
    public static int limit(Integer limit, int defaultLimit, int max) {
        return bounded("limit", limit, defaultLimit, 1, max);
    }

    /**
     * A whole-number query parameter between {@code min} and {@code max}; {@code absent} when it is not given.
     *
     * @throws ApiException 400 {@code invalid_<name>} when out of bounds
     */
    public static int bounded(String name, Integer value, int absent, int min, int max) {
        if (value == null) {
            return absent;
        }
        if (value < min || value > max) {
            throw new ApiException(HttpStatus.BAD_REQUEST, new ApiError("invalid_" + snake(name),
                    name + " must be between " + min + " and " + max + ", not " + value,
                    List.of(new ApiError.Problem(name, "out of range")),
                    "pass " + name + " between " + min + " and " + max + " (or leave it out for " + absent + ")"));
        }
        return value;
    }

    /**
     * Checks a name-like field (identifier, key, header value): the {@link TextRules#name} rules and a length.
     *
     * @param field how the caller knows the field, e.g. {@code X-Drover-User} or {@code /tags/0/key}
     * @return the value
     * @throws ApiException 400 {@code invalid_input} naming the field
     */
    public static String name(String field, String value, int maxLength) {
        TextRules.name(value, maxLength).ifPresent(p -> {
            throw invalid(field, field + " " + p);
        });
        return value;
    }

    /** Checks a free-text field: the {@link TextRules#freeText} rules and a length. */
    public static String freeText(String field, String value, int maxLength) {
        TextRules.freeText(value, maxLength).ifPresent(p -> {
            throw invalid(field, field + " " + p);
        });
        return value;
    }

    /** The answer to a field that breaks the input rules. */
    public static ApiException invalid(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, new ApiError("invalid_input", message,
                List.of(new ApiError.Problem(field, message)), fix()));
    }

    /** How to fix any input-rule problem. */
    public static String fix() {
        return "send text as valid UTF-8 without NUL or other control characters (tab and line breaks are allowed in "
                + "free text, not in names, ids or headers), within the documented lengths (docs/api.md, "
                + "\"Input rules\")";
    }

    private static String snake(String name) {
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
