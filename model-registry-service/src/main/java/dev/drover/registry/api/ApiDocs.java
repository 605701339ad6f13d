package dev.drover.registry.api;

/**
 * What the registry's OpenAPI document says about names and common parameters, in one place so that the
 * {@code @Parameter}/{@code @Schema} annotations agree with each other and with the core's NamingRules. The document
 * is generated from these annotations at compile time.
 */
public final class ApiDocs {
    /** NamingRules: model and feature-set names (1–256 characters, no / \ % or control characters). */
    public static final String NAME = "^[^/\\\\%\\x00-\\x1f\\x7f]{1,256}$";
    /** NamingRules: aliases (letters, digits, _ and -; Unicode letters are allowed too). */
    public static final String ALIAS = "^[A-Za-z0-9_-]{1,255}$";
    /** NamingRules: tag keys. */
    public static final String KEY = "^[A-Za-z0-9_./ -]{1,250}$";
    public static final String VERSION = "^[1-9][0-9]{0,8}$";
    public static final String PRINCIPAL_DESCRIPTION = "who asks; recorded in the events (default anonymous, at most "
            + "200 characters)";
    public static final String IDEMPOTENCY_DESCRIPTION = "1 to 200 characters; becomes the command id, so a retry "
            + "with the same key is answered with the first outcome (docs/registry-api.md)";
    public static final String LIMIT_DESCRIPTION = "page size, 1 to 1000 (default 100)";
    public static final String PAGE_TOKEN_DESCRIPTION = "the previous page's nextPageToken";
    static final String JSON = "application/json";

    private ApiDocs() {
    }
}
