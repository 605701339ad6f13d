package dev.drover.registry.api;

import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

import java.util.List;
import java.util.Map;

/**
 * The bodies the registry's REST API accepts (docs/registry-api.md). Absent fields are null; the controllers say
 * which ones are required. The {@code @Schema} annotations describe the same for the OpenAPI document (the bodies
 * are read by {@link RequestBodies}, which refuses unknown fields, hence {@code additionalProperties: false}).
 */
final class RegistryRequests {
    private RegistryRequests() {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record CreateModel(
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED, pattern = ApiDocs.NAME,
                    example = "churn") String name,
            String description,
            @io.swagger.v3.oas.annotations.media.Schema(description = "tag key → value") Map<String, String> tags) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record TagValue(@io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED, maxLength = 5000)
                    String value) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record Description(String description) {
    }

    /** @param keepNewerThan an ISO-8601 duration such as {@code P30D} */
    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record Retention(
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0")
            Integer keepLastVersions,
            @io.swagger.v3.oas.annotations.media.Schema(description = "an ISO-8601 duration", example = "P30D")
            String keepNewerThan) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record RegisterVersion(
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED,
                    example = "s3://models/churn/7") String artifactLocation,
            String description,
            @io.swagger.v3.oas.annotations.media.Schema(description = "parameter key → value") Map<String,
                    String> params,
            @io.swagger.v3.oas.annotations.media.Schema(description = "metric key → value")
            Map<String, Double> metrics,
            Lineage lineage,
            @io.swagger.v3.oas.annotations.media.Schema(description = "tag key → value") Map<String, String> tags,
            @io.swagger.v3.oas.annotations.media.Schema(description = "create the model first if there is none")
            Boolean createModelIfMissing) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record Lineage(String runId, String taskId, String codeVersion, FeatureSetRef featureSet) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record FeatureSetRef(
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED) String name,
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED, minimum = "1")
            Integer version) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record Stage(
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED,
                    description = "case-insensitive", allowableValues = {"None", "Staging", "Production", "Archived"})
            String stage,
            Boolean archiveExistingVersions) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record SetAlias(
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED, minimum = "1")
            Integer version,
            String reason) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record Reason(String reason) {
        static final Reason NONE = new Reason(null);
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record Comment(String comment) {
        static final Comment NONE = new Comment(null);
    }

    /** @param direction {@code greater} or {@code smaller} (is better) */
    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record Promotion(
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED, minimum = "1")
            Integer version,
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED, example = "auc")
            String metric,
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED,
                    description = "which is better (case-insensitive)", allowableValues = {"greater", "smaller"})
            String direction,
            Double minAbsoluteImprovement,
            Double minRelativeImprovement,
            @io.swagger.v3.oas.annotations.media.Schema(description = "default champion", pattern = ApiDocs.ALIAS)
            String alias,
            @io.swagger.v3.oas.annotations.media.Schema(description = "both versions measured on the same data "
                    + "(e.g. by a retraining run on recent labelled production rows), compared instead of their "
                    + "registered metrics")
            Measured measured) {
    }

    /** What a run measured on shared data: see {@code MeasuredComparison}. */
    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record Measured(
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED)
            Double challengerValue,
            @io.swagger.v3.oas.annotations.media.Schema(description = "the alias holder measured; null: none")
            Integer championVersion,
            Double championValue,
            @io.swagger.v3.oas.annotations.media.Schema(maxLength = 4000)
            String evaluationData,
            String runId,
            String driftReportId) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record FeatureSetVersion(
            String description,
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED) Schema schema,
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED,
                    example = "s3://features/churn/2030-01") String dataLocation,
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED) Statistics statistics) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(name = "FeatureSetSchema",
            additionalProperties = AdditionalPropertiesValue.FALSE)
    record Schema(@io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED)
                  List<Feature> features) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record Feature(
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED) String name,
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED,
                    description = "case-insensitive", allowableValues = {"NUMERIC", "CATEGORICAL", "BINARY"})
            String type) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record Statistics(
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0")
            Long rowCount,
            @io.swagger.v3.oas.annotations.media.Schema(description = "feature name → its statistics")
            Map<String, FeatureStatistics> features) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record FeatureStatistics(
            @io.swagger.v3.oas.annotations.media.Schema(minimum = "0") Long missing,
            @io.swagger.v3.oas.annotations.media.Schema(description = "numeric features") Histogram histogram,
            @io.swagger.v3.oas.annotations.media.Schema(description = "numeric features") List<Quantile> quantiles,
            @io.swagger.v3.oas.annotations.media.Schema(description = "categorical features: value → count")
            Map<String, Long> categories) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record Histogram(List<Double> edges, List<Long> counts) {
    }

    @io.swagger.v3.oas.annotations.media.Schema(additionalProperties = AdditionalPropertiesValue.FALSE)
    record Quantile(
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED, minimum = "0",
                    maximum = "1") Double p,
            @io.swagger.v3.oas.annotations.media.Schema(requiredMode = RequiredMode.REQUIRED) Double value) {
    }
}
