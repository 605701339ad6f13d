package dev.drover.monitor.wire;

import dev.drover.monitor.core.MonitorCommand;

import java.time.Instant;
import java.util.Objects;

/**
 * A monitor command as it travels on {@code drover.monitor.commands}: the command, when it was issued, and the id
 * that ties it to a wider story (a window, a run, a REST request). The Kafka key is {@link #key()}.
 */
public record CommandEnvelope(MonitorCommand command, Instant issuedAt, String correlationId) {

    public CommandEnvelope {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(issuedAt, "issuedAt");
    }

    /** The command's id (the causation id of the events decided from it). */
    public String commandId() {
        return command.commandId();
    }

    /** {@code monitor/<model>}: the aggregate key, also the Kafka key. */
    public String key() {
        return MonitorKeys.model(command.modelName());
    }
}
