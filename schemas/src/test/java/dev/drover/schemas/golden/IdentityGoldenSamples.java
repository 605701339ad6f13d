package dev.drover.schemas.golden;

import dev.drover.schemas.identity.command.CreateAccount;
import dev.drover.schemas.identity.command.DeleteSecret;
import dev.drover.schemas.identity.command.DisableAccount;
import dev.drover.schemas.identity.command.GrantRole;
import dev.drover.schemas.identity.command.IdentityCommandEnvelope;
import dev.drover.schemas.identity.command.IssueToken;
import dev.drover.schemas.identity.command.RevokeRole;
import dev.drover.schemas.identity.command.RevokeToken;
import dev.drover.schemas.identity.command.SetPassword;
import dev.drover.schemas.identity.command.SetSecret;
import dev.drover.schemas.identity.event.AccountCreated;
import dev.drover.schemas.identity.event.AccountDisabled;
import dev.drover.schemas.identity.event.IdentityCommandRejected;
import dev.drover.schemas.identity.event.IdentityEventEnvelope;
import dev.drover.schemas.identity.event.PasswordSet;
import dev.drover.schemas.identity.event.RoleGranted;
import dev.drover.schemas.identity.event.RoleRevoked;
import dev.drover.schemas.identity.event.SecretDeleted;
import dev.drover.schemas.identity.event.SecretSet;
import dev.drover.schemas.identity.event.TokenIssued;
import dev.drover.schemas.identity.event.TokenRevoked;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The golden samples of the identity envelopes ({@code IdentityCommandEnvelope}, {@code IdentityEventEnvelope}): one
 * envelope per payload kind, every optional field filled (password hash, token expiry) and every grant scoped, all
 * about one account ({@link #ACCOUNT}). Part of {@link GoldenRecordGenerator#samples()}.
 *
 * <p>No value here is a secret: the password hash only looks like bcrypt, the token's secret hash is the SHA-256 of
 * the word {@code golden}, and the sealed secret is the base64 of made-up bytes, sealed by no key.
 */
final class IdentityGoldenSamples {
    /** The key of every identity record ({@code IdentityCodec.KEY}). */
    static final String KEY = "identities";
    static final String ACCOUNT = "golden-account";
    /** Shaped like a bcrypt hash ({@code $2a$10$} and 53 characters), of no password. */
    static final String PASSWORD_HASH = "$2a$10$golden.golden.golden.golden.golden.golden.golden.gold";
    /** A token id: 16 lower-case letters and digits. */
    static final String TOKEN_ID = "goldentoken00001";
    /** The SHA-256 (hex) of {@code golden}. */
    static final String SECRET_HASH = "dd56de4137951d9c92681b03416ec15f886b4482a27e3a517d32f085244cbe5d";
    static final String SECRET = "golden_secret";
    /** A key id's shape (16 hex digits), of no key. */
    static final String KEY_ID = "0123456789abcdef";
    /** Base64 of "golden-nonce" (12 bytes), "not a real ciphertext" and "golden-tag-16byt" (16 bytes). */
    static final String SEALED = "Z29sZGVuLW5vbmNlbm90IGEgcmVhbCBjaXBoZXJ0ZXh0Z29sZGVuLXRhZy0xNmJ5dA==";
    /** A grant's scope: resources whose name starts with it. */
    static final String SCOPE = "golden-";
    private static final Instant T = GoldenRecordGenerator.T;
    private static final Instant EXPIRES = Instant.parse("2025-04-02T03:04:05.678Z");

    private IdentityGoldenSamples() {
    }

    static Map<String, SpecificRecord> samples() {
        Map<String, SpecificRecord> out = new LinkedHashMap<>();
        for (Object payload : commands()) {
            out.put("IdentityCommandEnvelope-" + payload.getClass().getSimpleName(),
                    IdentityCommandEnvelope.newBuilder().setCommandId("golden-command").setIssuedAt(T)
                            .setCorrelationId("golden-request").setKey(KEY).setPayload(payload).build());
        }
        for (Object payload : events()) {
            out.put("IdentityEventEnvelope-" + payload.getClass().getSimpleName(),
                    IdentityEventEnvelope.newBuilder().setEventId("golden-command#0").setTimestamp(T).setKey(KEY)
                            .setCausationId("golden-command").setCorrelationId("golden-request").setIndex(0)
                            .setCount(1).setPayload(payload).build());
        }
        return out;
    }

    private static List<Object> commands() {
        var grant = new dev.drover.schemas.identity.command.Grant("operator", SCOPE);
        return List.of(
                CreateAccount.newBuilder().setName(ACCOUNT).setKind("PERSON").setPasswordHash(PASSWORD_HASH)
                        .setBy("alice").build(),
                SetPassword.newBuilder().setAccount(ACCOUNT).setPasswordHash(PASSWORD_HASH).setBy("alice").build(),
                GrantRole.newBuilder().setAccount(ACCOUNT).setGrant(grant).setBy("alice").build(),
                RevokeRole.newBuilder().setAccount(ACCOUNT).setGrant(grant).setBy("alice").build(),
                IssueToken.newBuilder().setTokenId(TOKEN_ID).setAccount(ACCOUNT).setSecretHash(SECRET_HASH)
                        .setExpiresAt(EXPIRES).setDescription("golden CI token").setBy("alice").build(),
                RevokeToken.newBuilder().setTokenId(TOKEN_ID).setBy("alice").build(),
                DisableAccount.newBuilder().setAccount(ACCOUNT).setBy("alice").build(),
                SetSecret.newBuilder().setName(SECRET).setKeyId(KEY_ID).setSealed(SEALED).setBy("alice").build(),
                DeleteSecret.newBuilder().setName(SECRET).setBy("alice").build());
    }

    private static List<Object> events() {
        var grant = new dev.drover.schemas.identity.event.Grant("operator", SCOPE);
        return List.of(
                AccountCreated.newBuilder().setName(ACCOUNT).setKind("PERSON").setPasswordHash(PASSWORD_HASH)
                        .setBy("alice").setAt(T).build(),
                PasswordSet.newBuilder().setAccount(ACCOUNT).setPasswordHash(PASSWORD_HASH).setBy("alice").setAt(T)
                        .build(),
                RoleGranted.newBuilder().setAccount(ACCOUNT).setGrant(grant).setBy("alice").setAt(T).build(),
                RoleRevoked.newBuilder().setAccount(ACCOUNT).setGrant(grant).setBy("alice").setAt(T).build(),
                TokenIssued.newBuilder().setTokenId(TOKEN_ID).setAccount(ACCOUNT).setSecretHash(SECRET_HASH)
                        .setExpiresAt(EXPIRES).setDescription("golden CI token").setBy("alice").setAt(T).build(),
                TokenRevoked.newBuilder().setTokenId(TOKEN_ID).setBy("alice").setAt(T).build(),
                AccountDisabled.newBuilder().setAccount(ACCOUNT).setBy("alice").setAt(T).build(),
                IdentityCommandRejected.newBuilder().setCode("account_exists")
                        .setMessage("an account of that name exists").setBy("alice").setAt(T).build(),
                SecretSet.newBuilder().setName(SECRET).setKeyId(KEY_ID).setSealed(SEALED).setBy("alice").setAt(T)
                        .build(),
                SecretDeleted.newBuilder().setName(SECRET).setBy("alice").setAt(T).build());
    }
}
