package dev.drover.platform.security.identity;

import java.time.Instant;

/** An API token as the identities know it: only the SHA-256 of its secret part is kept. */
public record Token(String id, String account, String secretHash, Instant issuedAt, Instant expiresAt,
                    String description, boolean revoked) {

    /** Whether it may still be used at {@code now}. */
    public boolean usableAt(Instant now) {
        return !revoked && (expiresAt == null || now.isBefore(expiresAt));
    }
}
