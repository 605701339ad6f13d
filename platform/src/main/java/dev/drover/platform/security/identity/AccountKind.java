package dev.drover.platform.security.identity;

/** A person signs in with a password or a token; a service account (an executor, a CI job, a model server) uses tokens. */
public enum AccountKind {
    PERSON, SERVICE
}
