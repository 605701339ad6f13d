package dev.drover.platform.security;

import dev.drover.platform.security.Authentication.Anonymous;
import dev.drover.platform.security.Authentication.Authenticated;
import dev.drover.platform.security.Authentication.Refused;
import dev.drover.platform.security.identity.Account;
import dev.drover.platform.security.identity.Identities;
import dev.drover.platform.security.identity.Token;
import dev.drover.platform.security.jwt.JwtVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a request's {@code Authorization} header into an {@link Authentication}, against the identities as they are
 * now: {@code Bearer drv_…} (an API token; MLflow clients send {@code MLFLOW_TRACKING_TOKEN} this way) or
 * {@code Basic} (an account's name and password; MLflow clients send {@code MLFLOW_TRACKING_USERNAME} and
 * {@code _PASSWORD} this way), and, when an identity provider is configured, {@code Bearer <JWT>} signed by it
 * ({@link JwtVerifier}). A disabled account, a revoked or expired token, an account without a password: all
 * refused with the same words as a wrong password, so that a caller cannot learn which accounts exist.
 */
public final class Authenticator {
    private static final String FIX = "send Authorization: Bearer <API token>, or Basic with an account's name and "
            + "password (docs/security.md)";
    private final PasswordHasher passwords;
    /** Null unless an external identity provider is configured. */
    private final JwtVerifier jwt;

    public Authenticator(PasswordHasher passwords) {
        this(passwords, null);
    }

    /** As above, also accepting bearer JWTs {@code jwt} proves (null: none). */
    public Authenticator(PasswordHasher passwords, JwtVerifier jwt) {
        this.passwords = passwords;
        this.jwt = jwt;
    }

    public Authentication authenticate(Identities identities, String authorization, Instant now) {
        if (authorization == null || authorization.isBlank()) {
            return new Anonymous();
        }
        int space = authorization.indexOf(' ');
        String scheme = (space < 0 ? authorization : authorization.substring(0, space)).toLowerCase(Locale.ROOT);
        String value = space < 0 ? "" : authorization.substring(space + 1).trim();
        return switch (scheme) {
            case "bearer" -> bearer(identities, value, now);
            case "basic" -> basic(identities, value);
            default -> new Refused("the Authorization scheme is not one Drover accepts", FIX);
        };
    }

    private Authentication bearer(Identities identities, String value, Instant now) {
        Optional<ApiTokens.Presented> presented = ApiTokens.parse(value);
        if (presented.isEmpty()) {
            if (jwt != null && JwtVerifier.looksLikeJwt(value)) {
                return jwt.verify(value);
            }
            return new Refused("the bearer token is not a Drover API token (drv_…)" + (jwt != null ? " nor a JWT"
                    : ""), FIX);
        }
        Optional<Token> token = identities.token(presented.get().id());
        if (token.isEmpty() || !ApiTokens.matches(presented.get().secret(), token.get().secretHash())) {
            return invalidToken();
        }
        if (!token.get().usableAt(now)) {
            return invalidToken();
        }
        return usable(identities.account(token.get().account()))
                .map(a -> (Authentication) new Authenticated(principal(a), token.get().expiresAt()))
                .orElseGet(Authenticator::invalidToken);
    }

    private Authentication basic(Identities identities, String value) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Refused("the Basic credentials are not valid base64 of name:password", FIX);
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return new Refused("the Basic credentials are not of the form name:password", FIX);
        }
        Optional<Account> account = usable(identities.account(decoded.substring(0, colon)));
        if (account.isEmpty() || account.get().passwordHash() == null
                || !passwords.matches(decoded.substring(colon + 1), account.get().passwordHash())) {
            return new Refused("unknown account or wrong password", FIX);
        }
        return authenticated(account.get());
    }

    private static Optional<Account> usable(Optional<Account> account) {
        return account.filter(a -> !a.disabled());
    }

    private static Authenticated authenticated(Account account) {
        return new Authenticated(principal(account));
    }

    private static Principal principal(Account account) {
        return new Principal(account.name(), account.kind(), account.grants());
    }

    private static Refused invalidToken() {
        return new Refused("the API token is unknown, revoked or expired", "ask an admin for a new token "
                + "(docs/security.md)");
    }
}
