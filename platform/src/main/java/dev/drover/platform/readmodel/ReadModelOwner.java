package dev.drover.platform.readmodel;

/**
 * A bean that runs a read model: the platform's health indicator and quarantine endpoints find every projector of
 * the application context through it (one per service; several in the standalone).
 */
public interface ReadModelOwner {
    /** The projector of this service's read model. */
    TableProjector<?> readModel();
}
