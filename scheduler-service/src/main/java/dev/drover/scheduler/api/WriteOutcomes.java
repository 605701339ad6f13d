package dev.drover.scheduler.api;

import dev.drover.platform.http.ApiException;
import dev.drover.scheduler.SchedulerConfig;
import dev.drover.scheduler.SchedulerRuntime;
import dev.drover.scheduler.core.RejectionCode;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.loop.CommandGateway.Outcome;
import dev.drover.scheduler.projection.ReadModelProjector;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a REST write as a command and waits for its outcome in the log; turns rejections into 4xx answers with the
 * decider's reason, and offers read-your-writes waits on the read models.
 */
@Singleton
@Requires(property = "drover.scheduler.enabled", value = "true")
public class WriteOutcomes {
    private final SchedulerRuntime runtime;
    private final Duration timeout;

    WriteOutcomes(SchedulerRuntime runtime, SchedulerConfig config) {
        this.runtime = runtime;
        this.timeout = config.getWriteTimeout();
    }

    /** Sends the command and returns its outcome; a rejection other than {@code UNCHANGED} is thrown as 4xx. */
    Outcome send(SchedulerCommand command, String correlationId, String principal) {
        Outcome outcome;
        java.util.concurrent.CompletableFuture<Outcome> pending = runtime.gateway().send(command, correlationId,
                principal);
        try {
            outcome = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(false); // stop waiting: the gateway forgets completed futures

            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "scheduler_unavailable",
                    "the scheduler did not decide command " + command.commandId() + " within " + timeout
                            + "; it is in the log and will still be decided when a scheduler is running",
                    "check that a scheduler instance is running (GET /health), then read the result instead of retrying");
        } catch (ExecutionException e) {
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "kafka_unavailable",
                    "could not append the command: " + e.getCause().getMessage(), "check that Kafka is reachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "interrupted", "interrupted", "retry");
        }
        if (outcome.event().event() instanceof CommandRejected r && r.code() != RejectionCode.UNCHANGED
                && r.code() != RejectionCode.ALREADY_IN_STATE) {
            throw ApiException.of(status(r.code()), r.code().name().toLowerCase(java.util.Locale.ROOT), r.message(),
                    fix(r.code()));
        }
        return outcome;
    }

    /** The API error of a rejection, for a repeated write answered from the read model. */
    static ApiException rejected(RejectionCode code, String message) {
        return ApiException.of(status(code), code.name().toLowerCase(java.util.Locale.ROOT), message, fix(code));
    }

    /** Waits (up to 10 s) until the read models include the event at {@code position} ({@code partition:offset}). */
    void awaitProjected(String position) {
        if (position == null || position.isBlank()) {
            return;
        }
        String[] parts = position.split(":");
        int partition;
        long offset;
        try {
            partition = Integer.parseInt(parts[0]);
            offset = Long.parseLong(parts[1]);
        } catch (RuntimeException e) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_position", "position '" + position
                    + "' is not of the form <partition>:<offset>", "pass the position a write answered with");
        }
        ReadModelProjector projector = runtime.projector();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!projector.hasProjected(partition, offset)) {
            if (System.nanoTime() > deadline) {
                throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "read_model_behind",
                        "the read models have not reached position " + position + " within 10 s",
                        "retry the read; if it persists, check the scheduler log for projection errors");
            }
            try {
                Thread.sleep(5); // the projector offers no notification; a short poll keeps this simple
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static HttpStatus status(RejectionCode code) {
        return switch (code) {
            case UNKNOWN_PIPELINE, UNKNOWN_RUN, UNKNOWN_TASK, UNKNOWN_BACKFILL -> HttpStatus.NOT_FOUND;
            case INVALID_PARAMETERS, INVALID_OUTPUT, INVALID_POOL, INVALID_BACKFILL -> HttpStatus.BAD_REQUEST;
            case RUN_NOT_RETAINED -> HttpStatus.GONE;
            default -> HttpStatus.CONFLICT;
        };
    }

    private static String fix(RejectionCode code) {
        return switch (code) {
            case UNKNOWN_PIPELINE -> "register the pipeline first: POST /api/v1/pipelines";
            case INVALID_PARAMETERS -> "pass parameters as declared by the pipeline: GET /api/v1/pipelines/{id}";
            case RUN_EXISTS -> "omit runId to get a numbered run, or choose an unused one";
            case UNKNOWN_RUN -> "list runs with GET /api/v1/runs";
            case RUN_FINISHED -> "the run is over; start a new one";
            case UNKNOWN_TASK -> "read the run's tasks with GET /api/v1/runs/{runId}";
            case RUN_NOT_RETAINED -> "start a new run, or raise drover.scheduler.keep-finished-runs for the future";
            case TASK_STATE_CONFLICT -> "read the task's status with GET /api/v1/runs/{runId}; see "
                    + "docs/rerun-and-deadlines.md for what can be cleared or marked when";
            default -> "see docs/api.md";
        };
    }
}
