package dev.drover.platform.security;

/**
 * What the enforcement point knows about a request's caller: proved ({@link Authenticated}), no credentials at all
 * ({@link Anonymous}), or credentials that prove nothing ({@link Refused}, with why and what to do — never which of
 * user name or password was wrong).
 */
public sealed interface Authentication {

    /** {@code validUntil}: when the proof stops holding (a token's expiry), or null for no limit. */
    record Authenticated(Principal principal, java.time.Instant validUntil) implements Authentication {
        public Authenticated(Principal principal) {
            this(principal, null);
        }
    }

    record Anonymous() implements Authentication {
    }

    record Refused(String reason, String fix) implements Authentication {
    }
}
