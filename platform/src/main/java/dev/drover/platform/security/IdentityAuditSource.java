package dev.drover.platform.security;

import dev.drover.platform.audit.AuditEntry;
import dev.drover.platform.audit.AuditSource;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;

/** The identities' part of the audit: accounts, roles, tokens and secrets, from this instance's identity view. */
@Singleton
@Requires(property = "drover.security.enabled", notEquals = "false")
public class IdentityAuditSource implements AuditSource {
    private final IdentityRuntime identities;

    public IdentityAuditSource(IdentityRuntime identities) {
        this.identities = identities;
    }

    @Override
    public List<AuditEntry> entries(String by, Instant since, int limit) {
        return identities.view().history(by, since, limit);
    }
}
