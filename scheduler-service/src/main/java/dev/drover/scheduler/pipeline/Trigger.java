package dev.drover.scheduler.pipeline;

import java.util.Objects;

/**
 * Something other than a person that starts runs of a pipeline, declared under {@code triggers} (see
 * {@code docs/pipelines.md}). A closed set: a new kind of trigger is a new record here, a new key in
 * {@link Triggers}, and a new branch in the schema.
 */
public sealed interface Trigger permits Trigger.Drift, Trigger.Event, Trigger.Assets {

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

    /**
     * Start a run when an external CloudEvent of this type arrives (webhook or topic; see
     * {@code docs/triggers.md}).
     *
     * @param type       the CloudEvent {@code type} attribute to match exactly
     * @param filter     a CEL condition over {@code event} (attributes) and {@code data}, or null to accept every event
     *                   of the type
     * @param parameters run parameter name → CEL expression over {@code event} and {@code data} giving its value
     */
    record Event(String type, String filter, java.util.Map<String, String> parameters) implements Trigger {
        public Event {
            Objects.requireNonNull(type, "type");
            parameters = parameters == null ? java.util.Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        }
    }

    /**
     * Start a run when assets this pipeline consumes are updated (data-aware scheduling; see
     * {@code docs/triggers.md}).
     *
     * @param uris the asset URIs, e.g. {@code s3://bucket/features/churn}
     * @param all  true: every asset must have been updated since the last such run; false: any one of them
     */
    record Assets(java.util.List<String> uris, boolean all) implements Trigger {
        public Assets {
            uris = java.util.List.copyOf(uris);
        }
    }
}
