package dev.drover.registry.api;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.input.RequestRules;
import dev.drover.platform.security.Principals;
import dev.drover.registry.RegistryConfig;
import dev.drover.registry.RegistryRuntime;
import dev.drover.registry.core.FeatureSetCommand;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.Rejection;
import dev.drover.registry.core.RejectionCode;
import dev.drover.registry.loop.RegistryGateway.Outcome;
import dev.drover.registry.readmodel.DecidedCommand;
import dev.drover.registry.readmodel.RegistryQueries;
import dev.drover.registry.wire.CommandEnvelope;
import dev.drover.registry.wire.RegistryKeys;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Carries out a REST write: sends the command through the registry's gateway, waits for its outcome in the log,
 * turns a rejection into the documented error, and waits until the read model holds the outcome, so that the
 * controller's read-back shows the write (read-your-writes).
 *
 * <p>A write whose command id ({@code Idempotency-Key}) the read model already lists as decided is not sent again:
 * it answers with the first outcome, read from the read model.
 */
@Singleton
@Requires(property = "drover.registry.enabled", value = "true")
public class RegistryWrites {
    /** The header naming who asks; {@value #ANONYMOUS} when absent. */
    public static final String PRINCIPAL_HEADER = "X-Drover-Principal";
    /** The header whose value becomes the command id, so that a retried write is answered, not decided again. */
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    static final String ANONYMOUS = "anonymous";
    private static final int MAX_HEADER_LENGTH = 200;
    /** How often a write that has no outcome yet checks whether its command id was decided before. */
    private static final Duration REPEAT_CHECK = Duration.ofMillis(250);
    /** The most a rejection waits for the read model to hold it before it is answered anyway. */
    static final Duration REJECTION_READ_WAIT = Duration.ofMillis(500);

    private final RegistryRuntime runtime;
    private final RegistryQueries queries;
    private final Duration timeout;

    RegistryWrites(RegistryRuntime runtime, RegistryQueries queries, RegistryConfig config) {
        this.runtime = runtime;
        this.queries = queries;
        this.timeout = config.getWriteTimeout();
    }

    /**
     * What a write came to; the controller reads the answer from the read model.
     *
     * @param unchanged the state already was what the command asked for (rejection {@code UNCHANGED}): nothing was
     *                  logged but the rejection, and the answer is the current state
     */
    public record Written(String commandId, boolean unchanged) {
    }

    /**
     * The principal of a request: the authenticated one (a service account may add for whom in the header); with
     * security off, the header's value, or {@value #ANONYMOUS}.
     */
    static String principal(String header) {
        if (header == null || header.isBlank()) {
            return Principals.current(null, ANONYMOUS);
        }
        String p = header.strip();
        if (p.length() > MAX_HEADER_LENGTH) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_principal", PRINCIPAL_HEADER + " is "
                    + p.length() + " characters long", "send a principal of at most " + MAX_HEADER_LENGTH
                    + " characters");
        }
        return Principals.current(p, ANONYMOUS);
    }

    /** The command id of a write: the {@code Idempotency-Key} header's value, or a fresh UUID. */
    static String commandId(String idempotencyKey) {
        if (idempotencyKey == null) {
            return UUID.randomUUID().toString();
        }
        String key = idempotencyKey.strip();
        if (key.isEmpty() || key.length() > MAX_HEADER_LENGTH) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_idempotency_key", IDEMPOTENCY_HEADER
                    + " must be 1 to " + MAX_HEADER_LENGTH + " characters, not " + key.length(),
                    "send a unique value such as a UUID, the same one for every retry of the same write");
        }
        return key;
    }

    /** Sends a model or feature-set command, or finds its earlier outcome; throws the API error of a rejection. */
    Written write(Object command) {
        String commandId = command instanceof ModelCommand m ? m.commandId()
                : ((FeatureSetCommand) command).commandId();
        String key = command instanceof ModelCommand m ? RegistryKeys.model(m.modelName())
                : RegistryKeys.featureSet(((FeatureSetCommand) command).featureSetName());
        Optional<DecidedCommand> earlier = queries.decidedCommand(commandId);
        if (earlier.isPresent()) {
            return repeated(earlier.get(), key);
        }

        CommandEnvelope envelope = new CommandEnvelope(command, Instant.now(), commandId);
        CompletableFuture<Outcome> pending;
        try {
            pending = runtime.gateway().send(envelope);
        } catch (IllegalArgumentException e) {
            // a value the log's encoding cannot carry: the request's, not ours
            throw RequestRules.invalid("body", "the request holds a value Drover cannot record: " + e.getMessage());
        }
        Outcome outcome;
        try {
            outcome = awaitOutcome(pending, commandId);
        } catch (ExecutionException e) {
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "registry_unavailable",
                    "could not append command " + commandId + ": " + e.getCause().getMessage(),
                    "check that Kafka is reachable, then retry with the same " + IDEMPOTENCY_HEADER + " ("
                            + commandId + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(false);
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "registry_unavailable",
                    "interrupted while waiting for command " + commandId, "retry with the same "
                            + IDEMPOTENCY_HEADER + " (" + commandId + ")");
        }
        if (outcome == null) {
            // the loop dropped the command as a repeat of one decided while this request waited: answer that one
            return repeated(queries.decidedCommand(commandId).orElseThrow(), key);
        }
        if (outcome.events().isEmpty()) {
            // decided into nothing: a repeat of a command id decided before (answer as that one was), or a command
            // with nothing to do
            if (outcome.lastOffset() >= 0) {
                awaitProjected(outcome.partition(), outcome.lastOffset());
            }
            Optional<DecidedCommand> decided = queries.decidedCommand(commandId);
            return decided.isPresent() ? repeated(decided.get(), key) : new Written(commandId, false);
        }
        Optional<Rejection> rejection = outcome.rejection();
        if (rejection.isPresent() && rejection.get().code() != RejectionCode.UNCHANGED) {
            // The rejection is the answer. Give the read model a moment to hold it too (the model's history then
            // shows it to the next read), but never more: a retry with the same key that comes before the read
            // model has it is decided into nothing and then answered from the read model.
            runtime.progress().awaitProjected(outcome.partition(), outcome.lastOffset(), REJECTION_READ_WAIT);
            throw rejected(rejection.get().code(), rejection.get().message());
        }
        if (!outcome.events().isEmpty()) {
            awaitProjected(outcome.partition(), outcome.lastOffset());
        }
        return new Written(commandId, rejection.isPresent());
    }

    /**
     * Waits for the outcome; null if, meanwhile, the read model lists the command as decided. The loop decides a
     * command id once and drops repeats without events, so a retry of a write that was decided but not yet projected
     * when the retry arrived would otherwise wait in vain.
     */
    private Outcome awaitOutcome(CompletableFuture<Outcome> pending, String commandId)
            throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                return pending.get(Math.min(left, REPEAT_CHECK.toNanos()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (queries.decidedCommand(commandId).isPresent()) {
                    pending.cancel(false);
                    return null;
                }
                if (System.nanoTime() >= deadline) {
                    pending.cancel(false);
                    throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "registry_unavailable", "the registry "
                                    + "did not decide command " + commandId + " within " + timeout
                                    + "; it is in the log and may still be decided",
                            "check that the registry is running (GET /health), then retry with the same "
                                    + IDEMPOTENCY_HEADER + " (" + commandId + ") so that it is not decided twice");
                }
            }
        }
    }

    private Written repeated(DecidedCommand earlier, String key) {
        if (!earlier.key().equals(key)) {
            throw ApiException.of(HttpStatus.CONFLICT, "idempotency_key_reused", IDEMPOTENCY_HEADER + " "
                            + earlier.commandId() + " was already used for a write to " + earlier.key() + ", not "
                            + key, "use a new key for every different write; reuse a key only to retry the same one");
        }
        if (earlier.rejected() == null) {
            return new Written(earlier.commandId(), false);
        }
        RejectionCode code = RejectionCode.valueOf(earlier.rejected());
        if (code != RejectionCode.UNCHANGED) {
            throw rejected(code, earlier.rejectionMessage());
        }
        return new Written(earlier.commandId(), true);
    }

    /** Waits until the read model holds the event at this position, or answers 503. */
    void awaitProjected(int partition, long offset) {
        if (!runtime.progress().awaitProjected(partition, offset, timeout)) {
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "read_model_behind", "the write is in the log, "
                            + "but the read model has not reached it (partition " + partition + ", offset " + offset
                            + ") within " + timeout,
                    "read again shortly; if it persists, check the registry's log for projection errors");
        }
    }

    /** The API error of a rejection (docs/registry-api.md). */
    static ApiException rejected(RejectionCode code, String message) {
        return ApiException.of(status(code), code.name().toLowerCase(Locale.ROOT), message, fix(code));
    }

    static HttpStatus status(RejectionCode code) {
        switch (code) {
            case MODEL_NOT_FOUND:
            case VERSION_NOT_FOUND:
            case APPROVAL_NOT_FOUND:
                return HttpStatus.NOT_FOUND;
            case MODEL_EXISTS:
            case INVALID_NAME:
            case INVALID_ALIAS:
            case INVALID_ARGUMENT:
            case MISSING_METRIC:
                return HttpStatus.BAD_REQUEST;
            case SELF_REVIEW:
                return HttpStatus.FORBIDDEN;
            case UNCHANGED:
                return HttpStatus.OK;
            default:
                return HttpStatus.CONFLICT;
        }
    }

    private static String fix(RejectionCode code) {
        switch (code) {
            case MODEL_NOT_FOUND:
                return "create the model first (POST /api/v1/models), or register the version with "
                        + "createModelIfMissing: true";
            case VERSION_NOT_FOUND:
                return "list the model's versions with GET /api/v1/models/{name}/versions";
            case APPROVAL_NOT_FOUND:
                return "list pending requests with GET /api/v1/models/{name}/approvals?status=PENDING";
            case MODEL_EXISTS:
                return "choose another name, or register a version of the existing model";
            case INVALID_NAME:
            case INVALID_ALIAS:
            case INVALID_ARGUMENT:
            case MISSING_METRIC:
                return "correct the request as the message says (rules: docs/registry.md)";
            case ALIAS_PROTECTED:
                return "unprotect the alias first: DELETE /api/v1/models/{name}/aliases/{alias}/protection";
            case APPROVAL_PENDING:
                return "approve or reject the pending request first: GET /api/v1/models/{name}/approvals";
            case STALE_APPROVAL:
                return "reject this request and ask for the move again";
            case NO_ALIAS_HISTORY:
                return "set the alias to a version explicitly instead (PUT /api/v1/models/{name}/aliases/{alias})";
            case NO_RETENTION_POLICY:
                return "set a policy first: PUT /api/v1/models/{name}/retention";
            case SELF_REVIEW:
                return "ask another principal (X-Drover-Principal) to approve or reject the request";
            default:
                return "see docs/registry-api.md";
        }
    }
}
