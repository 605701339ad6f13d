package dev.drover.monitor.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything that has happened to a monitored model: the past-tense half of its vocabulary, and the only input of
 * {@link MonitoredModelState#apply}. The envelope (event id, causation and correlation ids) is added by the loop
 * that appends them; {@code at} is the moment the monitor took the command.
 *
 * <p>Some events are logged for the history and for the adapters that act on them, and change no state the
 * decisions depend on: {@link RetrainSuppressed}, {@link AlertRaised} (the webhook sender delivers it) and
 * {@link MonitorCommandRejected}.
 */
public sealed interface MonitorEvent {

    /** The monitored model this event belongs to: the aggregate and partition key. */
    String modelName();

    /** The model is monitored with this policy (defaults filled in), replacing any earlier one. */
    record MonitoringConfigured(String modelName, MonitoringPolicy policy, String by, Instant at)
            implements MonitorEvent {
    }

    /**
     * A closed window was compared with the champion's reference.
     *
     * @param reportId       {@code <model>/<windowId>}: what retrain requests, runs and the REST API refer to
     * @param driftedShare   drifted features / features tested
     * @param datasetDrifted {@code driftedShare >= datasetDriftShare} of the policy in force
     * @param threshold      that policy's {@code datasetDriftShare}, kept so the report reads on its own
     */
    record DriftReportRecorded(String modelName, String reportId, ClosedWindow window, List<FeatureResult> results,
                               Map<String, Long> badRecords, double driftedShare, double threshold,
                               boolean datasetDrifted, Instant at) implements MonitorEvent {
        public DriftReportRecorded {
            results = Copies.list(results);
            badRecords = Copies.sorted(badRecords);
        }
    }

    /**
     * The drifted report asks for the model to be retrained: the scheduler starts every pipeline with a drift trigger
     * for the model, with the report's id and the reason as run parameters.
     *
     * @param reason which features drifted, in words
     */
    record RetrainRequested(String modelName, String reportId, String reason, int championVersion,
                            FeatureSetRef featureSet, Instant at, List<String> windowData, List<String> trainingData,
                            List<String> evaluationData, String championArtifact) implements MonitorEvent {
        public RetrainRequested {
            windowData = Copies.list(windowData);
            trainingData = Copies.list(trainingData);
            evaluationData = Copies.list(evaluationData);
        }

        /** A request that passes no production data (none kept). */
        public RetrainRequested(String modelName, String reportId, String reason, int championVersion,
                                FeatureSetRef featureSet, Instant at) {
            this(modelName, reportId, reason, championVersion, featureSet, at, List.of(), List.of(), List.of(), null);
        }
    }

    /**
     * A drifted report wants a retrain, which waits until the policy's {@code retrainMinLabeledRows} labelled
     * production rows are kept since the last request: a retrain on the old data alone would only repeat the champion.
     */
    record RetrainAwaitingLabels(String modelName, String reportId, String reason, long labeledRows, long needed,
                                 Instant at)
            implements MonitorEvent {
    }

    /**
     * A retraining run's challenger was declined: the champion stays, so its reference does too, and drifted windows
     * may request another retrain from {@code nextRetrainAt} (the cooldown's end) — with the production data kept
     * since this request.
     */
    record RetrainDeclined(String modelName, String reportId, String pipelineId, String runId, String reason,
                           Instant nextRetrainAt, Instant at) implements MonitorEvent {
    }

    /**
     * The drifted report requests no retrain: the last request ({@code lastReportId}) is within the cooldown.
     * Logged for the history only.
     */
    record RetrainSuppressed(String modelName, String reportId, String lastReportId, Instant cooldownUntil,
                             Instant at) implements MonitorEvent {
    }

    /** A version's performance on the labels of a window, with the baseline it was compared with. */
    record PerformanceRecorded(String modelName, String windowId, int version, String metric, double observed,
                               long labelCount, double baseline, Instant at, String labeledDataLocation,
                               Map<String, Long> labelsByWindow) implements MonitorEvent {
        public PerformanceRecorded {
            labelsByWindow = Copies.sorted(labelsByWindow);
        }

        /** Performance whose labelled rows are not kept. */
        public PerformanceRecorded(String modelName, String windowId, int version, String metric, double observed,
                                   long labelCount, double baseline, Instant at) {
            this(modelName, windowId, version, metric, observed, labelCount, baseline, at, null, Map.of());
        }
    }

    /**
     * A version's performance fell below its baseline by more than the policy allows.
     *
     * @param drop         how far it fell, in the metric's units (positive: worse)
     * @param relativeDrop {@code drop / |baseline|}, or null when the baseline is 0
     * @param reason       the comparison in words
     */
    record DegradationDetected(String modelName, String windowId, int version, String metric,
                               MetricDirection direction, double observed, double baseline, double drop,
                               Double relativeDrop, String reason, Instant at) implements MonitorEvent {
    }

    /**
     * The champion should be rolled back from {@code fromVersion}; the registry decides to which version (its alias
     * history). Requested at most once per version.
     */
    record RollbackRequested(String modelName, int fromVersion, String reason, Instant at) implements MonitorEvent {
    }

    /**
     * Something people should hear about. The webhook sender posts it to {@code webhooks} (the policy's at the
     * time; empty: it is only logged). Logged for the history and the sender; changes no state.
     */
    record AlertRaised(String modelName, AlertKind kind, String message, List<Webhook> webhooks, Instant at)
            implements MonitorEvent {
        public AlertRaised {
            webhooks = Copies.list(webhooks);
        }
    }

    /** A pipeline run was started by the retrain request of {@code reportId}. */
    record RetrainRunLinked(String modelName, String reportId, String pipelineId, String runId, Instant at)
            implements MonitorEvent {
    }

    /**
     * A command was not carried out; {@code code} says why in one word and {@code message} in a sentence that says
     * how to fix it. Changes no state.
     */
    record MonitorCommandRejected(String modelName, String commandId, RejectionCode code, String message)
            implements MonitorEvent {
    }
}
