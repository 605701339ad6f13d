package dev.drover.registry.core;

/**
 * Everything a feature set can be asked to do (events are in {@link FeatureSetEvent}). Commands are keyed by
 * feature-set name, so versions are numbered from the state one after the other, like model versions.
 */
public sealed interface FeatureSetCommand {

    /** Unique id of this command (also the idempotency key of a REST write). */
    String commandId();

    /** The feature set this command concerns: the aggregate and partition key. */
    String featureSetName();

    /** Who asked. */
    String requestedBy();

    /**
     * Register the next version of a feature set (creating the feature set with its first version).
     *
     * @param dataLocation where the data these statistics describe is
     * @param statistics   reference statistics of that data, checked against the schema ({@link FeatureSetRules})
     */
    record RegisterFeatureSetVersion(String commandId, String featureSetName, String description,
                                     FeatureSchema schema, String dataLocation, ReferenceStatistics statistics,
                                     String requestedBy) implements FeatureSetCommand {
    }
}
