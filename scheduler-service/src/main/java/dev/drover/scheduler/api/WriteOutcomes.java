package dev.drover.scheduler.api;

import dev.drover.platform.http.ApiException;
import dev.drover.platform.input.RequestRules;
import dev.drover.platform.input.TextRules;
import dev.drover.scheduler.SchedulerConfig;
import dev.drover.scheduler.SchedulerRuntime;
import dev.drover.scheduler.core.RejectionCode;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.loop.CommandGateway.Outcome;
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
        java.util.concurrent.CompletableFuture<Outcome> pending;
        try {
            pending = runtime.gateway().send(command, correlationId, principal);
        } catch (IllegalArgumentException e) {
            // a value the log's encoding cannot carry (an integer beyond 64 bits): the request's, not ours
            throw RequestRules.invalid("body", "the request holds a value Drover cannot record: " + e.getMessage());
        }
        try {
            outcome = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(false); // stop waiting: the gateway forgets completed futures

            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "scheduler_unavailable",
                    "the scheduler did not decide command " + command.commandId() + " within " + timeout
                            + "; it is in the log and will still be decided when a scheduler is running",
                    "check that a scheduler instance is running (GET /health), then read the result instead of retrying");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof dev.drover.platform.eventlog.CommandLog.NothingDecided n) {
                throw ApiException.of(HttpStatus.INTERNAL_SERVER_ERROR, "command_set_aside", n.getMessage(),
                        "this is a bug in the scheduler, not in the request: report it with the scheduler's log");
            }
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

    private static final java.util.regex.Pattern POSITION = java.util.regex.Pattern.compile("(\\d{1,9}):(\\d{1,18})");
    private static final java.time.Duration POSITION_WAIT = java.time.Duration.ofSeconds(10);

    /**
     * Waits (up to 10 s) until the read models include the event at {@code position} ({@code partition:offset}).
     * A malformed position, or one beyond the end of the log, is a 400 at once.
     */
    void awaitProjected(String position) {
        if (position == null || position.isBlank()) {
            return;
        }
        java.util.regex.Matcher m = POSITION.matcher(position);
        if (!m.matches()) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_position", "position "
                    + TextRules.quote(position) + " is not of the form <partition>:<offset> (two whole numbers)",
                    "pass the position a write answered with, unchanged");
        }
        int partition = Integer.parseInt(m.group(1));
        long offset = Long.parseLong(m.group(2));
        // a position no write could have answered with would be waited for in vain: say so at once
        long end;
        try {
            end = runtime.gateway().eventsEnd(partition);
        } catch (IllegalStateException e) {
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "kafka_unavailable", e.getMessage(),
                    "check that Kafka is reachable, then retry");
        }
        if (end < 0 || offset >= end) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_position", "position " + position
                    + (end < 0 ? " names a partition the event log does not have"
                    : " lies beyond the end of the event log (partition " + partition + " ends at " + end + ")"),
                    "pass the position a write answered with, unchanged");
        }
        if (!runtime.projector().projector().awaitProjected(partition, offset, POSITION_WAIT)) {
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "read_model_behind",
                    "the read models have not reached position " + position + " within " + POSITION_WAIT,
                    "retry the read; if it persists, check the scheduler log and GET /api/v1/admin/read-models/"
                            + "quarantine");
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
