package dev.drover.platform.security.identity;

import dev.drover.platform.security.Grant;
import dev.drover.platform.security.Role;
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

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who exists and what they may do: the state every service rebuilds from the identity events. Immutable; {@link
 * #evolve} is the only place it changes, the same when live and when replaying. Small by nature (accounts and
 * tokens of one organisation), so each event copies the map it changes.
 */
public record Identities(Map<String, Account> accounts, Map<String, Token> tokens, Map<String, Secret> secrets) {

    public static final Identities EMPTY = new Identities(Map.of(), Map.of(), Map.of());

    public Identities {
        accounts = Map.copyOf(accounts);
        tokens = Map.copyOf(tokens);
        secrets = Map.copyOf(secrets);
    }

    public Optional<Secret> secret(String name) {
        return Optional.ofNullable(name == null ? null : secrets.get(name));
    }

    public Optional<Account> account(String name) {
        return Optional.ofNullable(name == null ? null : accounts.get(name));
    }

    public Optional<Token> token(String id) {
        return Optional.ofNullable(id == null ? null : tokens.get(id));
    }

    /** How many enabled accounts hold an unscoped {@code admin} grant. */
    public long admins() {
        return accounts.values().stream()
                .filter(a -> !a.disabled() && a.grants().contains(Grant.of(Role.ADMIN)))
                .count();
    }

    /** The state after {@code event}. */
    public Identities evolve(IdentityEvent event) {
        if (event instanceof AccountCreated e) {
            return withAccount(new Account(e.name(), e.kind(), e.passwordHash(), Set.of(), false));
        }
        if (event instanceof PasswordSet e) {
            return change(e.account(), a -> new Account(a.name(), a.kind(), e.passwordHash(), a.grants(),
                    a.disabled()));
        }
        if (event instanceof RoleGranted e) {
            return change(e.account(), a -> {
                Set<Grant> grants = new HashSet<>(a.grants());
                grants.add(e.grant());
                return new Account(a.name(), a.kind(), a.passwordHash(), grants, a.disabled());
            });
        }
        if (event instanceof RoleRevoked e) {
            return change(e.account(), a -> {
                Set<Grant> grants = new HashSet<>(a.grants());
                grants.remove(e.grant());
                return new Account(a.name(), a.kind(), a.passwordHash(), grants, a.disabled());
            });
        }
        if (event instanceof AccountDisabled e) {
            return change(e.account(), a -> new Account(a.name(), a.kind(), a.passwordHash(), a.grants(), true));
        }
        if (event instanceof TokenIssued e) {
            return withToken(new Token(e.tokenId(), e.account(), e.secretHash(), e.at(), e.expiresAt(),
                    e.description(), false));
        }
        if (event instanceof TokenRevoked e) {
            return token(e.tokenId())
                    .map(t -> withToken(new Token(t.id(), t.account(), t.secretHash(), t.issuedAt(), t.expiresAt(),
                            t.description(), true)))
                    .orElse(this);
        }
        if (event instanceof SecretSet e) {
            Map<String, Secret> next = new HashMap<>(secrets);
            next.put(e.name(), new Secret(e.name(), e.keyId(), e.sealed(), e.by(), e.at()));
            return new Identities(accounts, tokens, next);
        }
        if (event instanceof SecretDeleted e) {
            Map<String, Secret> next = new HashMap<>(secrets);
            next.remove(e.name());
            return new Identities(accounts, tokens, next);
        }
        if (event instanceof IdentityCommandRejected) {
            return this;
        }
        throw new IllegalArgumentException("no rule for " + event.getClass().getSimpleName());
    }

    private Identities change(String name, java.util.function.UnaryOperator<Account> change) {
        return account(name).map(a -> withAccount(change.apply(a))).orElse(this);
    }

    private Identities withAccount(Account account) {
        Map<String, Account> next = new HashMap<>(accounts);
        next.put(account.name(), account);
        return new Identities(next, tokens, secrets);
    }

    private Identities withToken(Token token) {
        Map<String, Token> next = new HashMap<>(tokens);
        next.put(token.id(), token);
        return new Identities(accounts, next, secrets);
    }
}
