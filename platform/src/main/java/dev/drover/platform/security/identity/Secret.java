package dev.drover.platform.security.identity;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A secret as the identities keep it: sealed, never in clear. Only a holder of the key ({@code keyId}) can open it
 * (see {@code dev.drover.platform.security.secrets.SecretBox}); every other service knows only that it exists.
 *
 * @param sealed base64 of the nonce, the AES-GCM ciphertext and its tag
 */
public record Secret(String name, String keyId, String sealed, String setBy, Instant setAt) {
    /** A secret's name: what a Pebble identifier allows, so that {@code {{ secrets.NAME }}} reads it. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
}
