package dev.drover.platform.security.secrets;

import dev.drover.platform.security.identity.Secret;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a task's config refers to a secret: {@code {{ secrets.NAME }}}. The scheduler renders every other template
 * when it dispatches an attempt but leaves each secret reference as its {@linkplain #placeholder placeholder}, and
 * the dispatch lists the names the task's spec refers to; the executor replaces the placeholders of those names, and
 * only those, with the values, in the attempt's memory. So a value is never on a topic in clear, and a parameter or
 * an upstream output that happens to contain a placeholder cannot make a task read a secret its author did not give
 * it.
 */
public final class SecretReferences {
    private static final String NAME = Secret.NAME.pattern();
    /** A reference as an author may write it: spaces and Pebble's whitespace control are free. */
    private static final Pattern WRITTEN = Pattern.compile("\\{\\{-?\\s*secrets\\s*\\.\\s*(" + NAME + ")\\s*-?}}");
    /** The placeholder the scheduler renders a reference to. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{ secrets\\.(" + NAME + ") }}");

    private SecretReferences() {
    }

    /** Whether the text between {@code {{} and {@code }}} is exactly one reference (no filter, no operator). */
    public static boolean isWholeReference(String expression) {
        return WRITTEN.matcher("{{" + expression + "}}").matches();
    }

    /** What the scheduler renders {@code {{ secrets.NAME }}} to, for the executor to fill in. */
    public static String placeholder(String name) {
        return "{{ secrets." + name + " }}";
    }

    /** The names of the secrets referred to anywhere in a config (strings inside maps and lists), in order. */
    public static Set<String> names(Object config) {
        Set<String> out = new LinkedHashSet<>();
        collect(config, out);
        return out;
    }

    private static void collect(Object value, Set<String> out) {
        if (value instanceof String s) {
            if (s.contains("secrets")) {
                Matcher m = WRITTEN.matcher(s);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> collect(v, out));
        } else if (value instanceof Collection<?> list) {
            list.forEach(v -> collect(v, out));
        }
    }

    /** The template context entry {@code secrets}: each name bound to its placeholder. */
    public static Map<String, String> placeholders(Collection<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        names.forEach(n -> out.put(n, placeholder(n)));
        return out;
    }

    /**
     * {@code config} with the placeholders of the secrets in {@code values} replaced by their values; placeholders
     * of other names stay as they are.
     */
    public static Object fill(Object config, Map<String, String> values) {
        if (config instanceof String s) {
            if (!s.contains("{{ secrets.")) {
                return s;
            }
            Matcher m = PLACEHOLDER.matcher(s);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String value = values.get(m.group(1));
                m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
            }
            m.appendTail(out);
            return out.toString();
        }
        if (config instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), fill(v, values)));
            return out;
        }
        if (config instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(fill(v, values)));
            return out;
        }
        return config;
    }
}
