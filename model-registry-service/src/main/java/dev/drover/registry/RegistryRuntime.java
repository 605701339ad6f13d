package dev.drover.registry;

import dev.drover.registry.loop.RegistryGateway;
import dev.drover.registry.readmodel.ProjectionProgress;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;

/**
 * Starts the registry's moving parts: topics, the decision loop, the command gateway used by REST writes, and the
 * read-model projector. (Being built: the loop and gateway land next.)
 */
@Context
@Requires(property = "drover.registry.enabled", value = "true")
public class RegistryRuntime {

    public RegistryGateway gateway() {
        throw new UnsupportedOperationException("the registry loop is not wired yet");
    }

    public ProjectionProgress progress() {
        throw new UnsupportedOperationException("the registry projector is not wired yet");
    }
}
