package dev.drover.platform.security;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.security.identity.IdentityCommand;
import dev.drover.platform.security.identity.IdentityEvent;
import dev.drover.platform.security.identity.loop.IdentityGateway;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How the admin API writes identities (accounts, grants, tokens, secrets): one command through the identity loop,
 * its rejection answered as the usual 4xx, and the answer held until this instance's view has the outcome, so that
 * what was just written is what the next request here sees.
 */
@Singleton
@Requires(property = "drover.security.enabled", notEquals = "false")
public class IdentityWrites {
    private final IdentityRuntime identities;

    public IdentityWrites(IdentityRuntime identities) {
        this.identities = identities;
    }

    /** Sends the command, answers its rejection as a 4xx, and waits until this instance's view has the outcome. */
    public void decide(IdentityCommand command) {
        IdentityGateway.Outcome outcome;
        long timeout = identities.settings().getWriteTimeout().toMillis();
        try {
            outcome = identities.gateway().decide(command, null).get(timeout, TimeUnit.MILLISECONDS);
        } catch (IllegalArgumentException e) {
            throw bad("invalid_input", "the request cannot be written: " + e.getMessage(), "fix the value named");
        } catch (ExecutionException | TimeoutException e) {
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "identities_unavailable", "the identity loop did "
                    + "not answer within " + timeout + " ms", "retry with the same Idempotency-Key");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "identities_unavailable", "interrupted",
                    "retry");
        }
        for (IdentityEvent e : outcome.events()) {
            if (e instanceof IdentityEvent.IdentityCommandRejected r) {
                throw ApiException.of(status(r.code()), r.code(), r.message(), fix(r.code()));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        while (identities.view().position() <= outcome.lastOffset() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The principal the request was proved to be, for the command's {@code by}. */
    public static String by(HttpRequest<?> request) {
        return Principals.of(request).map(Principal::name).orElse("anonymous");
    }

    /** The command id: from the client's {@code Idempotency-Key}, so a retried request is decided once. */
    public static String commandId(String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            return UUID.randomUUID().toString();
        }
        if (idempotencyKey.length() > 200) {
            throw bad("invalid_idempotency_key", "Idempotency-Key is longer than 200 characters",
                    "send a shorter key (a UUID is fine)");
        }
        return "key:" + idempotencyKey.strip();
    }

    static ApiException bad(String code, String message, String fix) {
        return ApiException.of(HttpStatus.BAD_REQUEST, code, message, fix);
    }

    private static HttpStatus status(String code) {
        return switch (code) {
            case "unknown_account", "unknown_token", "unknown_secret" -> HttpStatus.NOT_FOUND;
            case "account_exists", "token_exists", "last_admin", "account_disabled" -> HttpStatus.CONFLICT;
            default -> HttpStatus.BAD_REQUEST;
        };
    }

    private static String fix(String code) {
        return switch (code) {
            case "unknown_account" -> "list accounts with GET /api/v1/admin/accounts";
            case "unknown_token" -> "list tokens with GET /api/v1/admin/tokens";
            case "unknown_secret" -> "list secrets with GET /api/v1/admin/secrets";
            case "account_exists" -> "choose another name, or change the existing account";
            case "last_admin" -> "grant admin to another account first (POST /api/v1/admin/accounts/{name}/roles)";
            case "account_disabled" -> "a disabled account cannot get tokens; create another account";
            case "invalid_secret_name" -> "name it with letters, digits and _, e.g. warehouse_password";
            default -> "see docs/security.md";
        };
    }
}
