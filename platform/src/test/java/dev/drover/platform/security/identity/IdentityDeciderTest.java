package dev.drover.platform.security.identity;

import dev.drover.platform.security.Grant;
import dev.drover.platform.security.Role;
import dev.drover.platform.security.identity.IdentityCommand.CreateAccount;
import dev.drover.platform.security.identity.IdentityCommand.DisableAccount;
import dev.drover.platform.security.identity.IdentityCommand.GrantRole;
import dev.drover.platform.security.identity.IdentityCommand.IssueToken;
import dev.drover.platform.security.identity.IdentityCommand.RevokeRole;
import dev.drover.platform.security.identity.IdentityCommand.RevokeToken;
import dev.drover.platform.security.identity.IdentityEvent.AccountCreated;
import dev.drover.platform.security.identity.IdentityEvent.AccountDisabled;
import dev.drover.platform.security.identity.IdentityEvent.IdentityCommandRejected;
import dev.drover.platform.security.identity.IdentityEvent.RoleGranted;
import dev.drover.platform.security.identity.IdentityEvent.RoleRevoked;
import dev.drover.platform.security.identity.IdentityEvent.TokenIssued;
import dev.drover.platform.security.identity.IdentityEvent.TokenRevoked;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Given these identity events, when this command, then these events (or this rejection, or nothing). */
class IdentityDeciderTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final String HASH = "a".repeat(64);
    private static final String BCRYPT = "$2a$10$" + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0";

    private static Identities given(IdentityEvent... events) {
        Identities s = Identities.EMPTY;
        for (IdentityEvent e : events) {
            s = s.evolve(e);
        }
        return s;
    }

    private static AccountCreated created(String name) {
        return new AccountCreated(name, AccountKind.PERSON, null, "admin", NOW);
    }

    private static RoleGranted granted(String name, Role role) {
        return new RoleGranted(name, Grant.of(role), "admin", NOW);
    }

    private static String rejection(List<IdentityEvent> events) {
        assertThat(events).hasSize(1).first().isInstanceOf(IdentityCommandRejected.class);
        return ((IdentityCommandRejected) events.get(0)).code();
    }

    @Test
    void createsAnAccountOnceWithAValidName() {
        List<IdentityEvent> events = IdentityDecider.decide(Identities.EMPTY,
                new CreateAccount("c1", "ada@example.org", AccountKind.PERSON, BCRYPT, "admin"), NOW);
        assertThat(events).containsExactly(new AccountCreated("ada@example.org", AccountKind.PERSON, BCRYPT, "admin",
                NOW));
        assertThat(rejection(IdentityDecider.decide(given(created("ada@example.org")),
                new CreateAccount("c2", "ada@example.org", AccountKind.PERSON, null, "admin"), NOW)))
                .isEqualTo("account_exists");
    }

    @Test
    void refusesNamesAndHashesThatBreakTheRulesWithoutKeepingThem() {
        for (String bad : new String[]{"", "Ada", "a b", "a\u0000b", "x".repeat(101), "-lead"}) {
            List<IdentityEvent> events = IdentityDecider.decide(Identities.EMPTY,
                    new CreateAccount("c1", bad, AccountKind.PERSON, null, "admin"), NOW);
            assertThat(rejection(events)).as(bad).isEqualTo("invalid_account_name");
            if (!bad.isEmpty()) {
                assertThat(events.get(0).toString()).as("the rejection keeps nothing the caller sent")
                        .doesNotContain(bad);
            }
        }
        assertThat(rejection(IdentityDecider.decide(Identities.EMPTY,
                new CreateAccount("c1", "ada", AccountKind.PERSON, "plain-text-password", "admin"), NOW)))
                .isEqualTo("invalid_password_hash");
    }

    @Test
    void grantingARoleHeldAlreadyDecidesNothing() {
        Identities s = given(created("ada"), granted("ada", Role.OPERATOR));
        assertThat(IdentityDecider.decide(s, new GrantRole("c", "ada", Grant.of(Role.OPERATOR), "admin"), NOW))
                .isEmpty();
        assertThat(IdentityDecider.decide(s, new GrantRole("c", "ada", new Grant(Role.OPERATOR, "fraud-"), "admin"),
                NOW)).containsExactly(new RoleGranted("ada", new Grant(Role.OPERATOR, "fraud-"), "admin", NOW));
        assertThat(rejection(IdentityDecider.decide(s, new GrantRole("c", "bob", Grant.of(Role.VIEWER), "admin"),
                NOW))).isEqualTo("unknown_account");
    }

    @Test
    void theLastAdminCanNeitherLoseTheRoleNorBeDisabled() {
        Identities one = given(created("root"), granted("root", Role.ADMIN), created("ada"));
        assertThat(rejection(IdentityDecider.decide(one, new RevokeRole("c", "root", Grant.of(Role.ADMIN), "root"),
                NOW))).isEqualTo("last_admin");
        assertThat(rejection(IdentityDecider.decide(one, new DisableAccount("c", "root", "root"), NOW)))
                .isEqualTo("last_admin");

        Identities two = one.evolve(granted("ada", Role.ADMIN));
        assertThat(IdentityDecider.decide(two, new RevokeRole("c", "root", Grant.of(Role.ADMIN), "ada"), NOW))
                .containsExactly(new RoleRevoked("root", Grant.of(Role.ADMIN), "ada", NOW));
        assertThat(IdentityDecider.decide(two, new DisableAccount("c", "root", "ada"), NOW))
                .containsExactly(new AccountDisabled("root", "ada", NOW));
    }

    @Test
    void issuesTokensToEnabledAccountsAndRevokesThemOnce() {
        Identities s = given(created("ci"));
        List<IdentityEvent> issued = IdentityDecider.decide(s,
                new IssueToken("c", "abcdefgh12345678", "ci", HASH, null, "CI pipeline", "admin"), NOW);
        assertThat(issued).containsExactly(new TokenIssued("abcdefgh12345678", "ci", HASH, null, "CI pipeline",
                "admin", NOW));
        Identities withToken = s.evolve(issued.get(0));
        assertThat(withToken.token("abcdefgh12345678")).hasValueSatisfying(t -> assertThat(t.usableAt(NOW)).isTrue());

        List<IdentityEvent> revoked = IdentityDecider.decide(withToken,
                new RevokeToken("c2", "abcdefgh12345678", "admin"), NOW);
        assertThat(revoked).containsExactly(new TokenRevoked("abcdefgh12345678", "admin", NOW));
        Identities afterRevoke = withToken.evolve(revoked.get(0));
        assertThat(afterRevoke.token("abcdefgh12345678").orElseThrow().usableAt(NOW)).isFalse();
        assertThat(IdentityDecider.decide(afterRevoke, new RevokeToken("c3", "abcdefgh12345678", "admin"), NOW))
                .as("revoking twice changes nothing").isEmpty();
        assertThat(rejection(IdentityDecider.decide(afterRevoke, new RevokeToken("c4", "zzzzzzzzzzzzzzzz", "admin"),
                NOW))).isEqualTo("unknown_token");
    }

    @Test
    void refusesTokensForDisabledAccountsOrInThePast() {
        Identities s = given(created("root"), granted("root", Role.ADMIN), created("ci"),
                new AccountDisabled("ci", "root", NOW));
        assertThat(rejection(IdentityDecider.decide(s,
                new IssueToken("c", "abcdefgh12345678", "ci", HASH, null, "", "root"), NOW)))
                .isEqualTo("account_disabled");
        assertThat(rejection(IdentityDecider.decide(s,
                new IssueToken("c", "abcdefgh12345678", "root", HASH, NOW.minusSeconds(1), "", "root"), NOW)))
                .isEqualTo("invalid_expiry");
        assertThat(rejection(IdentityDecider.decide(s,
                new IssueToken("c", "short", "root", HASH, null, "", "root"), NOW))).isEqualTo("invalid_token");
    }

    @Test
    void everyEventTypeEvolvesTheState() {
        List<IdentityEvent> samples = List.of(created("ada"),
                new IdentityEvent.PasswordSet("ada", BCRYPT, "root", NOW),
                granted("ada", Role.VIEWER),
                new RoleRevoked("ada", Grant.of(Role.VIEWER), "root", NOW),
                new TokenIssued("abcdefgh12345678", "ada", HASH, null, "", "root", NOW),
                new TokenRevoked("abcdefgh12345678", "root", NOW),
                new AccountDisabled("ada", "root", NOW),
                new IdentityEvent.SecretSet("db", "0123456789abcdef", "c2VhbGVk", "root", NOW),
                new IdentityEvent.SecretSet("kept", "0123456789abcdef", "a2VwdA==", "root", NOW),
                new IdentityEvent.SecretDeleted("db", "root", NOW),
                new IdentityCommandRejected("c", "unknown_account", "m", "root", NOW));
        assertThat(samples.stream().map(Object::getClass).distinct())
                .as("a sample of every event type").hasSameSizeAs(IdentityEvent.class.getPermittedSubclasses());
        Identities s = Identities.EMPTY;
        for (IdentityEvent e : samples) {
            s = s.evolve(e);
        }
        Account ada = s.account("ada").orElseThrow();
        assertThat(ada.passwordHash()).isEqualTo(BCRYPT);
        assertThat(ada.grants()).isEmpty();
        assertThat(ada.disabled()).isTrue();
        assertThat(s.token("abcdefgh12345678").orElseThrow().revoked()).isTrue();
        assertThat(s.secrets().keySet()).containsExactly("kept");
    }

    @Test
    void secretCommandsAndEventsSurviveTheWire() {
        var codec = new dev.drover.platform.security.identity.wire.IdentityCodec();
        for (IdentityCommand c : List.<IdentityCommand>of(
                new IdentityCommand.SetSecret("s1", "db", "0123456789abcdef", "c2VhbGVk", "root"),
                new IdentityCommand.DeleteSecret("s2", "db", "root"))) {
            assertThat(codec.decodeCommand(codec.encodeCommand(new dev.drover.platform.security.identity.wire
                    .IdentityCodec.CommandRecord(c, NOW, null))).command()).isEqualTo(c);
        }
        for (IdentityEvent e : List.<IdentityEvent>of(
                new IdentityEvent.SecretSet("db", "0123456789abcdef", "c2VhbGVk", "root", NOW),
                new IdentityEvent.SecretDeleted("db", "root", NOW))) {
            assertThat(codec.decodeEvent(codec.encodeEvent(new dev.drover.platform.security.identity.wire
                    .IdentityCodec.EventRecord("c#0", NOW, "c", null, 0, 1, e))).event()).isEqualTo(e);
        }
    }

    @Test
    void setsReplacesAndDeletesSealedSecretsByName() {
        String sealed = "c2VhbGVkIHZhbHVl";
        List<IdentityEvent> set = IdentityDecider.decide(Identities.EMPTY, new IdentityCommand.SetSecret("s1",
                "warehouse_password", "0123456789abcdef", sealed, "admin"), NOW);
        assertThat(set).containsExactly(new IdentityEvent.SecretSet("warehouse_password", "0123456789abcdef", sealed,
                "admin", NOW));
        Identities state = given(set.toArray(IdentityEvent[]::new));
        assertThat(state.secret("warehouse_password")).get()
                .extracting(Secret::sealed, Secret::setBy).containsExactly(sealed, "admin");

        List<IdentityEvent> replaced = IdentityDecider.decide(state, new IdentityCommand.SetSecret("s2",
                "warehouse_password", "0123456789abcdef", "b3RoZXI=", "ops"), NOW);
        assertThat(state.evolve(replaced.get(0)).secret("warehouse_password")).get()
                .extracting(Secret::sealed, Secret::setBy).containsExactly("b3RoZXI=", "ops");

        List<IdentityEvent> deleted = IdentityDecider.decide(state, new IdentityCommand.DeleteSecret("s3",
                "warehouse_password", "admin"), NOW);
        assertThat(deleted).containsExactly(new IdentityEvent.SecretDeleted("warehouse_password", "admin", NOW));
        assertThat(state.evolve(deleted.get(0)).secrets()).isEmpty();
        assertThat(rejection(IdentityDecider.decide(Identities.EMPTY, new IdentityCommand.DeleteSecret("s4",
                "nope", "admin"), NOW))).isEqualTo("unknown_secret");
    }

    @Test
    void refusesSecretNamesPebbleCannotReadAndAnythingNotSealed() {
        for (String bad : new String[]{"", "1st", "a-b", "a.b", "x".repeat(65), "a b"}) {
            assertThat(rejection(IdentityDecider.decide(Identities.EMPTY, new IdentityCommand.SetSecret("s1", bad,
                    "0123456789abcdef", "c2VhbGVk", "admin"), NOW))).as(bad).isEqualTo("invalid_secret_name");
        }
        for (String[] bad : new String[][]{{"short", "c2VhbGVk"}, {"0123456789abcdef", "plain text!"},
                {"0123456789abcdef", null}, {"0123456789abcdef", "A".repeat(90_004)}}) {
            List<IdentityEvent> events = IdentityDecider.decide(Identities.EMPTY, new IdentityCommand.SetSecret("s1",
                    "ok", bad[0], bad[1], "admin"), NOW);
            assertThat(rejection(events)).isEqualTo("invalid_sealed_secret");
            if (bad[1] != null) {
                assertThat(events.get(0).toString()).doesNotContain(bad[1]);
            }
        }
    }
}
