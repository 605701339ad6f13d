package dev.drover.platform.audit;

import java.time.Instant;

/**
 * One thing a principal did, as a service's history records it.
 *
 * @param service which service's history says so: {@code identities}, {@code scheduler}, {@code registry},
 *                {@code monitor}
 * @param action  what, e.g. {@code run started}, {@code AliasMoved}, {@code secret set}
 * @param subject on what: a run id, a model and version or alias, an account, a secret's name
 */
public record AuditEntry(Instant at, String by, String service, String action, String subject) {
}
