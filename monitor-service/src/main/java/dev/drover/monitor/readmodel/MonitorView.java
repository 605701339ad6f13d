package dev.drover.monitor.readmodel;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * A monitored model as the read model holds it: what {@code GET /api/v1/monitors/{model}} answers.
 *
 * @param policy             the policy in force, defaults filled in, in the shape {@code PUT} takes
 * @param configuredAt       when the model was first configured
 * @param updatedAt          when the policy last changed
 * @param latestReportId     the newest drift report, or null before the first window
 * @param badRecordCount     records set aside by all windows so far
 * @param degradedVersions   versions whose performance fell below their baseline by more than the policy allows
 * @param rolledBackVersions versions a rollback of the champion was requested from
 */
@Serdeable
public record MonitorView(String model, Object policy, String configuredBy, Instant configuredAt, Instant updatedAt,
                          long reportCount, long driftedReportCount, String latestReportId, Instant latestWindowEnd,
                          long retrainRequestCount, String lastRetrainReportId, Instant lastRetrainAt,
                          long badRecordCount, List<Integer> degradedVersions, List<Integer> rolledBackVersions) {
}
