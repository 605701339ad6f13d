package dev.drover.executor.task;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typed reads of a task's JSON config, with messages that name the offending key. */
final class TaskConfig {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    private final Map<String, Object> values;

    TaskConfig(Map<String, Object> values) {
        this.values = values;
    }

    Optional<Object> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    Optional<String> string(String key) throws InvalidConfig {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return Optional.of(s);
        }
        throw new InvalidConfig("config '" + key + "' must be a string, got " + describe(v));
    }

    Optional<Map<String, Object>> map(String key) throws InvalidConfig {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), val));
            return Optional.of(out);
        }
        throw new InvalidConfig("config '" + key + "' must be an object, got " + describe(v));
    }

    /** A map whose values are scalars, as strings (templates may have turned "8080" into 8080). */
    Optional<Map<String, String>> stringMap(String key) throws InvalidConfig {
        Optional<Map<String, Object>> raw = map(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : raw.get().entrySet()) {
            String s = scalar(e.getValue())
                    .orElseThrow(() -> new InvalidConfig("config '" + key + "." + e.getKey()
                            + "' must be a string, got " + describe(e.getValue())));
            out.put(e.getKey(), s);
        }
        return Optional.of(out);
    }

    /** A list whose elements are scalars, as strings. */
    static List<String> stringList(String key, List<?> list) throws InvalidConfig {
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            int index = i;
            out.add(scalar(item).orElseThrow(() -> new InvalidConfig("config '" + key + "[" + index
                    + "]' must be a string, got " + describe(item))));
        }
        return out;
    }

    /** A duration such as {@code 200ms}, {@code 1.5s}, {@code 2m}, {@code 1h} or ISO-8601 {@code PT0.2S}. */
    Optional<Duration> duration(String key) throws InvalidConfig {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parseDuration(text.get().trim())
                .orElseThrow(() -> new InvalidConfig("config '" + key + "' must be a duration like 200ms, 5s, 2m, 1h"
                        + " or PT5S, got '" + text.get() + "'")));
    }

    static Optional<Duration> parseDuration(String text) {
        Matcher m = SHORT_DURATION.matcher(text);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            long millisPerUnit = switch (m.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                default -> 3_600_000L;
            };
            return Optional.of(Duration.ofNanos(Math.round(amount * millisPerUnit * 1_000_000d)));
        }
        try {
            Duration d = Duration.parse(text);
            return d.isNegative() ? Optional.empty() : Optional.of(d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> scalar(Object v) {
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return Optional.of(v.toString());
        }
        return Optional.empty();
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        } else if (v instanceof String) {
            return "a string";
        } else if (v instanceof Number) {
            return "a number";
        } else if (v instanceof Boolean) {
            return "a boolean";
        } else if (v instanceof List<?>) {
            return "a list";
        } else if (v instanceof Map<?, ?>) {
            return "an object";
        }
        return "a " + v.getClass().getSimpleName();
    }
}
