package dev.drover.platform.security;

import dev.drover.platform.security.Authentication.Anonymous;
import dev.drover.platform.security.Authentication.Authenticated;
import dev.drover.platform.security.Authentication.Refused;
import dev.drover.platform.security.identity.AccountKind;
import dev.drover.platform.security.identity.IdentityEvent.AccountCreated;
import dev.drover.platform.security.identity.IdentityEvent.AccountDisabled;
import dev.drover.platform.security.identity.IdentityEvent.RoleGranted;
import dev.drover.platform.security.identity.IdentityEvent.TokenIssued;
import dev.drover.platform.security.identity.IdentityEvent.TokenRevoked;
import dev.drover.platform.security.identity.Identities;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticatorTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final PasswordHasher HASHER = new BcryptPasswordHasher(4);
    private final Authenticator authenticator = new Authenticator(HASHER);

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static Identities withAda(ApiTokens.Issued token, Instant expiresAt) {
        return Identities.EMPTY
                .evolve(new AccountCreated("ada", AccountKind.PERSON, HASHER.hash("s3cret:with:colons"), "root", NOW))
                .evolve(new RoleGranted("ada", Grant.of(Role.OPERATOR), "root", NOW))
                .evolve(new TokenIssued(token.id(), "ada", token.secretHash(), expiresAt, "", "root", NOW));
    }

    @Test
    void aTokenOrAPasswordProvesTheAccountAndCarriesItsGrants() {
        ApiTokens.Issued token = ApiTokens.issue();
        Identities ids = withAda(token, null);
        for (String header : new String[]{"Bearer " + token.token(), "bearer  " + token.token(),
                basic("ada", "s3cret:with:colons")}) {
            Authentication a = authenticator.authenticate(ids, header, NOW);
            assertThat(a).as(header).isInstanceOf(Authenticated.class);
            Principal p = ((Authenticated) a).principal();
            assertThat(p.name()).isEqualTo("ada");
            assertThat(p.allows(Permission.OPERATE, "any")).isTrue();
            assertThat(p.allows(Permission.AUTHOR, "any")).isFalse();
        }
    }

    @Test
    void noHeaderIsAnonymousAndEveryWrongOneIsRefusedWithTheSameWordsForUnknownAndWrong() {
        ApiTokens.Issued token = ApiTokens.issue();
        Identities ids = withAda(token, null);
        assertThat(authenticator.authenticate(ids, null, NOW)).isInstanceOf(Anonymous.class);
        assertThat(authenticator.authenticate(ids, " ", NOW)).isInstanceOf(Anonymous.class);
        String wrongPassword = ((Refused) authenticator.authenticate(ids, basic("ada", "nope"), NOW)).reason();
        String unknownUser = ((Refused) authenticator.authenticate(ids, basic("bob", "nope"), NOW)).reason();
        assertThat(wrongPassword).isEqualTo(unknownUser);
        for (String bad : new String[]{"Bearer", "Bearer x", "Bearer " + ApiTokens.issue().token(), "Digest abc",
                "Basic %%%", "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes()),
                "Bearer " + token.token().substring(0, 21) + "A".repeat(43)}) {
            assertThat(authenticator.authenticate(ids, bad, NOW)).as(bad).isInstanceOf(Refused.class);
        }
    }

    @Test
    void revokedOrExpiredTokensAndDisabledAccountsStopWorking() {
        ApiTokens.Issued token = ApiTokens.issue();
        String header = "Bearer " + token.token();
        assertThat(authenticator.authenticate(withAda(token, NOW.plusSeconds(60)), header, NOW.plusSeconds(60)))
                .isInstanceOf(Refused.class);
        assertThat(authenticator.authenticate(withAda(token, null)
                .evolve(new TokenRevoked(token.id(), "root", NOW)), header, NOW)).isInstanceOf(Refused.class);
        Identities disabled = withAda(token, null).evolve(new AccountDisabled("ada", "root", NOW));
        assertThat(authenticator.authenticate(disabled, header, NOW)).isInstanceOf(Refused.class);
        assertThat(authenticator.authenticate(disabled, basic("ada", "s3cret:with:colons"), NOW))
                .isInstanceOf(Refused.class);
    }
}
