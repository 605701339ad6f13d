package dev.drover.monitor.readmodel;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * What a drifted report triggered: a retrain request ({@code REQUESTED}, with its reason, the production data it
 * passes and the runs it started), a retrain that waits for labels ({@code AWAITING_LABELS}, with how many are kept
 * and needed), or nothing because of the cooldown ({@code SUPPRESSED}, naming the request that started it and when it
 * ends).
 */
@Serdeable
public record TriggerView(String reportId, String outcome, String reason, Integer championVersion,
                          DriftReportView.FeatureSetVersion featureSet, String lastReportId, Instant cooldownUntil,
                          Instant at, List<RunView> runs, List<String> windowData, List<String> trainingData,
                          List<String> evaluationData, String championArtifact, Long labeledRows,
                          Long labelsNeeded, Declined declined) {

    /** The retraining run whose challenger was declined, why, and when drift may ask for a retrain again. */
    @Serdeable
    public record Declined(String runId, String reason, Instant nextRetrainAt) {
    }

    /** A pipeline run the retrain request started. */
    @Serdeable
    public record RunView(String pipelineId, String runId, Instant linkedAt) {
    }
}
