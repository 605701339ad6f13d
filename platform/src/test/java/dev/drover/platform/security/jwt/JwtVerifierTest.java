package dev.drover.platform.security.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.drover.embedded.EmbeddedIdentityProvider;
import dev.drover.platform.security.Authentication;
import dev.drover.platform.security.Authenticator;
import dev.drover.platform.security.BcryptPasswordHasher;
import dev.drover.platform.security.Grant;
import dev.drover.platform.security.Role;
import dev.drover.platform.security.identity.Identities;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JWTs of an identity provider whose JWK Set a real HTTP server publishes. */
class JwtVerifierTest {
    static EmbeddedIdentityProvider idp;
    static JwtVerifier verifier;

    @BeforeAll
    static void start() throws Exception {
        idp = new EmbeddedIdentityProvider();
        verifier = new JwtVerifier(settings(idp.url()));
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    static JwtSettings settings(String url) {
        JwtSettings s = new JwtSettings();
        s.setJwksUrl(url);
        s.setIssuer(EmbeddedIdentityProvider.ISSUER);
        s.setAudience(List.of(EmbeddedIdentityProvider.AUDIENCE));
        s.setDefaultRoles(List.of("viewer"));
        s.setRefetchInterval(java.time.Duration.ZERO); // tests rotate and forge keys one after the other
        return s;
    }

    private static String refusal(Authentication a) {
        assertThat(a).isInstanceOf(Authentication.Refused.class);
        return ((Authentication.Refused) a).reason();
    }

    @Test
    void aTokenOfTheProviderProvesItsSubjectWithTheRolesItCarries() {
        Authentication a = verifier.verify(idp.token("alice", List.of("operator", "author:churn-", "payroll-team")));
        assertThat(a).isInstanceOf(Authentication.Authenticated.class);
        Authentication.Authenticated ok = (Authentication.Authenticated) a;
        assertThat(ok.principal().name()).isEqualTo("alice");
        assertThat(ok.principal().grants()).containsExactlyInAnyOrder(Grant.of(Role.VIEWER), Grant.of(Role.OPERATOR),
                new Grant(Role.AUTHOR, "churn-"));
        assertThat(ok.validUntil()).isAfter(Instant.now().plusSeconds(3_000));
        assertThat(verifier.verify(idp.token("bob", "operator admin")))
                .extracting(x -> ((Authentication.Authenticated) x).principal().grants())
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.COLLECTION)
                .contains(Grant.of(Role.ADMIN), Grant.of(Role.OPERATOR));
    }

    @Test
    void wrongIssuerAudienceExpiryKeyOrAlgorithmAreRefused() throws Exception {
        assertThat(refusal(verifier.verify(idp.token("alice", List.of(), b -> b.issuer("https://evil/")))))
                .contains("not accepted");
        assertThat(refusal(verifier.verify(idp.token("alice", List.of(), b -> b.audience("other-app")))))
                .contains("not accepted");
        assertThat(refusal(verifier.verify(idp.token("alice", List.of(), b -> b.expirationTime(
                new Date(System.currentTimeMillis() - 120_000)))))).contains("xpired");
        assertThat(refusal(verifier.verify(idp.token("alice", List.of(), b -> b.subject(null)))))
                .contains("not accepted");
        assertThat(refusal(verifier.verify(idp.forged("alice", List.of("admin"))))).contains("not accepted");

        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(EmbeddedIdentityProvider.ISSUER).audience(EmbeddedIdentityProvider.AUDIENCE)
                .subject("mallory").claim("roles", List.of("admin"))
                .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build();
        assertThat(refusal(verifier.verify(new PlainJWT(claims).serialize() + "x"))).isNotEmpty();
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        hmac.sign(new MACSigner(new byte[32]));
        assertThat(refusal(verifier.verify(hmac.serialize()))).contains("not accepted");
        assertThat(refusal(verifier.verify("a.b.c"))).contains("neither");
    }

    @Test
    void aRotatedKeyIsFetchedWhenATokenNamesIt() {
        String before = idp.token("carol", List.of("viewer"));
        assertThat(verifier.verify(before)).isInstanceOf(Authentication.Authenticated.class);
        idp.rotate();
        assertThat(verifier.verify(idp.token("carol", List.of("viewer"))))
                .isInstanceOf(Authentication.Authenticated.class);
    }

    @Test
    void theAuthenticatorSendsJwtsToTheVerifierAndDroverTokensToTheIdentities() {
        Authenticator with = new Authenticator(new BcryptPasswordHasher(), verifier);
        assertThat(with.authenticate(Identities.EMPTY, "Bearer " + idp.token("dave", List.of("admin")),
                Instant.now())).isInstanceOf(Authentication.Authenticated.class);
        assertThat(refusal(with.authenticate(Identities.EMPTY, "Bearer drv_0123456789abcdef_"
                + "A".repeat(43), Instant.now()))).contains("API token");
        Authenticator without = new Authenticator(new BcryptPasswordHasher());
        assertThat(refusal(without.authenticate(Identities.EMPTY, "Bearer " + idp.token("dave", List.of("admin")),
                Instant.now()))).contains("not a Drover API token");
    }

    @Test
    void tokensNamingUnknownKeysCannotMakeDroverFloodTheProvider() throws Exception {
        try (EmbeddedIdentityProvider other = new EmbeddedIdentityProvider()) {
            JwtSettings limited = settings(other.url());
            limited.setRefetchInterval(java.time.Duration.ofMinutes(1));
            JwtVerifier v = new JwtVerifier(limited);
            assertThat(v.verify(other.token("erin", List.of("viewer")))).isInstanceOf(Authentication.Authenticated.class);
            int before = other.fetches.get();
            for (int i = 0; i < 20; i++) {
                assertThat(v.verify(other.forged("erin", List.of("admin"))))
                        .isInstanceOf(Authentication.Refused.class);
            }
            assertThat(other.fetches.get() - before).as("fetches caused by 20 forged key ids").isLessThanOrEqualTo(1);
            assertThat(v.verify(other.token("erin", List.of("viewer")))).as("known keys still work")
                    .isInstanceOf(Authentication.Authenticated.class);
        }
    }

    @Test
    void incompleteSettingsFailAtStartNotPerRequest() {
        JwtSettings noIssuer = settings(idp.url());
        noIssuer.setIssuer(null);
        assertThatThrownBy(() -> new JwtVerifier(noIssuer)).hasMessageContaining("issuer is required");
        assertThatThrownBy(() -> new JwtVerifier(settings("ftp://idp/keys"))).hasMessageContaining("http(s)");
        JwtSettings badRole = settings(idp.url());
        badRole.setDefaultRoles(List.of("superuser"));
        assertThatThrownBy(() -> new JwtVerifier(badRole)).hasMessageContaining("not a role");
    }
}
