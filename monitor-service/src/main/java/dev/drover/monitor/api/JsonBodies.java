package dev.drover.monitor.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.drover.platform.http.ApiError;
import dev.drover.platform.http.ApiException;
import io.micronaut.http.HttpStatus;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the JSON bodies of monitor writes as trees and collects every problem with its JSON pointer, so that one
 * answer lists all of them ({@code invalid_argument} with {@code problems}). Malformed JSON is {@code invalid_json}.
 */
final class JsonBodies {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    /** Problems listed in one answer at most; the message says how many there were. */
    static final int MAX_PROBLEMS = 100;

    private final List<ApiError.Problem> problems = new ArrayList<>();
    private int total;

    /** The body as a JSON object, or {@code invalid_json}. */
    static JsonNode object(String body, String example) {
        if (body == null || body.isBlank()) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_json", "the request has no body",
                    "send a JSON object such as " + example + " (docs/monitor-api.md)");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_json", "the body is not valid JSON" + where + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""), "send a JSON object such as " + example);
        }
        if (!node.isObject()) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_json", "the body is a JSON " + type(node)
                    + ", not an object", "send a JSON object such as " + example);
        }
        return node;
    }

    void problem(String path, String message) {
        total++;
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(new ApiError.Problem(path, message));
        }
    }

    boolean any() {
        return total > 0;
    }

    /** Adds a problem for every field of {@code object} not in {@code known}. */
    void onlyFields(JsonNode object, String path, Set<String> known) {
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                problem(path + "/" + f, "not a field here; known: " + String.join(", ", known));
            }
        }
    }

    /** Throws {@code invalid_argument} with every problem, if there were any. */
    void throwIfAny(String what, String fix) {
        if (total == 0) {
            return;
        }
        String more = total > problems.size() ? " (the first " + problems.size() + " are listed)" : "";
        throw new ApiException(HttpStatus.BAD_REQUEST, new ApiError("invalid_argument", what + " has " + total
                + (total == 1 ? " problem" : " problems") + more + ": " + problems.get(0).path() + " "
                + problems.get(0).message() + (total > 1 ? "; …" : ""), List.copyOf(problems), fix));
    }

    static String type(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing value";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
