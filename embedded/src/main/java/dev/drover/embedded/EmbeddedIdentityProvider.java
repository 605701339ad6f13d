package dev.drover.embedded;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * An identity provider as far as Drover sees one, for tests and trials of {@code drover.security.jwt.*}: a real HTTP
 * server publishing a JWK Set at {@link #url()}, and the private key to sign tokens with (RS256), as Keycloak, Okta
 * or Entra ID would. The key can be rotated, as providers do.
 */
public final class EmbeddedIdentityProvider implements AutoCloseable {
    public static final String ISSUER = "https://idp.example.org/";
    public static final String AUDIENCE = "drover";
    private final HttpServer server;
    private volatile RSAKey key = newKey();
    /** How many times the key set was fetched. */
    public final AtomicInteger fetches = new AtomicInteger();

    public EmbeddedIdentityProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    /** A new signing key; tokens signed with the old one no longer verify once Drover refetches. */
    public void rotate() {
        key = newKey();
    }

    /** A token for {@code subject} with {@code roles}, valid for an hour, changed by {@code edit}. */
    public String token(String subject, Object roles, UnaryOperator<JWTClaimsSet.Builder> edit) {
        return sign(key, edit.apply(new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
                .claim("roles", roles).issueTime(new java.util.Date())
                .expirationTime(new java.util.Date(System.currentTimeMillis() + 3_600_000))).build());
    }

    public String token(String subject, Object roles) {
        return token(subject, roles, b -> b);
    }

    /** The same claims signed with a key this provider never published. */
    public String forged(String subject, Object roles) {
        return sign(newKey(), new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
                .claim("roles", roles).expirationTime(new java.util.Date(System.currentTimeMillis() + 3_600_000))
                .build());
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
