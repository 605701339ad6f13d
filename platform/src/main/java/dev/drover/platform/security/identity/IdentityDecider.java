package dev.drover.platform.security.identity;

import dev.drover.platform.input.TextRules;
import dev.drover.platform.security.Grant;
import dev.drover.platform.security.Role;
import dev.drover.platform.security.identity.IdentityCommand.CreateAccount;
import dev.drover.platform.security.identity.IdentityCommand.DeleteSecret;
import dev.drover.platform.security.identity.IdentityCommand.SetSecret;
import dev.drover.platform.security.identity.IdentityCommand.DisableAccount;
import dev.drover.platform.security.identity.IdentityCommand.GrantRole;
import dev.drover.platform.security.identity.IdentityCommand.IssueToken;
import dev.drover.platform.security.identity.IdentityCommand.RevokeRole;
import dev.drover.platform.security.identity.IdentityCommand.RevokeToken;
import dev.drover.platform.security.identity.IdentityCommand.SetPassword;
import dev.drover.platform.security.identity.IdentityEvent.AccountCreated;
import dev.drover.platform.security.identity.IdentityEvent.AccountDisabled;
import dev.drover.platform.security.identity.IdentityEvent.IdentityCommandRejected;
import dev.drover.platform.security.identity.IdentityEvent.PasswordSet;
import dev.drover.platform.security.identity.IdentityEvent.RoleGranted;
import dev.drover.platform.security.identity.IdentityEvent.RoleRevoked;
import dev.drover.platform.security.identity.IdentityEvent.SecretDeleted;
import dev.drover.platform.security.identity.IdentityEvent.SecretSet;
import dev.drover.platform.security.identity.IdentityEvent.TokenIssued;
import dev.drover.platform.security.identity.IdentityEvent.TokenRevoked;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides what an identity command means: {@code decide(state, command, now) → events}, a single
 * {@link IdentityCommandRejected}, or no events when the command asks for what already is (granting a role the
 * account holds, revoking a revoked token), so that a retried request changes nothing.
 *
 * <p>Pure: it reads only {@code state} and uses no clock but {@code now}. One rule protects the whole system: the
 * last enabled unscoped admin can be neither disabled nor lose that grant, so that no one can lock everyone out.
 */
public final class IdentityDecider {

    /** Account names: lower-case letters, digits and {@code . _ @ -}, so an e-mail address fits; 1 to 100 long. */
    public static final Pattern ACCOUNT_NAME = Pattern.compile("[a-z0-9][a-z0-9._@-]{0,99}");
    /** Token ids: 16 lower-case letters and digits, the part of a token that is not secret. */
    public static final Pattern TOKEN_ID = Pattern.compile("[a-z0-9]{16}");
    private static final Pattern SECRET_HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern PASSWORD_HASH = Pattern.compile("\\$2[aby]?\\$\\d\\d\\$[./A-Za-z0-9]{53}");
    private static final int MAX_DESCRIPTION = 200;
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern SEALED = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    /** A 64 KiB value sealed: nonce and tag added, then base64. */
    private static final int MAX_SEALED = 90_000;

    private IdentityDecider() {
    }

    public static List<IdentityEvent> decide(Identities state, IdentityCommand command, Instant now) {
        if (command instanceof CreateAccount c) {
            return create(state, c, now);
        }
        if (command instanceof RevokeToken c) {
            return revokeToken(state, c, now);
        }
        if (command instanceof SetSecret c) {
            return setSecret(c, now);
        }
        if (command instanceof DeleteSecret c) {
            return state.secret(c.name()).isEmpty()
                    ? reject(c, now, "unknown_secret", "there is no secret of that name")
                    : List.of(new SecretDeleted(c.name(), c.by(), now));
        }
        String account = command instanceof SetPassword c ? c.account()
                : command instanceof GrantRole c ? c.account()
                : command instanceof RevokeRole c ? c.account()
                : command instanceof IssueToken c ? c.account()
                : command instanceof DisableAccount c ? c.account()
                : null;
        Optional<Account> known = state.account(account);
        if (known.isEmpty()) {
            return reject(command, now, "unknown_account", "there is no account of that name");
        }
        if (command instanceof SetPassword c) {
            return c.passwordHash() == null || !PASSWORD_HASH.matcher(c.passwordHash()).matches()
                    ? reject(c, now, "invalid_password_hash", "a password is stored as a bcrypt hash")
                    : List.of(new PasswordSet(c.account(), c.passwordHash(), c.by(), now));
        }
        if (command instanceof GrantRole c) {
            Optional<String> scope = scopeProblem(c.grant());
            if (scope.isPresent()) {
                return reject(c, now, "invalid_scope", scope.get());
            }
            return known.get().grants().contains(c.grant())
                    ? List.of()
                    : List.of(new RoleGranted(c.account(), c.grant(), c.by(), now));
        }
        if (command instanceof RevokeRole c) {
            return revokeRole(state, known.get(), c, now);
        }
        if (command instanceof IssueToken c) {
            return issueToken(state, known.get(), c, now);
        }
        if (command instanceof DisableAccount c) {
            return disable(state, known.get(), c, now);
        }
        throw new IllegalArgumentException("no rule for " + command.getClass().getSimpleName());
    }

    private static List<IdentityEvent> create(Identities state, CreateAccount c, Instant now) {
        if (!ACCOUNT_NAME.matcher(nullToEmpty(c.name())).matches()) {
            return reject(c, now, "invalid_account_name", "an account name is 1 to 100 lower-case letters, digits "
                    + "and . _ @ -, starting with a letter or digit");
        }
        if (c.kind() == null) {
            return reject(c, now, "invalid_account_kind", "an account is a person or a service");
        }
        if (c.passwordHash() != null && !PASSWORD_HASH.matcher(c.passwordHash()).matches()) {
            return reject(c, now, "invalid_password_hash", "a password is stored as a bcrypt hash");
        }
        if (state.account(c.name()).isPresent()) {
            return reject(c, now, "account_exists", "an account of that name exists");
        }
        return List.of(new AccountCreated(c.name(), c.kind(), c.passwordHash(), c.by(), now));
    }

    private static List<IdentityEvent> revokeRole(Identities state, Account account, RevokeRole c, Instant now) {
        if (!account.grants().contains(c.grant())) {
            return List.of();
        }
        if (c.grant().equals(Grant.of(Role.ADMIN)) && !account.disabled() && state.admins() == 1) {
            return reject(c, now, "last_admin", "this is the last account with the unscoped admin role; grant "
                    + "admin to another account first");
        }
        return List.of(new RoleRevoked(c.account(), c.grant(), c.by(), now));
    }

    private static List<IdentityEvent> issueToken(Identities state, Account account, IssueToken c, Instant now) {
        if (!TOKEN_ID.matcher(nullToEmpty(c.tokenId())).matches()
                || c.secretHash() == null || !SECRET_HASH.matcher(c.secretHash()).matches()) {
            return reject(c, now, "invalid_token", "a token has a 16-character id and a SHA-256 secret hash");
        }
        if (account.disabled()) {
            return reject(c, now, "account_disabled", "the account is disabled");
        }
        if (state.token(c.tokenId()).isPresent()) {
            return reject(c, now, "token_exists", "a token with that id exists");
        }
        if (c.expiresAt() != null && !c.expiresAt().isAfter(now)) {
            return reject(c, now, "invalid_expiry", "a token must expire in the future");
        }
        String description = c.description() == null ? "" : c.description();
        if (TextRules.freeText(description, MAX_DESCRIPTION).isPresent()) {
            return reject(c, now, "invalid_description", "a token's description is at most " + MAX_DESCRIPTION
                    + " characters of text without control characters");
        }
        return List.of(new TokenIssued(c.tokenId(), c.account(), c.secretHash(), c.expiresAt(), description, c.by(),
                now));
    }

    private static List<IdentityEvent> revokeToken(Identities state, RevokeToken c, Instant now) {
        Optional<Token> token = state.token(c.tokenId());
        if (token.isEmpty()) {
            return reject(c, now, "unknown_token", "there is no token with that id");
        }
        return token.get().revoked() ? List.of() : List.of(new TokenRevoked(c.tokenId(), c.by(), now));
    }

    private static List<IdentityEvent> disable(Identities state, Account account, DisableAccount c, Instant now) {
        if (account.disabled()) {
            return List.of();
        }
        if (account.grants().contains(Grant.of(Role.ADMIN)) && state.admins() == 1) {
            return reject(c, now, "last_admin", "this is the last enabled admin; grant admin to another account "
                    + "first");
        }
        return List.of(new AccountDisabled(c.account(), c.by(), now));
    }

    private static List<IdentityEvent> setSecret(SetSecret c, Instant now) {
        if (!Secret.NAME.matcher(nullToEmpty(c.name())).matches()) {
            return reject(c, now, "invalid_secret_name", "a secret's name is 1 to 64 letters, digits and _, not "
                    + "starting with a digit, so that a pipeline can write {{ secrets.NAME }}");
        }
        if (!KEY_ID.matcher(nullToEmpty(c.keyId())).matches() || c.sealed() == null
                || !SEALED.matcher(c.sealed()).matches() || c.sealed().length() > MAX_SEALED) {
            return reject(c, now, "invalid_sealed_secret", "a secret is stored sealed: a key id of 16 hex digits "
                    + "and at most " + MAX_SEALED + " characters of base64");
        }
        return List.of(new SecretSet(c.name(), c.keyId(), c.sealed(), c.by(), now));
    }

    private static Optional<String> scopeProblem(Grant grant) {
        if (grant.scope().isEmpty()) {
            return Optional.empty();
        }
        return TextRules.name(grant.scope(), 100).map(p -> "a grant's scope is a name prefix: it " + p);
    }

    private static List<IdentityEvent> reject(IdentityCommand c, Instant now, String code, String message) {
        return List.of(new IdentityCommandRejected(c.commandId(), code, message, c.by(), now));
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
