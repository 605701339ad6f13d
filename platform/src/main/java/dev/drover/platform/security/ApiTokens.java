package dev.drover.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * API tokens: {@code drv_<id>_<secret>}, the id (16 lower-case letters and digits) to find the token without a
 * search, the secret (32 random bytes, base64url) to prove it. Only the SHA-256 of the secret is stored: a token's
 * secret has 256 bits of entropy, so a fast hash is enough (unlike a password, it cannot be guessed from a list),
 * and it keeps every request's check at a microsecond. The recognisable prefix lets secret scanners find leaked ones.
 */
public final class ApiTokens {
    public static final String PREFIX = "drv_";
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiTokens() {
    }

    /** A new token, whole (to hand to its owner once) and as the id and hash to store. */
    public record Issued(String token, String id, String secretHash) {
        @Override
        public String toString() {
            return "Issued[id=" + id + "]"; // never the token itself, not even in a log line by mistake
        }
    }

    /** The parts of a presented token. */
    public record Presented(String id, String secret) {
        @Override
        public String toString() {
            return "Presented[id=" + id + "]";
        }
    }

    public static Issued issue() {
        StringBuilder id = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String s = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new Issued(PREFIX + id + "_" + s, id.toString(), hash(s));
    }

    /** The id and secret of {@code token}, or nothing when it does not have the shape of a Drover token. */
    public static Optional<Presented> parse(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() != PREFIX.length() + 16 + 1 + 43
                || token.charAt(PREFIX.length() + 16) != '_') {
            return Optional.empty();
        }
        String id = token.substring(PREFIX.length(), PREFIX.length() + 16);
        String secret = token.substring(PREFIX.length() + 17);
        for (int i = 0; i < id.length(); i++) {
            if (ID_ALPHABET.indexOf(id.charAt(i)) < 0) {
                return Optional.empty();
            }
        }
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '-' && c != '_') {
                return Optional.empty();
            }
        }
        return Optional.of(new Presented(id, secret));
    }

    /** Whether {@code secret} is the one whose hash is {@code storedHash}, compared in constant time. */
    public static boolean matches(String secret, String storedHash) {
        return MessageDigest.isEqual(hash(secret).getBytes(StandardCharsets.US_ASCII),
                storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
