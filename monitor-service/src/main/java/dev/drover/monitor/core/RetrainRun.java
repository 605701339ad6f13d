package dev.drover.monitor.core;

/** A pipeline run started by a retrain request. */
public record RetrainRun(String pipelineId, String runId) {
}
