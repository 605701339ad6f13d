package dev.drover.registry.mlflow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code page_token} / {@code next_page_token} of the MLflow searches. Clients treat it as opaque; inside it is
 * what MLflow's own stores use, the offset of the next page's first row as base64 of {@code {"offset": n}}. An offset
 * (rather than a position in the sort order) is what MLflow does too: a page can repeat or skip a row that moved in
 * the order between two calls, a known limit written down in docs/mlflow-compatibility.md.
 */
public final class PageToken {
    private static final Pattern OFFSET = Pattern.compile("\\{\\s*\"offset\"\\s*:\\s*\"?(\\d{1,10})\"?\\s*}");

    private PageToken() {
    }

    /** The token for the page starting at {@code offset}. */
    public static String encode(long offset) {
        return Base64.getEncoder().encodeToString(("{\"offset\": " + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    /** The offset a token stands for; 0 for no token. */
    public static long decode(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(token.trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(token, "it is not base64");
        }
        Matcher m = OFFSET.matcher(decoded.trim());
        if (!m.matches()) {
            throw invalid(token, "it does not hold an offset");
        }
        return Long.parseLong(m.group(1));
    }

    private static MlflowException invalid(String token, String why) {
        return MlflowException.invalidParameter("Invalid page token '" + token + "': " + why + ". Pass the "
                + "next_page_token of the previous response unchanged, or leave page_token out for the first page.");
    }
}
