package dev.drover.registry.core;

/**
 * Where a model version came from: the Drover run and task that trained it, the code version (e.g. a git commit)
 * and the feature-set version it was trained on. Every part is optional (null) because versions registered through
 * the MLflow API may know none of them.
 */
public record Lineage(String runId, String taskId, String codeVersion, FeatureSetRef featureSet) {

    /** No lineage at all. */
    public static final Lineage NONE = new Lineage(null, null, null, null);
}
