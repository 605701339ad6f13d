package dev.drover.monitor.core;

import java.util.List;
import java.util.Map;

/**
 * Everything a monitored model can be told: the imperative half of its vocabulary (events are in
 * {@link MonitorEvent}). Commands are keyed by model name, so all commands about one model are decided one after
 * the other against the state the previous decision left — which is what makes the retrain cooldown and the
 * rollback-once rule hold however many windows close at once.
 *
 * <p>Apart from {@link ConfigureMonitoring}, which people send, the monitor's own adapters send these: the window
 * loop ({@link RecordWindow}, {@link RecordPerformance}) and the watcher of the scheduler's events
 * ({@link RecordRetrainRun}, {@link RecordRunFailed}). Commands carry what the sender sent, nulls included; the
 * decider judges it and answers with a {@link MonitorEvent.MonitorCommandRejected} that says how to fix it.
 */
public sealed interface MonitorCommand {

    /** Unique id of this command (the causation id of the events decided from it). */
    String commandId();

    /** The monitored model (a registered model's name): the aggregate and partition key. */
    String modelName();

    /** Start monitoring the model, or replace its policy. */
    record ConfigureMonitoring(String commandId, String modelName, MonitoringPolicy policy, String requestedBy)
            implements MonitorCommand {
    }

    /**
     * Record a closed window's drift results: the decider computes the dataset verdict and, if the dataset drifted,
     * requests a retrain unless the cooldown suppresses it.
     *
     * @param badRecords per reason (e.g. {@code missing_feature}), the records of the window that were set aside
     */
    record RecordWindow(String commandId, String modelName, ClosedWindow window, List<FeatureResult> results,
                        Map<String, Long> badRecords) implements MonitorCommand {
        public RecordWindow {
            results = Copies.list(results);
            badRecords = Copies.sorted(badRecords);
        }
    }

    /**
     * Record how a version performed on the labelled predictions of a window, against the baseline it was
     * registered with.
     *
     * @param baseline the version's registered value of {@code metric}
     */
    record RecordPerformance(String commandId, String modelName, String windowId, int version, String metric,
                             double observed, long labelCount, double baseline, String labeledDataLocation,
                             Map<String, Long> labelsByWindow) implements MonitorCommand {
        public RecordPerformance {
            labelsByWindow = Copies.sorted(labelsByWindow);
        }

        /** Performance whose labelled rows are not kept. */
        public RecordPerformance(String commandId, String modelName, String windowId, int version, String metric,
                                 double observed, long labelCount, double baseline) {
            this(commandId, modelName, windowId, version, metric, observed, labelCount, baseline, null, Map.of());
        }
    }

    /** Link a pipeline run to the drift report whose retrain request started it. */
    record RecordRetrainRun(String commandId, String modelName, String reportId, String pipelineId, String runId)
            implements MonitorCommand {
    }

    /** A pipeline run the monitor watches for this model failed: raise a RUN_FAILED alert. */
    record RecordRunFailed(String commandId, String modelName, String pipelineId, String runId, String reason)
            implements MonitorCommand {
    }

    /** A retraining run the monitor started ended with its challenger declined: the champion stays. */
    record RecordRetrainDeclined(String commandId, String modelName, String reportId, String pipelineId, String runId,
                                 String reason) implements MonitorCommand {
    }
}
