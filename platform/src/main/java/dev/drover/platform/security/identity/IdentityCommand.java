package dev.drover.platform.security.identity;

import dev.drover.platform.security.Grant;

import java.time.Instant;

/**
 * What an admin (or the first start) asks of the identities: the whole vocabulary of accounts, grants, tokens and
 * secrets. Nothing secret travels in clear in a command: passwords arrive already hashed (bcrypt), tokens as the
 * SHA-256 of their secret part, secrets sealed with the secret key, all done at the edge before anything reaches the
 * log.
 */
public sealed interface IdentityCommand {

    /** Unique per command; a retried request carries the same id and is decided once. */
    String commandId();

    /** The authenticated principal who asked. */
    String by();

    record CreateAccount(String commandId, String name, AccountKind kind, String passwordHash, String by)
            implements IdentityCommand {
    }

    record SetPassword(String commandId, String account, String passwordHash, String by) implements IdentityCommand {
    }

    record GrantRole(String commandId, String account, Grant grant, String by) implements IdentityCommand {
    }

    record RevokeRole(String commandId, String account, Grant grant, String by) implements IdentityCommand {
    }

    /** {@code expiresAt} null: the token lives until revoked. */
    record IssueToken(String commandId, String tokenId, String account, String secretHash, Instant expiresAt,
                      String description, String by) implements IdentityCommand {
    }

    record RevokeToken(String commandId, String tokenId, String by) implements IdentityCommand {
    }

    /** A disabled account keeps its history but can no longer sign in; its tokens stop working with it. */
    record DisableAccount(String commandId, String account, String by) implements IdentityCommand {
    }

    /** Creates or replaces the secret {@code name}; {@code sealed} is its value sealed with key {@code keyId}. */
    record SetSecret(String commandId, String name, String keyId, String sealed, String by) implements IdentityCommand {
    }

    record DeleteSecret(String commandId, String name, String by) implements IdentityCommand {
    }
}
