package dev.drover.platform.security;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * bcrypt through spring-security-crypto (no other Spring on the class path). Strength 10: about 50–100 ms a check on
 * one core, slow enough against guessing, fast enough for a sign-in.
 */
public final class BcryptPasswordHasher implements PasswordHasher {
    private final BCryptPasswordEncoder encoder;

    public BcryptPasswordHasher() {
        this(10);
    }

    /** A lower strength only for tests, where hashing speed matters more than guessing cost. */
    public BcryptPasswordHasher(int strength) {
        this.encoder = new BCryptPasswordEncoder(strength);
    }

    @Override
    public String hash(CharSequence password) {
        return encoder.encode(password);
    }

    @Override
    public boolean matches(CharSequence password, String hash) {
        if (password == null || hash == null) {
            return false;
        }
        try {
            return encoder.matches(password, hash);
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }
}
