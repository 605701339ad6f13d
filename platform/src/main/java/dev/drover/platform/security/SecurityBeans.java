package dev.drover.platform.security;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The beans of the security package that are plain classes. */
@Factory
public class SecurityBeans {

    @Singleton
    PasswordHasher passwordHasher() {
        return new BcryptPasswordHasher();
    }
}
