package dev.drover.registry.core;

import dev.drover.registry.core.FeatureSetCommand.RegisterFeatureSetVersion;
import dev.drover.registry.core.FeatureSetEvent.FeatureSetCommandRejected;
import dev.drover.registry.core.FeatureSetEvent.FeatureSetVersionRegistered;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Decides what a command means for one feature set. Pure, like {@link ModelDecider}: it reads the state, uses no
 * clock but {@code now}, and numbers versions from the state.
 */
public final class FeatureSetDecider {

    /** Decides one command against the state of the feature set it names. */
    public Decision<FeatureSetEvent> decide(FeatureSetState state, FeatureSetCommand command, Instant now) {
        if (!state.name().equals(command.featureSetName())) {
            throw new IllegalArgumentException("command for feature set " + command.featureSetName()
                    + " decided against " + state.name());
        }
        if (command instanceof RegisterFeatureSetVersion c) {
            return register(state, c, now);
        }
        throw new IllegalArgumentException("no decision for " + command.getClass().getSimpleName());
    }

    private Decision<FeatureSetEvent> register(FeatureSetState state, RegisterFeatureSetVersion c, Instant now) {
        Optional<String> nameProblem = NamingRules.featureSetName(c.featureSetName());
        if (nameProblem.isPresent()) {
            return reject(c, RejectionCode.INVALID_NAME, nameProblem.get());
        }
        List<String> problems = FeatureSetRules.problems(c.schema(), c.dataLocation(), c.statistics());
        if (!problems.isEmpty()) {
            return reject(c, RejectionCode.INVALID_ARGUMENT, String.join("; ", problems));
        }
        return Decision.of(List.of(new FeatureSetVersionRegistered(c.featureSetName(), state.latestVersion() + 1,
                c.description(), c.schema(), c.dataLocation(), c.statistics(), c.requestedBy(), now)));
    }

    private static Decision<FeatureSetEvent> reject(FeatureSetCommand c, RejectionCode code, String message) {
        return Decision.of(List.of(new FeatureSetCommandRejected(c.featureSetName(), c.commandId(), code, message)));
    }
}
