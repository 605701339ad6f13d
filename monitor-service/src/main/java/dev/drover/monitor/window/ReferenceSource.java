package dev.drover.monitor.window;

/**
 * Where the window loop finds a model's reference: the registry (over HTTP in production, {@link HttpReferenceSource}),
 * kept behind this seam so the window logic is tested without one and the monitor never depends on the registry's
 * code.
 */
public interface ReferenceSource {

    /** The reference of a model, or why there is none. Never throws for an expected absence or an outage. */
    Lookup champion(String modelName);

    /** The outcome of a lookup. */
    sealed interface Lookup {
    }

    /** The model's current champion and its reference statistics. */
    record Found(ModelReference reference) implements Lookup {
    }

    /**
     * No reference: the model has no champion, the champion names no feature set, the feature set has no usable
     * statistics, or the registry could not be reached.
     */
    record Missing(String reason) implements Lookup {
    }
}
