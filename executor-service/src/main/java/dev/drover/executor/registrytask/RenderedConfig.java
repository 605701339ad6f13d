package dev.drover.executor.registrytask;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Typed reads of a registry task's config as the executor receives it: templates already rendered, so a number that
 * came from an upstream output arrives as a string ({@code "0.8175"}) and is read as a number here. The scheduler
 * checked the shape at registration; what can still be wrong is what the templates produced, and the messages say
 * so.
 */
final class RenderedConfig {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern WHOLE = Pattern.compile("\\+?\\d{1,18}");

    private final Map<String, Object> values;

    RenderedConfig(Map<String, Object> values) {
        this.values = values;
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    String requiredString(String key) throws TaskFailure {
        return optionalString(key).orElseThrow(() -> new TaskFailure("config `" + key + "` is required"));
    }

    /** A string; blank counts as absent (a template that rendered to nothing). */
    Optional<String> optionalString(String key) throws TaskFailure {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
            throw new TaskFailure("config `" + key + "` must be a string, got " + describe(v));
        }
        String s = v.toString();
        return s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }

    Map<String, Object> map(String key) throws TaskFailure {
        return map(key, values.get(key));
    }

    static Map<String, Object> map(String key, Object v) throws TaskFailure {
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new TaskFailure("config `" + key + "` must be a mapping, got " + describe(v));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), val));
        return out;
    }

    /** A mapping whose values are strings, numbers or booleans, as strings. */
    Map<String, String> scalarMap(String key) throws TaskFailure {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map(key).entrySet()) {
            Object v = e.getValue();
            if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                throw new TaskFailure("config `" + key + "." + e.getKey() + "` must be a string, number or boolean, "
                        + "got " + describe(v));
            }
            out.put(e.getKey(), v.toString());
        }
        return out;
    }

    /** A mapping whose values are finite numbers (or strings holding one). */
    Map<String, Double> numberMap(String key) throws TaskFailure {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map(key).entrySet()) {
            out.put(e.getKey(), number(key + "." + e.getKey(), e.getValue()));
        }
        return out;
    }

    List<Object> list(String key) throws TaskFailure {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new TaskFailure("config `" + key + "` must be a list, got " + describe(v));
        }
        return new ArrayList<>(l);
    }

    Optional<Double> optionalNumber(String key) throws TaskFailure {
        Object v = values.get(key);
        if (v == null || (v instanceof String s && s.isBlank())) {
            return Optional.empty();
        }
        return Optional.of(number(key, v));
    }

    /** A finite number, or a string holding one (what a template of a numeric output renders to). */
    static double number(String key, Object v) throws TaskFailure {
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        if (v instanceof String s && NUMBER.matcher(s.strip()).matches()) {
            double d = Double.parseDouble(s.strip());
            if (Double.isFinite(d)) {
                return d;
            }
        }
        throw new TaskFailure("config `" + key + "` must be a finite number, got " + shown(v)
                + "; if it is a template, check that the upstream output it reads is a number");
    }

    /** A version number, 1 or more, or a string holding one. */
    long version(String key) throws TaskFailure {
        return version(key, values.get(key));
    }

    static long version(String key, Object v) throws TaskFailure {
        long n = 0;
        if (v instanceof Long || v instanceof Integer) {
            n = ((Number) v).longValue();
        } else if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            n = d.longValue();
        } else if (v instanceof String s && WHOLE.matcher(s.strip()).matches()) {
            n = Long.parseLong(s.strip());
        }
        if (n < 1) {
            throw new TaskFailure("config `" + key + "` must be a version number (a whole number from 1), got "
                    + shown(v) + "; if it is a template, check that the upstream output it reads is a version");
        }
        return n;
    }

    /** A whole number within [min, max]. */
    Optional<Integer> optionalInt(String key, int min, int max) throws TaskFailure {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        String s = v.toString().strip();
        if (WHOLE.matcher(s).matches()) {
            long n = Long.parseLong(s);
            if (n >= min && n <= max) {
                return Optional.of((int) n);
            }
        }
        throw new TaskFailure("config `" + key + "` must be a whole number from " + min + " to " + max + ", got "
                + shown(v));
    }

    private static String shown(Object v) {
        return v instanceof String s ? "`" + (s.length() <= 60 ? s : s.substring(0, 57) + "...") + "`" : describe(v);
    }

    static String describe(Object v) {
        if (v == null) {
            return "nothing";
        } else if (v instanceof String s) {
            return "the string `" + s + "`";
        } else if (v instanceof Number || v instanceof Boolean) {
            return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + v;
        } else if (v instanceof List<?>) {
            return "a list";
        } else if (v instanceof Map<?, ?>) {
            return "a mapping";
        }
        return "a " + v.getClass().getSimpleName();
    }
}
