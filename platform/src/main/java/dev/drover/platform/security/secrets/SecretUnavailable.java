package dev.drover.platform.security.secrets;

/** A secret an attempt needs cannot be had: unknown, sealed with another key, or no key here. The message says which. */
public final class SecretUnavailable extends Exception {
    public SecretUnavailable(String message) {
        super(message, null, false, false);
    }
}
