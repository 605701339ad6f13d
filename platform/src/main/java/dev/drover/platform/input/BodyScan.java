package dev.drover.platform.input;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Checks a request body against {@link TextRules} before any controller reads it. A JSON body: valid UTF-8, every
 * string and member name free text, nesting at most {@link #MAX_DEPTH} deep. A text body (YAML, plain text, CSV …):
 * valid UTF-8 and free text as a whole.
 *
 * <p>Every body passes here, so the common case is one pass over the bytes with no allocation: in well-formed JSON a
 * control character or an unpaired surrogate can only be written as a {@code \\u} escape, so it is enough to look at
 * the escapes, the UTF-8 sequences and the brackets. Only a body that fails (or that is not JSON at all) is parsed
 * again, with Jackson, to say where: the JSON pointer of the offending value.
 */
public final class BodyScan {
    /** Deepest nesting of arrays and objects a body may have. */
    public static final int MAX_DEPTH = 100;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private BodyScan() {
    }

    /** The first problem of a JSON body, or nothing. An empty body has none. */
    public static Optional<TextProblem> json(byte[] body) {
        if (body == null || body.length == 0 || quickPass(body)) {
            return Optional.empty();
        }
        return locate(body);
    }

    /** The first problem of a text body (YAML, plain text …), or nothing. */
    public static Optional<TextProblem> text(byte[] body) {
        if (body == null) {
            return Optional.empty();
        }
        int line = 1;
        int column = 1;
        for (int i = 0; i < body.length; ) {
            int c = body[i] & 0xff;
            if (c >= 0x80) {
                int len = utf8Length(body, i);
                if (len < 0) {
                    return Optional.of(new TextProblem("", "the body is not valid UTF-8 (byte " + i + ", line " + line
                            + ", column " + column + ")"));
                }
                if (c == 0xC2 && (body[i + 1] & 0xff) <= 0x9f) {
                    return Optional.of(new TextProblem("", controlCharacter(0x80 + (body[i + 1] & 0x1f), line, column)));
                }
                i += len;
                column++;
                continue;
            }
            if (c == '\n') {
                line++;
                column = 1;
            } else if (forbidden(c)) {
                return Optional.of(new TextProblem("", controlCharacter(c, line, column)));
            } else {
                column++;
            }
            i++;
        }
        return Optional.empty();
    }

    private static String controlCharacter(int c, int line, int column) {
        return String.format("the body contains the control character U+%04X%s at line %d, column %d; text cannot "
                + "contain control characters other than tab and line breaks", c, c == 0 ? " (NUL)" : "", line,
                column);
    }

    /**
     * True when the body certainly obeys the rules; false when it may not (then {@link #locate} decides). Tracks
     * strings, escapes and depth; validates UTF-8 sequences.
     */
    static boolean quickPass(byte[] b) {
        int depth = 0;
        boolean inString = false;
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i] & 0xff;
            if (c >= 0x80) {
                int len = utf8Length(b, i);
                if (len < 0) {
                    return false;
                }
                i += len;
                continue;
            }
            if (inString) {
                if (c == '"') {
                    inString = false;
                } else if (c == '\\') {
                    if (i + 1 >= n) {
                        return false;
                    }
                    if (b[i + 1] == 'u') {
                        int cp = hex4(b, i + 2);
                        if (cp < 0 || forbidden(cp)) {
                            return false;
                        }
                        if (cp >= 0xD800 && cp <= 0xDBFF) {
                            // a high surrogate must be followed at once by an escaped low one
                            int low = i + 7 < n && b[i + 6] == '\\' && b[i + 7] == 'u' ? hex4(b, i + 8) : -1;
                            if (low < 0xDC00 || low > 0xDFFF) {
                                return false;
                            }
                            i += 12;
                            continue;
                        }
                        if (cp >= 0xDC00 && cp <= 0xDFFF) {
                            return false;
                        }
                        i += 6;
                        continue;
                    }
                    i += 2;
                    continue;
                } else if (c < 0x20) {
                    return false; // a raw control character inside a string is not JSON
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                if (++depth > MAX_DEPTH) {
                    return false;
                }
            } else if (c == ']' || c == '}') {
                depth--;
            }
            i++;
        }
        return true;
    }

    private static boolean forbidden(int cp) {
        return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7f && cp <= 0x9f);
    }

    private static int hex4(byte[] b, int from) {
        if (from + 4 > b.length) {
            return -1;
        }
        int v = 0;
        for (int k = from; k < from + 4; k++) {
            int d = Character.digit(b[k], 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    /** The length of the valid UTF-8 sequence starting at {@code i}, or -1 (overlong, surrogate, truncated …). */
    static int utf8Length(byte[] b, int i) {
        int c = b[i] & 0xff;
        int len;
        int min;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            min = 0x10000;
        } else {
            return -1;
        }
        if (i + len > b.length) {
            return -1;
        }
        int cp = c & (0xFF >> (len + 1));
        for (int k = 1; k < len; k++) {
            int cc = b[i + k] & 0xff;
            if ((cc & 0xC0) != 0x80) {
                return -1;
            }
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return -1;
        }
        return len;
    }

    /** Parses the body to name the first problem and where it is; empty if there is none after all. */
    static Optional<TextProblem> locate(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if ((body[i] & 0xff) >= 0x80) {
                int len = utf8Length(body, i);
                if (len < 0) {
                    // Jackson would read some of these (encoded surrogates, overlong forms) without a word
                    return Optional.of(new TextProblem("", "the body is not valid UTF-8 (byte " + i + ")"));
                }
                i += len - 1;
            }
        }
        Deque<Object> path = new ArrayDeque<>(); // member names (String) and array indexes (int[] {index})
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        advanceIndex(path);
                        path.push(t == JsonToken.START_ARRAY ? new int[] {-1} : "");
                    }
                    case END_OBJECT, END_ARRAY -> path.pop();
                    case FIELD_NAME -> {
                        path.pop();
                        path.push(p.currentName());
                        Optional<String> bad = TextRules.freeText(p.currentName());
                        if (bad.isPresent()) {
                            return Optional.of(new TextProblem(pointer(path), "the member name " + bad.get()));
                        }
                    }
                    case VALUE_STRING -> {
                        advanceIndex(path);
                        Optional<String> bad = TextRules.freeText(p.getText());
                        if (bad.isPresent()) {
                            return Optional.of(new TextProblem(pointer(path), "the text " + bad.get()));
                        }
                    }
                    default -> advanceIndex(path);
                }
            }
        } catch (JsonProcessingException e) {
            String what = e.getOriginalMessage();
            if (what != null && what.contains("nesting depth")) {
                return Optional.of(new TextProblem(pointer(path), "the body nests arrays and objects more than "
                        + MAX_DEPTH + " levels deep"));
            }
            if (what != null && what.toLowerCase(java.util.Locale.ROOT).contains("utf-8")) {
                return Optional.of(new TextProblem(pointer(path), "the body is not valid UTF-8 ("
                        + firstLine(what) + ")"));
            }
            return Optional.of(new TextProblem(pointer(path), "the body is not valid JSON: " + firstLine(what)
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")" : "")));
        } catch (IOException e) {
            return Optional.of(new TextProblem("", "the body could not be read: " + e.getMessage()));
        }
        return Optional.empty();
    }

    private static void advanceIndex(Deque<Object> path) {
        if (!path.isEmpty() && path.peek() instanceof int[] index) {
            index[0]++;
        }
    }

    private static String pointer(Deque<Object> path) {
        StringBuilder out = new StringBuilder();
        var it = path.descendingIterator();
        while (it.hasNext()) {
            Object step = it.next();
            out.append('/');
            if (step instanceof int[] index) {
                out.append(Math.max(index[0], 0));
            } else {
                String name = (String) step;
                // a pointer shows a bad member name escaped, never raw
                String shown = TextRules.freeText(name).isPresent() ? TextRules.quote(name) : name;
                out.append(shown.replace("~", "~0").replace("/", "~1"));
            }
        }
        return out.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + " …" : line;
    }
}
