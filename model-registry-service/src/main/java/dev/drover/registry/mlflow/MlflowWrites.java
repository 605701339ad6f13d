package dev.drover.registry.mlflow;

import dev.drover.registry.RegistryConfig;
import dev.drover.registry.RegistryRuntime;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.ModelEvent.AliasChangeRequested;
import dev.drover.registry.core.Rejection;
import dev.drover.registry.core.RejectionCode;
import dev.drover.registry.loop.RegistryGateway.Outcome;
import dev.drover.registry.wire.CommandEnvelope;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Carries out an MLflow write: appends the core command through the registry's gateway, waits for its outcome,
 * turns a rejection into the MLflow error (the table in docs/registry.md; {@code UNCHANGED} is success, as MLflow
 * answers setting what is already set), then waits until the read model has the outcome, so that the answer — read
 * from the read model — shows the write (read-your-writes).
 */
@Singleton
@Requires(property = "drover.registry.enabled", value = "true")
public class MlflowWrites {
    private final RegistryRuntime runtime;
    private final Duration timeout;

    MlflowWrites(RegistryRuntime runtime, RegistryConfig config) {
        this.runtime = runtime;
        this.timeout = config.getWriteTimeout();
    }

    /** Sends {@code command}; returns its outcome once the read model includes it, or throws the MLflow error. */
    Outcome send(ModelCommand command) {
        CompletableFuture<Outcome> pending;
        try {
            pending = runtime.gateway().send(new CommandEnvelope(command, Instant.now(), command.commandId()));
        } catch (IllegalArgumentException e) {
            throw new MlflowException(MlflowErrorCode.INVALID_PARAMETER_VALUE, "The request holds a value the "
                    + "registry cannot record: " + e.getMessage());
        }
        Outcome outcome;
        try {
            outcome = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(false); // stop waiting; the command is in the log and will still be decided
            throw new MlflowException(MlflowErrorCode.TEMPORARILY_UNAVAILABLE, "The registry did not decide command "
                    + command.commandId() + " within " + timeout + ". It will still be decided when the registry "
                    + "runs: read the result (e.g. registered-models/get) before retrying.");
        } catch (ExecutionException e) {
            throw new MlflowException(MlflowErrorCode.TEMPORARILY_UNAVAILABLE, "Could not append the command to the "
                    + "registry's log: " + e.getCause().getMessage() + ". Check that Kafka is reachable and retry.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MlflowException(MlflowErrorCode.TEMPORARILY_UNAVAILABLE, "Interrupted while waiting for the "
                    + "registry; retry.");
        }
        outcome.rejection().filter(r -> r.code() != RejectionCode.UNCHANGED).ifPresent(r -> {
            throw rejected(r);
        });
        outcome.first(AliasChangeRequested.class).ifPresent(request -> {
            throw pendingApproval(request);
        });
        if (!runtime.progress().awaitProjected(outcome.partition(), outcome.lastOffset(), timeout)) {
            throw new MlflowException(MlflowErrorCode.TEMPORARILY_UNAVAILABLE, "The write was accepted (command "
                    + command.commandId() + ") but the registry's read model has not caught up within " + timeout
                    + "; read the result again shortly.");
        }
        return outcome;
    }

    /** The MLflow error for a rejection of the core (docs/registry.md § Rejection codes). */
    static MlflowException rejected(Rejection r) {
        MlflowErrorCode code = switch (r.code()) {
            case MODEL_NOT_FOUND, VERSION_NOT_FOUND, APPROVAL_NOT_FOUND -> MlflowErrorCode.RESOURCE_DOES_NOT_EXIST;
            case MODEL_EXISTS -> MlflowErrorCode.RESOURCE_ALREADY_EXISTS;
            case INVALID_NAME, INVALID_ALIAS, INVALID_ARGUMENT, MISSING_METRIC ->
                    MlflowErrorCode.INVALID_PARAMETER_VALUE;
            case SELF_REVIEW -> MlflowErrorCode.PERMISSION_DENIED;
            case ALIAS_PROTECTED, APPROVAL_PENDING, STALE_APPROVAL, NO_ALIAS_HISTORY, NO_RETENTION_POLICY, UNCHANGED ->
                    MlflowErrorCode.INVALID_STATE;
        };
        return new MlflowException(code, r.message());
    }

    private static MlflowException pendingApproval(AliasChangeRequested r) {
        return new MlflowException(MlflowErrorCode.INVALID_STATE, "Alias '" + r.alias() + "' of registered model '"
                + r.modelName() + "' is protected: moving it to version " + r.version() + " now waits for approval "
                + "by a second principal (request " + r.requestId() + "). Approve it with POST /api/v1/models/"
                + r.modelName() + "/approvals/" + r.requestId() + "/approve; until then the alias stays where it is.");
    }
}
