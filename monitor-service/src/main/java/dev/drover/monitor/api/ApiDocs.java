package dev.drover.monitor.api;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Schema.AdditionalPropertiesValue;
import io.swagger.v3.oas.annotations.media.Schema.RequiredMode;

import java.util.List;
import java.util.Map;

/**
 * The monitor's request bodies and common parameters as its OpenAPI document describes them. The controllers read
 * the bodies as JSON trees ({@link PolicyBody}, {@link BatchBody}) to answer every problem with its path; these
 * records only describe the same shapes and rules for the document, which is generated from them at compile time.
 */
final class ApiDocs {
    /** A registry model name (the registry's NamingRules). */
    static final String MODEL = "^[^/\\\\%\\x00-\\x1f\\x7f]{1,256}$";
    static final String PRINCIPAL_DESCRIPTION = "who asks; recorded in the events (default anonymous, at most 200 "
            + "characters)";
    static final String LIMIT_DESCRIPTION = "page size, 1 to 1000 (default 100)";
    static final String PAGE_TOKEN_DESCRIPTION = "the previous page's nextPageToken";
    static final String JSON = "application/json";
    static final String ANY_SCALAR = "a number, a string or a boolean";

    private ApiDocs() {
    }

    @Schema(name = "MonitoringPolicy", additionalProperties = AdditionalPropertiesValue.FALSE,
            description = "docs/monitor.md; the monitor's core checks the rules and lists every broken one")
    record Policy(@Schema(requiredMode = RequiredMode.REQUIRED) Window window,
                  @Schema(description = "share of drifted features at which the dataset drifted, in (0, 1]",
                          exclusiveMinimum = true, minimum = "0", maximum = "1") Double datasetDriftShare,
                  @Schema(description = "feature name → test and threshold") Map<String, Override> featureOverrides,
                  @Schema(description = "ISO-8601 duration between retrain requests", example = "PT1H")
                  String retrainCooldown,
                  Degradation degradation,
                  List<Webhook> webhooks) {
    }

    @Schema(name = "MonitoringWindow", additionalProperties = AdditionalPropertiesValue.FALSE,
            description = "exactly one of rows and duration")
    record Window(@Schema(minimum = "10") Long rows,
                  @Schema(description = "ISO-8601 duration", example = "PT1H") String duration) {
    }

    @Schema(name = "MonitoringFeatureOverride", additionalProperties = AdditionalPropertiesValue.FALSE)
    record Override(@Schema(allowableValues = {"KS", "PSI", "WASSERSTEIN", "JENSEN_SHANNON", "CHI_SQUARE", "Z_TEST"})
                    String method,
                    @Schema(minimum = "0") Double threshold) {
    }

    @Schema(name = "MonitoringDegradation", additionalProperties = AdditionalPropertiesValue.FALSE)
    record Degradation(@Schema(requiredMode = RequiredMode.REQUIRED, example = "auc") String metric,
                       @Schema(requiredMode = RequiredMode.REQUIRED, allowableValues = {"GREATER", "SMALLER"})
                       String direction,
                       @Schema(minimum = "0") Double maxAbsoluteDrop,
                       @Schema(minimum = "0") Double maxRelativeDrop,
                       Boolean rollback) {
    }

    @Schema(name = "MonitoringWebhook", additionalProperties = AdditionalPropertiesValue.FALSE)
    record Webhook(@Schema(requiredMode = RequiredMode.REQUIRED, example = "https://hooks.example.com/drift")
                   String url,
                   @Schema(allowableValues = {"GENERIC", "SLACK"}) String format) {
    }

    @Schema(name = "PredictionBatch", additionalProperties = AdditionalPropertiesValue.FALSE)
    record Predictions(@Schema(requiredMode = RequiredMode.REQUIRED) @ArraySchema(minItems = 1, maxItems = 10000)
                       List<Prediction> predictions) {
    }

    @Schema(name = "Prediction", additionalProperties = AdditionalPropertiesValue.FALSE)
    record Prediction(@Schema(description = "if given, the model of the path") String modelName,
                      @Schema(requiredMode = RequiredMode.REQUIRED, minimum = "1") Integer modelVersion,
                      @Schema(requiredMode = RequiredMode.REQUIRED, description = "RFC 3339 with an offset, or epoch "
                              + "milliseconds", example = "2030-05-06T07:08:09.123Z") String timestamp,
                      @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1, maxLength = 200) String requestId,
                      @Schema(requiredMode = RequiredMode.REQUIRED, description = "feature name → "
                              + ANY_SCALAR + " or null (missing)",
                              additionalProperties = AdditionalPropertiesValue.TRUE) Map<String, Object> features,
                      @Schema(requiredMode = RequiredMode.REQUIRED, ref = "#/components/schemas/AnyValue")
                      Object prediction) {
    }

    @Schema(name = "LabelBatch", additionalProperties = AdditionalPropertiesValue.FALSE)
    record Labels(@Schema(requiredMode = RequiredMode.REQUIRED) @ArraySchema(minItems = 1, maxItems = 10000)
                  List<Label> labels) {
    }

    @Schema(name = "Label", additionalProperties = AdditionalPropertiesValue.FALSE)
    record Label(@Schema(description = "if given, the model of the path") String modelName,
                 @Schema(requiredMode = RequiredMode.REQUIRED, minLength = 1, maxLength = 200) String requestId,
                 @Schema(requiredMode = RequiredMode.REQUIRED, description = "RFC 3339 with an offset, or epoch "
                         + "milliseconds") String timestamp,
                 @Schema(requiredMode = RequiredMode.REQUIRED, ref = "#/components/schemas/AnyValue") Object label) {
    }
}
