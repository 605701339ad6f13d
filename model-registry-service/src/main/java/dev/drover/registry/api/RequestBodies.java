package dev.drover.registry.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.drover.platform.http.ApiError;
import dev.drover.platform.http.ApiException;
import dev.drover.platform.http.PayloadTooLargeHandler;
import io.micronaut.http.HttpStatus;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads the JSON bodies of registry writes into {@link RegistryRequests} records, with errors that point at the
 * offending field: malformed JSON is {@code invalid_json}; a field of the wrong type or one the API does not know is
 * {@code invalid_argument}.
 */
final class RequestBodies {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The largest body a registry write accepts: 1 MiB. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private RequestBodies() {
    }

    /** The body as a {@code type}; an absent or blank body is {@code ifAbsent}. */
    static <T> T read(String body, Class<T> type, T ifAbsent) {
        if (body == null || body.isBlank() || body.strip().equals("null")) { // a JSON null is no body either
            if (ifAbsent == null) {
                throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_json", "the request has no body",
                        "send a JSON object as the documented body (docs/registry-api.md)");
            }
            return ifAbsent;
        }
        if (body.length() > MAX_BODY_BYTES / 3 && body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw PayloadTooLargeHandler.tooLarge("the body is " + body.getBytes(StandardCharsets.UTF_8).length
                    + " bytes; the limit is " + MAX_BODY_BYTES, "keep bodies under 1 MiB: a model's files belong at "
                    + "its artifactLocation, and a feature set's statistics should summarise the data (at most "
                    + "1,000 bins and 10,000 categories per feature)");
        }
        try {
            return MAPPER.readValue(body, type);
        } catch (UnrecognizedPropertyException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, new ApiError("invalid_argument", "unknown field '"
                    + e.getPropertyName() + "'", List.of(new ApiError.Problem(pointer(e), "not a field of this "
                    + "request")), "use only the fields docs/registry-api.md lists; known here: "
                    + e.getKnownPropertyIds()));
        } catch (JsonMappingException e) {
            if (e.getPath().isEmpty()) {
                throw invalidJson(e);
            }
            throw new ApiException(HttpStatus.BAD_REQUEST, new ApiError("invalid_argument", "field "
                    + pointer(e) + " has the wrong type: " + e.getOriginalMessage(),
                    List.of(new ApiError.Problem(pointer(e), e.getOriginalMessage())),
                    "send the field with the type docs/registry-api.md gives"));
        } catch (JsonProcessingException e) {
            throw invalidJson(e);
        }
    }

    private static ApiException invalidJson(JsonProcessingException e) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
        String detail = e.getOriginalMessage();
        int noise = detail.indexOf(" (start marker");
        if (noise < 0) {
            noise = detail.indexOf("\n");
        }
        if (noise > 0) {
            detail = detail.substring(0, noise);
        }
        return ApiException.of(HttpStatus.BAD_REQUEST, "invalid_json", "the body is not valid JSON" + where + ": "
                + detail, "send one well-formed JSON object (Content-Type: application/json)");
    }

    /** The JSON pointer of the field a mapping error is about, e.g. {@code /lineage/featureSet/version}. */
    private static String pointer(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            out.append('/').append(r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()));
        }
        return out.toString();
    }

    /** A value a request must carry, or a 400 saying which field is missing and what to put there. */
    static <T> T required(T value, String field, String what) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new ApiException(HttpStatus.BAD_REQUEST, new ApiError("invalid_argument", field
                    + " is required", List.of(new ApiError.Problem("/" + field, "missing")), "send " + field + ": "
                    + what));
        }
        return value;
    }
}
