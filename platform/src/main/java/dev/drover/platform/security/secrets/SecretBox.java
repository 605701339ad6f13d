package dev.drover.platform.security.secrets;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Seals and opens secret values with one 256-bit key: AES-GCM with a random 96-bit nonce per value and the secret's
 * name as associated data, so a sealed value cannot be moved to another name, and any change to it is detected.
 * The key is named by the first 16 hex digits of its SHA-256 ({@link #keyId()}), which the sealed value carries, so
 * a holder of another key says so instead of failing obscurely. Thread-safe.
 */
public final class SecretBox {
    /** The key length, in bytes. */
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String keyId;

    public SecretBox(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a secret key is " + KEY_BYTES + " bytes (" + KEY_BYTES * 8 + " bits)");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.keyId = keyId(key);
    }

    /** A new random key. */
    public static byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    public String keyId() {
        return keyId;
    }

    /** {@code value} sealed under {@code name}: base64 of nonce, ciphertext and tag. */
    public String seal(String name, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * The value sealed under {@code name}.
     *
     * @throws SecretUnavailable when it was sealed with another key or has been changed
     */
    public String open(String name, String sealedKeyId, String sealed) throws SecretUnavailable {
        if (!keyId.equals(sealedKeyId)) {
            throw new SecretUnavailable("secret '" + name + "' was sealed with key " + sealedKeyId + " but this "
                    + "service has key " + keyId + "; give every service the same drover.security.secret-key-file, "
                    + "or set the secret again");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed);
            if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
                throw new SecretUnavailable("secret '" + name + "' is stored damaged; set it again");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw new SecretUnavailable("secret '" + name + "' does not open with key " + keyId + " (changed or "
                    + "damaged); set it again");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    static String keyId(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
