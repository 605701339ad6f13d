package dev.drover.platform.security.identity;

import dev.drover.platform.security.Grant;

import java.time.Instant;

/**
 * What happened to the identities, in the past tense; every service rebuilds who may do what from these alone.
 * Each event names the principal who caused it ({@code by}) and when ({@code at}).
 */
public sealed interface IdentityEvent {

    String by();

    Instant at();

    record AccountCreated(String name, AccountKind kind, String passwordHash, String by, Instant at)
            implements IdentityEvent {
    }

    record PasswordSet(String account, String passwordHash, String by, Instant at) implements IdentityEvent {
    }

    record RoleGranted(String account, Grant grant, String by, Instant at) implements IdentityEvent {
    }

    record RoleRevoked(String account, Grant grant, String by, Instant at) implements IdentityEvent {
    }

    record TokenIssued(String tokenId, String account, String secretHash, Instant expiresAt, String description,
                       String by, Instant at) implements IdentityEvent {
    }

    record TokenRevoked(String tokenId, String by, Instant at) implements IdentityEvent {
    }

    record AccountDisabled(String account, String by, Instant at) implements IdentityEvent {
    }

    record SecretSet(String name, String keyId, String sealed, String by, Instant at) implements IdentityEvent {
    }

    record SecretDeleted(String name, String by, Instant at) implements IdentityEvent {
    }

    /**
     * A command that was refused, with a code a client can act on and a message; it carries no value from the
     * command (no name that failed the rules, no hash), so nothing the caller sent is kept.
     */
    record IdentityCommandRejected(String commandId, String code, String message, String by, Instant at)
            implements IdentityEvent {
    }
}
