package dev.drover.scheduler.pipeline;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an asset URI may be (see {@code docs/assets.md}): a scheme, a colon, and a non-empty rest without spaces, e.g.
 * {@code s3://bucket/features/churn}, {@code gs://b/x}, {@code file:///data/x.csv}, {@code postgres://db/schema.t},
 * or a plain name in the {@code asset:} scheme, {@code asset:churn-features}. Drover never opens an asset: the URI
 * is an identifier that producers and consumers must spell identically (it is compared as written).
 */
public final class AssetUris {
    /** Longest URI accepted. */
    public static final int MAX_LENGTH = 1024;
    private static final Pattern URI = Pattern.compile("[a-z][a-z0-9+.-]*:[^\\s{}]+");
    private static final Pattern SCHEME_ONLY = Pattern.compile("[a-z][a-z0-9+.-]*:(//)?");

    private AssetUris() {
    }

    /** Why {@code uri} is not an asset URI, or empty when it is one. */
    public static Optional<String> problem(String uri) {
        if (uri == null || uri.isBlank()) {
            return Optional.of("an asset URI is required, e.g. s3://bucket/features/churn or asset:churn-features");
        }
        if (uri.length() > MAX_LENGTH) {
            return Optional.of("an asset URI has at most " + MAX_LENGTH + " characters, this one has " + uri.length());
        }
        if (uri.contains("{{") || uri.contains("{%")) {
            return Optional.of("`" + uri + "` holds a template; asset URIs are fixed names, resolved at registration "
                    + "(put the varying part in the task's outputs instead)");
        }
        if (SCHEME_ONLY.matcher(uri).matches()) {
            return Optional.of("`" + uri + "` has a scheme but nothing after it; name the asset, e.g. "
                    + uri + (uri.endsWith("//") ? "bucket/path" : "name"));
        }
        if (!URI.matcher(uri).matches()) {
            String fixed = uri.strip().replaceAll("\\s+", "-");
            return Optional.of("`" + uri + "` is not an asset URI: write a lowercase scheme, a colon and the asset's "
                    + "name without spaces, e.g. s3://bucket/path, file:///data/x.csv, postgres://db/table, or "
                    + "asset:" + (fixed.matches("[^:{}]+") ? fixed : "my-dataset") + " for a plain name");
        }
        return Optional.empty();
    }
}
