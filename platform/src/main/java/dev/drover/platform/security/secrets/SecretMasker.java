package dev.drover.platform.security.secrets;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces the values of an attempt's secrets with {@value #MASK} in whatever leaves the attempt: log lines,
 * outputs, failure messages. A value of several lines is also masked line by line, because logs are read a line at
 * a time. Values shorter than {@value #MIN_LENGTH} characters cannot be masked without masking ordinary text, so
 * the admin API refuses them. What a task does to a value before printing it (encode it, print it a character at
 * a time) is beyond any masker: docs/security.md says so.
 */
public final class SecretMasker {
    public static final String MASK = "***";
    /** The shortest value that is masked (and that can be stored as a secret). */
    public static final int MIN_LENGTH = 4;
    /** Masks nothing. */
    public static final SecretMasker NONE = new SecretMasker(List.of());

    /** Longest first, so that a value containing another is masked whole. */
    private final List<String> values;

    private SecretMasker(List<String> values) {
        this.values = values;
    }

    public static SecretMasker of(Collection<String> secretValues) {
        Set<String> all = new LinkedHashSet<>();
        for (String v : secretValues) {
            add(v, all);
            if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                for (String line : v.split("\r?\n|\r")) {
                    add(line, all);
                }
            }
        }
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new SecretMasker(List.copyOf(sorted));
    }

    private static void add(String v, Set<String> into) {
        if (v != null && v.strip().length() >= MIN_LENGTH) {
            into.add(v);
            if (!v.equals(v.strip())) {
                into.add(v.strip());
            }
        }
    }

    public boolean masksNothing() {
        return values.isEmpty();
    }

    public String mask(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        String out = text;
        for (String v : values) {
            if (out.contains(v)) {
                out = out.replace(v, MASK);
            }
        }
        return out;
    }

    /** {@code value} with every string in it masked, map keys included (JSON values: maps, lists, scalars). */
    public Object maskDeep(Object value) {
        if (values.isEmpty()) {
            return value;
        }
        if (value instanceof String s) {
            return mask(s);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(mask(String.valueOf(k)), maskDeep(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(maskDeep(v)));
            return out;
        }
        return value;
    }
}
