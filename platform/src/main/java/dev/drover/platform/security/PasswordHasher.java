package dev.drover.platform.security;

/**
 * Password hashing, deliberately slow: a password is guessable, so only its bcrypt hash is stored, and checking one
 * costs tens of milliseconds. The implementation is a well-kept library's ({@link BcryptPasswordHasher}).
 */
public interface PasswordHasher {

    String hash(CharSequence password);

    /** Whether {@code password} is the one hashed into {@code hash}; false for a malformed hash. */
    boolean matches(CharSequence password, String hash);
}
