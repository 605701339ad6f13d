package dev.drover.platform.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A web UI session: an ordinary API token ({@code POST /api/v1/sessions}, short-lived) kept in an HttpOnly,
 * SameSite=Strict cookie. The cookie is a credential only on the UI's pages ({@link RequiresPermission#page()}): the
 * JSON API keeps asking for an {@code Authorization} header, so no other site can make a browser call it with the
 * cookie. Forms of the UI carry {@link #csrf} of the session, which a page of another site cannot know.
 */
public final class BrowserSession {
    public static final String COOKIE = "drover_session";
    public static final String CSRF_FIELD = "csrf";

    private BrowserSession() {
    }

    /** The API token of the session cookie, if the request has one. */
    public static Optional<String> token(HttpRequest<?> request) {
        return request.getCookies().findCookie(COOKIE).map(Cookie::getValue).filter(v -> !v.isBlank());
    }

    /** The form token of a session: derived from the session's secret, so it cannot be guessed without it. */
    public static String csrf(String sessionToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("drover-csrf:" + sessionToken).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Whether a form's token belongs to this session (constant time). */
    public static boolean csrfMatches(String sessionToken, String formToken) {
        return formToken != null && MessageDigest.isEqual(csrf(sessionToken).getBytes(StandardCharsets.US_ASCII),
                formToken.getBytes(StandardCharsets.US_ASCII));
    }
}
