package dev.drover.registry.core;

import dev.drover.registry.core.ModelEvent.VersionRegistered;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One version of a registered model. What it was registered with never changes; its description, stage and tags
 * change through {@link RegisteredModelState#apply}, the only code that changes a model.
 */
public final class ModelVersionState {
    final VersionRegistered registration;
    final Map<String, String> tags;
    String description;
    ModelStage stage = ModelStage.NONE;
    Instant lastUpdatedAt;

    ModelVersionState(VersionRegistered registration) {
        this.registration = registration;
        this.tags = new TreeMap<>(registration.tags());
        this.description = registration.description();
        this.lastUpdatedAt = registration.at();
    }

    public int version() {
        return registration.version();
    }

    /** Where the model's files are (MLflow's {@code source}). */
    public String artifactLocation() {
        return registration.artifactLocation();
    }

    /** The current description: the registered one until a description update replaces it. */
    public String description() {
        return description;
    }

    public Map<String, String> params() {
        return registration.params();
    }

    public Map<String, Double> metrics() {
        return registration.metrics();
    }

    /** The value of one metric, if the version was registered with it. */
    public Optional<Double> metric(String name) {
        return Optional.ofNullable(registration.metrics().get(name));
    }

    /** The run, task, code version and feature-set version that produced this version. */
    public Lineage lineage() {
        return registration.lineage();
    }

    public Map<String, String> tags() {
        return Collections.unmodifiableMap(tags);
    }

    public ModelStage stage() {
        return stage;
    }

    public String registeredBy() {
        return registration.by();
    }

    public Instant registeredAt() {
        return registration.at();
    }

    public Instant lastUpdatedAt() {
        return lastUpdatedAt;
    }
}
