package dev.drover.registry.core;

import java.time.Instant;

/**
 * Everything that has happened to a feature set, and the only input of {@link FeatureSetState#apply}. As for
 * models, the envelope is added by the loop that appends the events.
 */
public sealed interface FeatureSetEvent {

    /** The feature set this event belongs to: the aggregate and partition key. */
    String featureSetName();

    /** A version was registered with the next number. */
    record FeatureSetVersionRegistered(String featureSetName, int version, String description, FeatureSchema schema,
                                       String dataLocation, ReferenceStatistics statistics, String by, Instant at)
            implements FeatureSetEvent {
    }

    /** A command was not carried out; changes no state (see {@link ModelEvent.ModelCommandRejected}). */
    record FeatureSetCommandRejected(String featureSetName, String commandId, RejectionCode code, String message)
            implements FeatureSetEvent, Rejection {
    }
}
