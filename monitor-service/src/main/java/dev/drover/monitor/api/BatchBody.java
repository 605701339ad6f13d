package dev.drover.monitor.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.monitor.wire.Label;
import dev.drover.monitor.wire.Prediction;
import dev.drover.platform.http.ApiException;
import io.micronaut.http.HttpStatus;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the batches of {@code POST /api/v1/monitors/{model}/predictions} and {@code .../labels}. A batch is taken
 * whole or not at all: every problem of every item is listed with its JSON pointer (e.g.
 * {@code /predictions/3/timestamp}), so a client can fix them in one go. Too large a batch is 413.
 */
final class BatchBody {
    /** The most items one batch may hold. */
    static final int MAX_ITEMS = 10_000;
    /** The largest body a batch may be: 5 MiB. */
    static final int MAX_BYTES = 5 << 20;
    static final int MAX_REQUEST_ID_LENGTH = 200;
    static final String PREDICTION_EXAMPLE = "{\"predictions\": [{\"modelVersion\": 3, \"timestamp\": "
            + "\"2030-05-06T07:08:09Z\", \"requestId\": \"req-1\", \"features\": {\"age\": 42}, \"prediction\": 0.8}]}";
    static final String LABEL_EXAMPLE = "{\"labels\": [{\"requestId\": \"req-1\", \"timestamp\": "
            + "\"2030-05-07T10:00:00Z\", \"label\": true}]}";
    private static final Set<String> PREDICTION_FIELDS = Set.of("modelName", "modelVersion", "timestamp",
            "requestId", "features", "prediction");
    private static final Set<String> LABEL_FIELDS = Set.of("modelName", "requestId", "timestamp", "label");

    private BatchBody() {
    }

    static List<Prediction> predictions(String model, String body) {
        JsonBodies p = new JsonBodies();
        JsonNode items = items(body, "predictions", PREDICTION_EXAMPLE);
        List<Prediction> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "/predictions/" + i;
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                p.problem(path, "must be an object, not a " + JsonBodies.type(item));
                continue;
            }
            p.onlyFields(item, path, PREDICTION_FIELDS);
            modelName(item, model, path, p);
            Integer version = null;
            JsonNode v = item.get("modelVersion");
            if (v == null || v.isNull()) {
                p.problem(path + "/modelVersion", "is required: the registry version that served the prediction");
            } else if (!v.canConvertToExactIntegral() || !v.canConvertToInt() || v.asInt() < 1) {
                p.problem(path + "/modelVersion", "must be a version number ≥ 1, not " + v);
            } else {
                version = v.asInt();
            }
            Instant at = timestamp(item, path, p);
            String requestId = requestId(item, path, p);
            Map<String, Object> features = new LinkedHashMap<>();
            JsonNode f = item.get("features");
            if (f == null || f.isNull()) {
                p.problem(path + "/features", "is required: an object of feature name → number, string, boolean "
                        + "or null");
            } else if (!f.isObject()) {
                p.problem(path + "/features", "must be an object, not a " + JsonBodies.type(f));
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode value = e.getValue();
                    features.put(e.getKey(), value.isNull() ? null
                            : scalar(value, path + "/features/" + escape(e.getKey()), p));
                }
            }
            Object prediction = required(item.get("prediction"), path + "/prediction", p);
            if (!p.any()) {
                out.add(new Prediction(model, version, at, requestId, features, prediction));
            }
        }
        p.throwIfAny("the batch", "correct each listed item and send the whole batch again; nothing of it was "
                + "accepted (format: docs/monitor-api.md)");
        return out;
    }

    static List<Label> labels(String model, String body) {
        JsonBodies p = new JsonBodies();
        JsonNode items = items(body, "labels", LABEL_EXAMPLE);
        List<Label> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "/labels/" + i;
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                p.problem(path, "must be an object, not a " + JsonBodies.type(item));
                continue;
            }
            p.onlyFields(item, path, LABEL_FIELDS);
            modelName(item, model, path, p);
            String requestId = requestId(item, path, p);
            Instant at = timestamp(item, path, p);
            Object label = required(item.get("label"), path + "/label", p);
            if (!p.any()) {
                out.add(new Label(model, requestId, at, label));
            }
        }
        p.throwIfAny("the batch", "correct each listed item and send the whole batch again; nothing of it was "
                + "accepted (format: docs/monitor-api.md)");
        return out;
    }

    /** The batch's array, after the size checks. */
    private static JsonNode items(String body, String field, String example) {
        if (body != null && body.length() > MAX_BYTES / 4) {
            int bytes = body.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_BYTES) {
                throw tooLarge("the body is " + bytes + " bytes; the limit is " + MAX_BYTES + " (5 MiB)");
            }
        }
        JsonNode root = JsonBodies.object(body, example);
        JsonNode items = root.get(field);
        JsonBodies p = new JsonBodies();
        p.onlyFields(root, "", Set.of(field));
        if (items == null || !items.isArray()) {
            p.problem("/" + field, "is required: an array of " + field);
        } else if (items.isEmpty()) {
            p.problem("/" + field, "is empty: send at least one item");
        }
        p.throwIfAny("the batch", "send a JSON object such as " + example);
        if (items.size() > MAX_ITEMS) {
            throw tooLarge("the batch has " + items.size() + " " + field + "; the limit is " + MAX_ITEMS);
        }
        return items;
    }

    static ApiException tooLarge(String detail) {
        return ApiException.of(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                "the batch is too large: " + detail, "split it into batches of at most " + MAX_ITEMS
                        + " items and 5 MiB, or publish to the Kafka topic directly (docs/monitor.md)");
    }

    private static void modelName(JsonNode item, String model, String path, JsonBodies p) {
        JsonNode n = item.get("modelName");
        if (n != null && !n.isNull() && !(n.isTextual() && n.asText().equals(model))) {
            p.problem(path + "/modelName", "is " + n + " but the batch was posted for model '" + model
                    + "'; leave it out or post to /api/v1/monitors/" + n.asText() + "/…");
        }
    }

    private static Instant timestamp(JsonNode item, String path, JsonBodies p) {
        JsonNode t = item.get("timestamp");
        if (t == null || t.isNull()) {
            p.problem(path + "/timestamp", "is required: an RFC 3339 time such as 2030-05-06T07:08:09Z, or epoch "
                    + "milliseconds");
            return null;
        }
        if (t.canConvertToExactIntegral() && t.canConvertToLong()) {
            return Instant.ofEpochMilli(t.asLong());
        }
        if (t.isTextual()) {
            try {
                return OffsetDateTime.parse(t.asText()).toInstant();
            } catch (DateTimeParseException e) {
                p.problem(path + "/timestamp", "'" + t.asText() + "' is not an RFC 3339 time with an offset, such "
                        + "as 2030-05-06T07:08:09Z");
                return null;
            }
        }
        p.problem(path + "/timestamp", "must be an RFC 3339 string or epoch milliseconds, not " + t);
        return null;
    }

    private static String requestId(JsonNode item, String path, JsonBodies p) {
        JsonNode r = item.get("requestId");
        if (r == null || r.isNull()) {
            p.problem(path + "/requestId", "is required: the id labels find their prediction by");
            return null;
        }
        if (!r.isTextual() || r.asText().isBlank() || r.asText().length() > MAX_REQUEST_ID_LENGTH) {
            p.problem(path + "/requestId", "must be a non-blank string of at most " + MAX_REQUEST_ID_LENGTH
                    + " characters");
            return null;
        }
        return r.asText();
    }

    private static Object required(JsonNode n, String path, JsonBodies p) {
        if (n == null || n.isNull()) {
            p.problem(path, "is required: a number, a string or a boolean");
            return null;
        }
        return scalar(n, path, p);
    }

    /** A number (as a finite Double), a string or a boolean. */
    private static Object scalar(JsonNode n, String path, JsonBodies p) {
        if (n.isNumber()) {
            double d = n.asDouble();
            if (!Double.isFinite(d)) {
                p.problem(path, n + " is too large for a double");
                return null;
            }
            return d;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        p.problem(path, "must be a number, a string or a boolean, not a " + JsonBodies.type(n));
        return null;
    }

    /** A feature name as a JSON pointer token (RFC 6901). */
    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
