package dev.drover.platform.http;

import dev.drover.platform.input.BodyScan;
import dev.drover.platform.input.RequestRules;
import dev.drover.platform.input.TextProblem;
import dev.drover.platform.input.TextRules;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.RouteAttributes;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The one place every request of every service passes before a controller sees it, so that no input breaks the
 * {@link TextRules}: path segments, query parameters and header values must be valid UTF-8 names or text, a body's
 * charset must be UTF-8, and a JSON or text body must obey the rules as a whole ({@link BodyScan}). A request that
 * breaks them is answered at once with 400 {@code invalid_input} (415 {@code unsupported_charset}), naming where.
 *
 * <p>Why at the edge and not in each controller: what a controller lets through is appended to the log and replayed
 * forever, and a value PostgreSQL cannot store (U+0000 above all) stopped every read model behind it. Controllers
 * still check what only they know (id patterns, lengths of their fields, bounds of their parameters).
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class InputGuardFilter implements Ordered {
    /**
     * The largest body a route accepts unless it says otherwise ({@link BodyLimit}): 1 MiB. A write's body becomes one
     * command record, and the command and event topics take records of at most 4 MiB (Topics).
     */
    public static final int DEFAULT_BODY_LIMIT = 1 << 20;
    /** Longest query parameter value (MLflow search filters are the longest legitimate ones). */
    static final int MAX_QUERY_VALUE = 16_384;

    @Override
    public int getOrder() {
        return HIGHEST_PRECEDENCE + 100; // before anything that reads the request
    }

    /** Every request: its target and headers. */
    @RequestFilter
    @Nullable
    public HttpResponse<ApiError> guard(HttpRequest<?> request) {
        return problem(request).orElse(null);
    }

    /**
     * Requests of the methods that carry a body: the body too. A separate filter method, because binding the body
     * makes the framework buffer it before the filter runs, which a GET (the hot path of lookups) need not pay for.
     */
    @RequestFilter(methods = {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE})
    @Nullable
    public HttpResponse<ApiError> guardBody(HttpRequest<?> request, @Nullable @Body byte[] body) {
        return bodyProblem(request, body).orElse(null);
    }

    /** The answer to a request whose target or headers break the input rules, or nothing. */
    static Optional<HttpResponse<ApiError>> problem(HttpRequest<?> request) {
        String rawPath;
        String rawQuery;
        try {
            rawPath = request.getUri().getRawPath();
            rawQuery = request.getUri().getRawQuery();
        } catch (RuntimeException e) {
            return Optional.of(invalid("path", "the request target is not a valid URI: " + e.getMessage()));
        }
        Optional<HttpResponse<ApiError>> bad = path(rawPath);
        if (bad.isEmpty()) {
            bad = query(rawQuery);
        }
        if (bad.isEmpty()) {
            bad = headers(request);
        }
        return bad;
    }

    /** The answer to a request whose body breaks the input rules or its route's limit, or nothing. */
    static Optional<HttpResponse<ApiError>> bodyProblem(HttpRequest<?> request, byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        int limit = limit(request);
        if (body.length > limit) {
            return Optional.of(tooLarge(body.length, limit));
        }
        return body(request, body);
    }

    private static Optional<HttpResponse<ApiError>> path(String rawPath) {
        if (rawPath == null) {
            return Optional.empty();
        }
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].isEmpty()) {
                continue;
            }
            String where = "path segment " + i;
            Optional<String> decoded = percentDecode(segments[i], false);
            if (decoded.isEmpty()) {
                return Optional.of(invalid(where, "the " + where + " is not valid percent-encoded UTF-8"));
            }
            Optional<String> p = TextRules.name(decoded.get(), RequestRules.MAX_ID_LENGTH);
            if (p.isPresent()) {
                return Optional.of(invalid(where, "the " + where + " " + p.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<HttpResponse<ApiError>> query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            Optional<String> name = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true);
            Optional<String> value = eq < 0 ? Optional.of("") : percentDecode(pair.substring(eq + 1), true);
            String field = "query parameter " + name.map(TextRules::quote).orElse("?");
            if (name.isEmpty() || value.isEmpty()) {
                return Optional.of(invalid(field, "the " + field + " is not valid percent-encoded UTF-8"));
            }
            Optional<String> p = TextRules.name(name.get(), RequestRules.MAX_ID_LENGTH)
                    .map(x -> "the name of " + field + " " + x)
                    .or(() -> TextRules.freeText(value.get(), MAX_QUERY_VALUE).map(x -> "the " + field + " " + x));
            if (p.isPresent()) {
                return Optional.of(invalid(field, p.get()));
            }
        }
        return Optional.empty();
    }

    private static Optional<HttpResponse<ApiError>> headers(HttpRequest<?> request) {
        for (Map.Entry<String, List<String>> h : request.getHeaders()) {
            for (String value : h.getValue()) {
                // Header bytes arrive as ISO-8859-1 characters: only C0 controls and DEL are certainly wrong
                // (a UTF-8 value's continuation bytes look like C1 controls here).
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if ((c < 0x20 && c != '\t') || c == 0x7f) {
                        String field = "header " + h.getKey();
                        return Optional.of(invalid(field, String.format("the %s contains the control character "
                                + "U+%04X at position %d; header values cannot contain control characters",
                                field, (int) c, i)));
                    }
                }
            }
        }
        String contentType = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        Optional<String> charset = charset(contentType);
        if (charset.isPresent() && !isUtf8(charset.get())) {
            return Optional.of(HttpResponse.<ApiError>status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(
                    new ApiError("unsupported_charset", "the body's charset " + TextRules.quote(charset.get())
                            + " is not supported: Drover reads UTF-8 only",
                            List.of(new ApiError.Problem("header Content-Type", "charset " + charset.get())),
                            "encode the body as UTF-8 and send Content-Type without a charset or with "
                                    + "charset=utf-8")));
        }
        return Optional.empty();
    }

    private static Optional<HttpResponse<ApiError>> body(HttpRequest<?> request, byte[] body) {
        String type = mediaType(request.getHeaders().get(HttpHeaders.CONTENT_TYPE));
        Optional<TextProblem> p;
        if (type.equals("application/json") || type.endsWith("+json")) {
            p = BodyScan.json(body);
        } else if (type.startsWith("text/") || type.endsWith("yaml") || type.endsWith("+xml")
                || type.equals("application/xml") || type.isEmpty()) {
            p = BodyScan.text(body);
        } else {
            return Optional.empty(); // binary (e.g. a CloudEvent's octet-stream data): its reader checks it
        }
        return p.map(x -> invalid(x.pointer().isEmpty() ? "body" : x.pointer(), x.message()
                + (x.pointer().isEmpty() ? "" : " (at " + x.pointer() + ")")));
    }

    private static int limit(HttpRequest<?> request) {
        return RouteAttributes.getRouteInfo(request)
                .flatMap(r -> r.getAnnotationMetadata().intValue(BodyLimit.class, "bytes").stream().boxed().findFirst())
                .orElse(DEFAULT_BODY_LIMIT);
    }

    private static HttpResponse<ApiError> tooLarge(int bytes, int limit) {
        ApiException e = PayloadTooLargeHandler.tooLarge("the body is " + bytes + " bytes; this endpoint takes at most "
                + limit, "send a smaller body (docs/api.md, \"Limits\"): large data belongs in files or object "
                + "storage, referenced by location");
        return HttpResponse.<ApiError>status(e.status()).body(e.body());
    }

    private static HttpResponse<ApiError> invalid(String where, String message) {
        return HttpResponse.<ApiError>status(HttpStatus.BAD_REQUEST).body(RequestRules.invalid(where, message)
                .body());
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private static Optional<String> charset(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        for (String part : contentType.split(";")) {
            String p = part.strip();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String v = p.substring(8).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    private static boolean isUtf8(String charset) {
        String c = charset.toLowerCase(Locale.ROOT);
        return c.equals("utf-8") || c.equals("utf8") || c.equals("us-ascii") || c.equals("ascii");
    }

    /**
     * Strict percent-decoding as UTF-8: empty when an escape is malformed or the bytes are not UTF-8 (the
     * framework's lenient decoding would have turned them into U+FFFD and looked up a different id).
     */
    static Optional<String> percentDecode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return Optional.of(s);
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 3);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                bytes.put((byte) (hi * 16 + lo));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.put((byte) ' ');
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(bytes);
            return Optional.of(chars.toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
