package dev.drover.registry.core;

/** A logged refusal of a command, whichever aggregate refused it. */
public sealed interface Rejection permits ModelEvent.ModelCommandRejected, FeatureSetEvent.FeatureSetCommandRejected {

    /** The refused command's id. */
    String commandId();

    RejectionCode code();

    /** Why, in a sentence that says how to fix it. */
    String message();
}
