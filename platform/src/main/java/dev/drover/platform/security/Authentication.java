package dev.drover.platform.security;

/**
 * What the enforcement point knows about a request's caller: proved ({@link Authenticated}), no credentials at all
 * ({@link Anonymous}), or credentials that prove nothing ({@link Refused}, with why and what to do — never which of
 * user name or password was wrong).
 */
public sealed interface Authentication {

    record Authenticated(Principal principal) implements Authentication {
    }

    record Anonymous() implements Authentication {
    }

    record Refused(String reason, String fix) implements Authentication {
    }
}
