package dev.drover.scheduler.pipeline;

import java.util.Objects;

/**
 * Something other than a person that starts runs of a pipeline, declared under {@code triggers} (see
 * {@code docs/pipelines.md}). A closed set: a new kind of trigger is a new record here, a new key in
 * {@link Triggers}, and a new branch in the schema.
 */
public sealed interface Trigger permits Trigger.Drift {

    /**
     * Start a run whenever the monitor requests a retrain of this model ({@code RetrainRequested} on
     * {@code drover.monitor.events}).
     *
     * @param model the registered model's name
     */
    record Drift(String model) implements Trigger {
        public Drift {
            Objects.requireNonNull(model, "model");
        }
    }
}
