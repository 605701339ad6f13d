package dev.drover.registry.api;

import java.util.List;
import java.util.Map;

/**
 * The bodies the registry's REST API accepts (docs/registry-api.md). Absent fields are null; the controllers say
 * which ones are required.
 */
final class RegistryRequests {
    private RegistryRequests() {
    }

    record CreateModel(String name, String description, Map<String, String> tags) {
    }

    record TagValue(String value) {
    }

    record Description(String description) {
    }

    /** @param keepNewerThan an ISO-8601 duration such as {@code P30D} */
    record Retention(Integer keepLastVersions, String keepNewerThan) {
    }

    record RegisterVersion(String artifactLocation, String description, Map<String, String> params,
                           Map<String, Double> metrics, Lineage lineage, Map<String, String> tags,
                           Boolean createModelIfMissing) {
    }

    record Lineage(String runId, String taskId, String codeVersion, FeatureSetRef featureSet) {
    }

    record FeatureSetRef(String name, Integer version) {
    }

    record Stage(String stage, Boolean archiveExistingVersions) {
    }

    record SetAlias(Integer version, String reason) {
    }

    record Reason(String reason) {
        static final Reason NONE = new Reason(null);
    }

    record Comment(String comment) {
        static final Comment NONE = new Comment(null);
    }

    /** @param direction {@code greater} or {@code smaller} (is better) */
    record Promotion(Integer version, String metric, String direction, Double minAbsoluteImprovement,
                     Double minRelativeImprovement, String alias) {
    }

    record FeatureSetVersion(String description, Schema schema, String dataLocation, Statistics statistics) {
    }

    record Schema(List<Feature> features) {
    }

    record Feature(String name, String type) {
    }

    record Statistics(Long rowCount, Map<String, FeatureStatistics> features) {
    }

    record FeatureStatistics(Long missing, Histogram histogram, List<Quantile> quantiles,
                             Map<String, Long> categories) {
    }

    record Histogram(List<Double> edges, List<Long> counts) {
    }

    record Quantile(Double p, Double value) {
    }
}
