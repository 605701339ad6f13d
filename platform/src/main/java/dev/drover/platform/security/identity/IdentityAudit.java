package dev.drover.platform.security.identity;

import dev.drover.platform.audit.AuditEntry;
import dev.drover.platform.security.Grant;

/** What an identity event says for the audit: who did what to which account, token or secret. */
public final class IdentityAudit {
    private IdentityAudit() {
    }

    /** The entry of {@code event}, or null for a rejected command (nothing happened). */
    public static AuditEntry entry(IdentityEvent event) {
        String action;
        String subject;
        if (event instanceof IdentityEvent.AccountCreated e) {
            action = "account created";
            subject = e.name();
        } else if (event instanceof IdentityEvent.PasswordSet e) {
            action = "password set";
            subject = e.account();
        } else if (event instanceof IdentityEvent.RoleGranted e) {
            action = "role granted";
            subject = e.account() + " " + grant(e.grant());
        } else if (event instanceof IdentityEvent.RoleRevoked e) {
            action = "role revoked";
            subject = e.account() + " " + grant(e.grant());
        } else if (event instanceof IdentityEvent.TokenIssued e) {
            action = "token issued";
            subject = e.account() + " token " + e.tokenId();
        } else if (event instanceof IdentityEvent.TokenRevoked e) {
            action = "token revoked";
            subject = "token " + e.tokenId();
        } else if (event instanceof IdentityEvent.AccountDisabled e) {
            action = "account disabled";
            subject = e.account();
        } else if (event instanceof IdentityEvent.SecretSet e) {
            action = "secret set";
            subject = e.name();
        } else if (event instanceof IdentityEvent.SecretDeleted e) {
            action = "secret deleted";
            subject = e.name();
        } else {
            return null;
        }
        return new AuditEntry(event.at(), event.by(), "identities", action, subject);
    }

    private static String grant(Grant g) {
        return g.role().wireName() + (g.scope().isEmpty() ? "" : ":" + g.scope());
    }
}
