package dev.drover.platform.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Converts the plain JSON-like values Drover keeps in maps (task configs, run parameters, task outputs) to and from
 * JSON text, the form they travel in inside Avro records.
 *
 * <p>Values are null, String, Boolean, numbers, lists and string-keyed maps, nested freely. Reading gives back one
 * canonical Java type per JSON type, so a value survives a round trip unchanged as long as it was canonical to begin
 * with: integral numbers become {@link Long}, other numbers {@link Double}, arrays {@link ArrayList}, objects
 * {@link LinkedHashMap} (in document order). Writing accepts the other boxed numbers too (an {@link Integer} is read
 * back as a Long). Integers beyond 64 bits and non-finite numbers are refused both ways, as JSON cannot carry them
 * portably. Map order is kept when writing.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonValues {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonValues() {
    }

    /**
     * Writes a map as a JSON object.
     *
     * @throws IllegalArgumentException if a value (at any depth) is not a supported type
     */
    public static String toJson(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        return write(toNode(values, ""));
    }

    /**
     * Reads a JSON object into a map.
     *
     * @throws IllegalArgumentException if the text is not one JSON object of supported values
     */
    public static Map<String, Object> fromJson(String json) {
        Object value = readValue(json);
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("expected a JSON object, got " + abbreviate(json));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    /**
     * Writes any supported value (including null) as JSON.
     *
     * @throws IllegalArgumentException if the value (at any depth) is not a supported type
     */
    public static String writeValue(Object value) {
        return write(toNode(value, ""));
    }

    /**
     * Reads one JSON value of any kind ({@code null} gives null).
     *
     * @throws IllegalArgumentException if the text is not exactly one JSON value, has duplicate keys, or holds an
     *                                  integer beyond 64 bits or a non-finite number
     */
    public static Object readValue(String json) {
        Objects.requireNonNull(json, "json");
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException("invalid JSON: no value");
        }
        return toJava(node, "");
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a JSON tree", e);
        }
    }

    private static JsonNode toNode(Object value, String path) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw new IllegalArgumentException(at(path) + "integer " + big + " does not fit in 64 bits");
            }
            return NODES.numberNode(big.longValue());
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(at(path) + "number " + value + " is not finite");
            }
            return NODES.numberNode(d);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(at(path) + "map key " + e.getKey() + " is not a string");
                }
                object.set(key, toNode(e.getValue(), path + "/" + key));
            }
            return object;
        }
        if (value instanceof Collection<?> list) {
            ArrayNode array = NODES.arrayNode(list.size());
            int i = 0;
            for (Object element : list) {
                array.add(toNode(element, path + "/" + i++));
            }
            return array;
        }
        throw new IllegalArgumentException(at(path) + value.getClass().getName() + " is not a JSON value; use "
                + "String, Boolean, Long, Double, List or Map");
    }

    private static Object toJava(JsonNode node, String path) {
        if (node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw new IllegalArgumentException(at(path) + "integer " + node.asText() + " does not fit in 64 bits");
            }
            return node.longValue();
        }
        if (node.isNumber()) {
            double d = node.doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException(at(path) + "number " + node.asText() + " is not finite");
            }
            return d;
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>(node.size());
            int i = 0;
            for (JsonNode element : node) {
                out.add(toJava(element, path + "/" + i++));
            }
            return out;
        }
        if (node.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(e.getKey(), toJava(e.getValue(), path + "/" + e.getKey()));
            }
            return out;
        }
        throw new IllegalArgumentException(at(path) + "unsupported JSON node " + node.getNodeType());
    }

    private static String at(String path) {
        return path.isEmpty() ? "" : "at " + path + ": ";
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
