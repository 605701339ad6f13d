package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts parsed YAML/JSON trees to the plain values a {@link TaskSpec#config()} holds, and describes values in
 * problem messages.
 */
final class Values {
    private Values() {
    }

    /**
     * Converts a tree to String, Long, Double, Boolean, List and LinkedHashMap. Integers are always Long and
     * fractions always Double, so a spec compares equal after a JSON round trip; values that cannot be stored (null,
     * integers beyond 64 bits, infinities, binary) are kept as they are for {@link #checkStorable} to report.
     */
    static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>(node.size());
            node.forEach(e -> out.add(toJava(e)));
            return out;
        }
        if (node.isObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.put(e.getKey(), toJava(e.getValue()));
            }
            return out;
        }
        return node;
    }

    /** Reports values inside {@code value} that could not survive being stored as JSON. */
    static void checkStorable(Object value, String path, List<SpecProblem> problems) {
        if (value == null) {
            problems.add(new SpecProblem(path, "empty value; give a value or remove the key"));
        } else if (value instanceof Double d && !Double.isFinite(d)) {
            problems.add(new SpecProblem(path, "`" + d + "` is not a finite number; use a finite number"));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkStorable(list.get(i), Pointer.child(path, i), problems);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> checkStorable(v, Pointer.child(path, String.valueOf(k)), problems));
        } else if (!(value instanceof String || value instanceof Long || value instanceof Double
                || value instanceof Boolean)) {
            problems.add(new SpecProblem(path, describe(value) + " cannot be stored; integers must fit in 64 bits "
                    + "and values must be strings, numbers, true/false, lists or mappings"));
        }
    }

    /** A short description of a value for messages, e.g. {@code a number (3)}. */
    static String describe(Object value) {
        if (value == null) {
            return "an empty value";
        }
        if (value instanceof JsonNode node) {
            return describe(toJava(node));
        }
        if (value instanceof String s) {
            return "a string (\"" + abbreviate(s) + "\")";
        }
        if (value instanceof Boolean b) {
            return "a boolean (" + b + ")";
        }
        if (value instanceof Number n) {
            return "a number (" + n + ")";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        return "a " + value.getClass().getSimpleName();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
