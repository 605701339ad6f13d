package dev.drover.platform.readmodel;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page tokens of the read models' list endpoints: {@code <kind>:<position>} in URL-safe Base64, so a token
 * of one list is refused by another.
 */
public final class PageTokens {
    /** The sentence a refused token is answered with. */
    public static final String INVALID = "pageToken is not a token this list gave out: pass the nextPageToken of "
            + "the previous page unchanged, or leave it out to start from the first page";

    private PageTokens() {
    }

    public static String encode(String kind, String position) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + position).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The position in a token of this kind; null when there is no token (the first page).
     *
     * @throws IllegalArgumentException with {@link #INVALID} if the token is not one of this kind
     */
    public static String decode(String token, String kind) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(INVALID, e);
        }
        if (!text.startsWith(kind + ":")) {
            throw new IllegalArgumentException(INVALID);
        }
        return text.substring(kind.length() + 1);
    }
}
