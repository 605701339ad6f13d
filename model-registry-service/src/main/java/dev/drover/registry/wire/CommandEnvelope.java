package dev.drover.registry.wire;

import dev.drover.registry.core.FeatureSetCommand;
import dev.drover.registry.core.ModelCommand;

import java.time.Instant;
import java.util.Objects;

/**
 * A registry command as it travels on {@code drover.registry.commands}: the command (a {@link ModelCommand} or a
 * {@link FeatureSetCommand}), when it was issued, and the id that ties it to a wider story (a pipeline run, a REST
 * request). The Kafka key is {@link #key()}.
 */
public record CommandEnvelope(Object command, Instant issuedAt, String correlationId) {

    public CommandEnvelope {
        Objects.requireNonNull(command, "command");
        if (!(command instanceof ModelCommand) && !(command instanceof FeatureSetCommand)) {
            throw new IllegalArgumentException("not a registry command: " + command.getClass().getName());
        }
        Objects.requireNonNull(issuedAt, "issuedAt");
    }

    /** The command's id (the causation id of the events decided from it). */
    public String commandId() {
        return command instanceof ModelCommand m ? m.commandId() : ((FeatureSetCommand) command).commandId();
    }

    /** The aggregate key: {@code model/<name>} or {@code feature-set/<name>}; also the Kafka key. */
    public String key() {
        return command instanceof ModelCommand m ? RegistryKeys.model(m.modelName())
                : RegistryKeys.featureSet(((FeatureSetCommand) command).featureSetName());
    }
}
