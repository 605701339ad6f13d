package dev.drover.monitor.readmodel;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A drift report: one window of production data compared with the champion's reference. Lists carry the summary
 * only ({@code features} and {@code badRecords} null); {@code GET .../reports/{windowId}} has everything.
 *
 * @param driftedShare   drifted features / features tested
 * @param threshold      the policy's {@code datasetDriftShare} the share was compared with
 * @param datasetDrifted {@code driftedShare >= threshold}
 * @param features       every feature's result, in the order the window loop sent them
 * @param badRecords     records set aside, per reason
 */
@Serdeable
public record DriftReportView(String reportId, String windowId, Instant windowStart, Instant windowEnd,
                              long rowCount, int championVersion, FeatureSetVersion featureSet, int featureCount,
                              int driftedFeatureCount, double driftedShare, double threshold, boolean datasetDrifted,
                              long badRecordCount, Instant recordedAt, List<FeatureResultView> features,
                              Map<String, Long> badRecords) {

    /** A version of a feature set of the registry: the reference the window was compared with. */
    @Serdeable
    public record FeatureSetVersion(String name, int version) {
    }

    /**
     * One feature's drift test.
     *
     * @param statistic the statistic or distance; {@code "Infinity"} in JSON when infinite
     * @param pValue    null for the distances (PSI, Wasserstein, Jensen–Shannon)
     * @param threshold a p-value below it, or a distance above it, is drift
     */
    @Serdeable
    public record FeatureResultView(String feature, String method, double statistic, Double pValue,
                                    double threshold, boolean drifted) {
    }

    DriftReportView withDetails(List<FeatureResultView> features, Map<String, Long> badRecords) {
        return new DriftReportView(reportId, windowId, windowStart, windowEnd, rowCount, championVersion, featureSet,
                featureCount, driftedFeatureCount, driftedShare, threshold, datasetDrifted, badRecordCount,
                recordedAt, features, badRecords);
    }
}
