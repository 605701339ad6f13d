package dev.drover.platform.input;

import java.util.Optional;

/**
 * The rules every text that enters Drover from outside obeys: identifiers, names, tags, parameters and free text
 * from REST bodies, paths, query strings, headers and records on the topics Drover reads. They are checked at the
 * edge, before anything reaches the log, because what reaches the log is replayed forever: PostgreSQL's
 * {@code text} and {@code jsonb} cannot hold U+0000, and a value one table cannot store must never be able to stop a
 * projector (docs/api.md, "Input rules").
 *
 * <ul>
 *   <li><b>Free text</b> (descriptions, messages, parameter values, JSON strings): no NUL and no other control
 *       character but tab, line feed and carriage return; no unpaired UTF-16 surrogate (it has no UTF-8 encoding,
 *       so it would turn into something else on its way to the database).</li>
 *   <li><b>Names</b> (identifiers, keys, header values): as free text, and no tab or line break either.</li>
 * </ul>
 * Lengths are the caller's: each field knows its own maximum.
 *
 * <p>A problem is a sentence that names what is wrong without repeating the offending text raw: {@link #quote}
 * gives the printable, shortened form a message may show.
 */
public final class TextRules {
    /** How many characters of an offending value a message shows. */
    private static final int QUOTE_LENGTH = 60;

    private TextRules() {
    }

    /** What is wrong with {@code value} as free text, or nothing. */
    public static Optional<String> freeText(String value) {
        return check(value, false);
    }

    /** What is wrong with {@code value} as a name (no line breaks or tabs either), or nothing. */
    public static Optional<String> name(String value) {
        return check(value, true);
    }

    /** What is wrong with {@code value} as free text of at most {@code maxLength} characters, or nothing. */
    public static Optional<String> freeText(String value, int maxLength) {
        return tooLong(value, maxLength).or(() -> check(value, false));
    }

    /** What is wrong with {@code value} as a name of at most {@code maxLength} characters, or nothing. */
    public static Optional<String> name(String value, int maxLength) {
        return tooLong(value, maxLength).or(() -> check(value, true));
    }

    /**
     * The first free-text problem anywhere in a decoded value — a string, or maps, lists and JSON trees of them (keys
     * included) — with its JSON pointer; nothing if every text obeys the rules.
     */
    public static Optional<TextProblem> problemIn(Object value) {
        return problemIn(value, "");
    }

    private static Optional<TextProblem> problemIn(Object value, String pointer) {
        if (value instanceof String s) {
            return freeText(s).map(p -> new TextProblem(pointer, "the text " + p));
        }
        if (value instanceof com.fasterxml.jackson.databind.JsonNode node) {
            if (node.isTextual()) {
                return problemIn(node.textValue(), pointer);
            }
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    Optional<TextProblem> p = problemIn(node.get(i), pointer + "/" + i);
                    if (p.isPresent()) {
                        return p;
                    }
                }
            } else if (node.isObject()) {
                for (var it = node.fields(); it.hasNext(); ) {
                    var e = it.next();
                    Optional<TextProblem> p = member(e.getKey(), e.getValue(), pointer);
                    if (p.isPresent()) {
                        return p;
                    }
                }
            }
            return Optional.empty();
        }
        if (value instanceof java.util.Map<?, ?> map) {
            for (var e : map.entrySet()) {
                Optional<TextProblem> p = member(String.valueOf(e.getKey()), e.getValue(), pointer);
                if (p.isPresent()) {
                    return p;
                }
            }
        } else if (value instanceof Iterable<?> list) {
            int i = 0;
            for (Object item : list) {
                Optional<TextProblem> p = problemIn(item, pointer + "/" + i++);
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<TextProblem> member(String key, Object value, String pointer) {
        Optional<String> bad = freeText(key);
        if (bad.isPresent()) {
            return Optional.of(new TextProblem(pointer, "the member name " + quote(key) + " " + bad.get()));
        }
        return problemIn(value, pointer + "/" + key.replace("~", "~0").replace("/", "~1"));
    }

    /** Whether {@code value} obeys the free-text rules. */
    public static boolean isFreeText(String value) {
        return value == null || check(value, false).isEmpty();
    }

    private static Optional<String> tooLong(String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            return Optional.of("is " + value.length() + " characters long; at most " + maxLength + " are allowed");
        }
        return Optional.empty();
    }

    private static Optional<String> check(String value, boolean name) {
        if (value == null) {
            return Optional.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                if (!name && (c == '\t' || c == '\n' || c == '\r')) {
                    continue;
                }
                return Optional.of("contains the control character " + codePoint(c) + " at position " + i
                        + (c == 0 ? " (NUL)" : "") + "; " + (name
                        ? "names cannot contain control characters, tabs or line breaks"
                        : "text cannot contain control characters other than tab and line breaks"));
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return Optional.of("contains an unpaired UTF-16 surrogate " + codePoint(c) + " at position " + i
                        + "; send text as valid Unicode (escape only complete surrogate pairs)");
            }
            if (Character.isLowSurrogate(c)) {
                return Optional.of("contains an unpaired UTF-16 surrogate " + codePoint(c) + " at position " + i
                        + "; send text as valid Unicode (escape only complete surrogate pairs)");
            }
        }
        return Optional.empty();
    }

    private static String codePoint(char c) {
        return String.format("U+%04X", (int) c);
    }

    /**
     * A printable form of a value for an error message: control characters and unpaired surrogates escaped as
     * {@code \\uXXXX}, cut to a few dozen characters, in single quotes.
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("'");
        int shown = Math.min(value.length(), QUOTE_LENGTH);
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            boolean unpaired = Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(value.charAt(i - 1)));
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || unpaired || c == '\'' || c == '\\') {
                out.append(c == '\'' ? "\\'" : c == '\\' ? "\\\\" : String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('\'');
        if (value.length() > shown) {
            out.append(" (").append(value.length()).append(" characters, cut)");
        }
        return out.toString();
    }
}
