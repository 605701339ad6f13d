package dev.drover.monitor.api;

import dev.drover.monitor.MonitorConfig;
import dev.drover.monitor.MonitorRuntime;
import dev.drover.monitor.core.MonitorCommand;
import dev.drover.monitor.core.MonitorEvent.MonitorCommandRejected;
import dev.drover.monitor.core.RejectionCode;
import dev.drover.monitor.wire.CommandEnvelope;
import dev.drover.monitor.wire.EventEnvelope;
import dev.drover.platform.eventlog.CommandLog.Outcome;
import dev.drover.platform.http.ApiException;
import dev.drover.platform.input.RequestRules;
import dev.drover.platform.security.Principals;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Carries out a REST write: sends the command through the monitor's gateway, waits for its outcome in the log,
 * turns a rejection into the documented error, and waits until the read model holds the outcome, so that the
 * controller's read-back shows the write (read-your-writes).
 */
@Singleton
@Requires(property = "drover.monitor.enabled", value = "true")
public class MonitorWrites {
    /** The header naming who asks; {@value #ANONYMOUS} when absent. */
    public static final String PRINCIPAL_HEADER = "X-Drover-Principal";
    static final String ANONYMOUS = "anonymous";
    private static final int MAX_PRINCIPAL_LENGTH = 200;
    /** The most a rejection waits for the read model to hold it before it is answered anyway. */
    private static final Duration REJECTION_READ_WAIT = Duration.ofMillis(500);

    private final MonitorRuntime runtime;
    private final Duration timeout;

    MonitorWrites(MonitorRuntime runtime, MonitorConfig config) {
        this.runtime = runtime;
        this.timeout = config.getWriteTimeout();
    }

    /** A fresh command id. */
    static String commandId() {
        return UUID.randomUUID().toString();
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
        if (p.length() > MAX_PRINCIPAL_LENGTH) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_principal", PRINCIPAL_HEADER + " is "
                    + p.length() + " characters long", "send a principal of at most " + MAX_PRINCIPAL_LENGTH
                    + " characters");
        }
        return Principals.current(p, ANONYMOUS);
    }

    /**
     * Sends the command and waits until its outcome is in the read model.
     *
     * @return whether it changed anything (false: rejected as {@code UNCHANGED})
     * @throws ApiException the rejection's error, or 503 when the monitor does not answer in time
     */
    boolean write(MonitorCommand command) {
        CompletableFuture<Outcome<EventEnvelope>> pending;
        try {
            pending = runtime.gateway().send(new CommandEnvelope(command, Instant.now(), command.commandId()));
        } catch (IllegalArgumentException e) {
            // a value the log's encoding cannot carry: the request's, not ours
            throw RequestRules.invalid("body", "the request holds a value Drover cannot record: " + e.getMessage());
        }
        Outcome<EventEnvelope> outcome;
        try {
            outcome = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(false);
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "monitor_unavailable", "the monitor did not "
                    + "decide command " + command.commandId() + " within " + timeout + "; it is in the log and may "
                    + "still be decided", "check that the monitor is running (GET /health), then read the state "
                    + "(GET) before sending again");
        } catch (ExecutionException e) {
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "monitor_unavailable", "could not append command "
                    + command.commandId() + ": " + e.getCause().getMessage(), "check that Kafka is reachable, then "
                    + "retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(false);
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "monitor_unavailable", "interrupted while "
                    + "waiting for command " + command.commandId(), "retry");
        }
        List<EventEnvelope> events = outcome.events();
        if (events.size() == 1 && events.get(0).event() instanceof MonitorCommandRejected r
                && r.code() != RejectionCode.UNCHANGED) {
            // the answer; give the read model a moment to hold it too, but never more
            runtime.progress().awaitProjected(outcome.partition(), outcome.lastOffset(), REJECTION_READ_WAIT);
            throw rejected(r.code(), r.message());
        }
        if (outcome.lastOffset() >= 0
                && !runtime.progress().awaitProjected(outcome.partition(), outcome.lastOffset(), timeout)) {
            throw ApiException.of(HttpStatus.SERVICE_UNAVAILABLE, "read_model_behind", "the write is in the log, "
                            + "but the read model has not reached it (partition " + outcome.partition() + ", offset "
                            + outcome.lastOffset() + ") within " + timeout,
                    "read again shortly; if it persists, check the monitor's log for projection errors");
        }
        // nothing decided, or decided to change nothing
        return !events.isEmpty() && !(events.get(0).event() instanceof MonitorCommandRejected);
    }

    /** The API error of a rejection (docs/monitor-api.md). */
    static ApiException rejected(RejectionCode code, String message) {
        HttpStatus status;
        String fix;
        switch (code) {
            case INVALID_ARGUMENT:
                status = HttpStatus.BAD_REQUEST;
                fix = "correct the request as the message says (rules: docs/monitor.md)";
                break;
            case NOT_CONFIGURED:
            case REPORT_NOT_FOUND:
                status = HttpStatus.NOT_FOUND;
                fix = "configure the model first: PUT /api/v1/monitors/{model}";
                break;
            default:
                status = HttpStatus.CONFLICT;
                fix = "read the model's state (GET /api/v1/monitors/{model}) and see docs/monitor.md";
        }
        return ApiException.of(status, code.name().toLowerCase(Locale.ROOT), message, fix);
    }
}
