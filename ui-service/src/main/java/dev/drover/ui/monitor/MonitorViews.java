package dev.drover.ui.monitor;

import java.util.List;

/** What the monitor pages show, read from the monitor's API. */
public final class MonitorViews {

    private MonitorViews() {
    }

    /** A row of the monitor list. */
    public record Row(String model, long reports, long drifted, long retrains, String latestWindowEnd) {
    }

    /** One feature's test in a report. */
    public record FeatureTest(String feature, String method, double statistic, Double pValue, double threshold,
                              boolean drifted) {
    }

    /** A drift report: a window compared with the champion's reference. */
    public record Report(String reportId, String windowId, String windowEnd, long rows, int championVersion,
                         String featureSet, int drifted, int features, double driftedShare, double threshold,
                         boolean datasetDrifted, List<FeatureTest> tests) {
    }

    /** A retrain trigger, the run it started, and what became of it. */
    public record Trigger(String reportId, String outcome, String reason, Integer championVersion, String at,
                          List<String> runIds, String declined, String nextRetrainAt) {
    }

    /** Performance of a window with labels. */
    public record Performance(String windowId, int version, String metric, double observed, double baseline,
                              long labels, String at, boolean degraded) {
    }

    /** An alert the monitor raised. */
    public record Alert(String kind, String message, String at) {
    }

    /**
     * The monitor page. {@code chart} is the drift-over-time data as JSON for the chart: window ends, one series of
     * statistics per feature, and the threshold.
     */
    public record Page(String model, long reports, long driftedReports, Report latest, List<Report> recent,
                       String chart, List<Trigger> triggers, List<Performance> performance, List<Alert> alerts) {
    }
}
