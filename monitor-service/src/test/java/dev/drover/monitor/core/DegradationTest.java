package dev.drover.monitor.core;

import dev.drover.monitor.core.MonitorCommand.RecordPerformance;
import dev.drover.monitor.core.MonitorEvent.AlertRaised;
import dev.drover.monitor.core.MonitorEvent.DegradationDetected;
import dev.drover.monitor.core.MonitorEvent.PerformanceRecorded;
import dev.drover.monitor.core.MonitorEvent.RollbackRequested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.drover.monitor.core.MonitorFixtures.MODEL;
import static dev.drover.monitor.core.MonitorFixtures.POLICY;
import static dev.drover.monitor.core.MonitorFixtures.configured;
import static dev.drover.monitor.core.MonitorFixtures.minutes;
import static dev.drover.monitor.core.MonitorFixtures.performance;
import static dev.drover.monitor.core.Scenario.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Performance against the registered baseline: degradation in the declared direction beyond the allowed drop, an
 * alert the first time a version degrades, and a rollback requested once per version.
 */
class DegradationTest {
    static final DegradationPolicy AUC_ALERT_ONLY = new DegradationPolicy("auc", MetricDirection.GREATER, 0.05, null,
            false);

    @Test
    void performance_within_the_allowed_drop_is_only_recorded() {
        given(configured()).when(performance("w-1", 3, 0.86, 0.90), minutes(10))
                .then(new PerformanceRecorded(MODEL, "w-1", 3, "auc", 0.86, 500, 0.90, minutes(10)));
    }

    @Test
    void better_than_the_baseline_is_no_degradation() {
        given(configured()).when(performance("w-1", 3, 0.99, 0.90), minutes(10)).only(PerformanceRecorded.class);
    }

    @Test
    void the_comparison_reads_as_a_sentence_either_way() {
        assertThat(PerformanceComparison.of(AUC_ALERT_ONLY, 3, 0.99, 0.90).reason()).isEqualTo("auc of version 3 "
                + "is 0.9900 against its baseline 0.9000 (greater is better): a drop of -0.09000 (-10.00 %), within "
                + "the policy");
        assertThat(PerformanceComparison.of(AUC_ALERT_ONLY, 3, 0.80, 0.90).degraded()).isTrue();
    }

    @Test
    void a_drop_of_exactly_the_limit_is_allowed() {
        // 0.75 - 0.70 is 0.05000000000000004 in doubles: exactly representable numbers keep the boundary clear
        MonitoringPolicy quarter = withDegradation(new DegradationPolicy("auc", MetricDirection.GREATER, 0.25, null,
                true));
        given(configured(quarter)).when(performance("w-1", 3, 0.5, 0.75), minutes(10))
                .only(PerformanceRecorded.class);
        assertThat(given(configured(quarter)).when(performance("w-1", 3, 0.49, 0.75), minutes(10)).types())
                .contains(DegradationDetected.class);
    }

    @Test
    void a_degraded_champion_is_rolled_back_and_the_webhooks_hear_of_it() {
        Scenario s = given(configured()).when(performance("w-1", 3, 0.80, 0.90), minutes(10));

        assertThat(s.types()).containsExactly(PerformanceRecorded.class, DegradationDetected.class,
                RollbackRequested.class, AlertRaised.class);
        DegradationDetected d = s.only(DegradationDetected.class);
        assertThat(d.drop()).isCloseTo(0.10, within(1e-12));
        assertThat(d.relativeDrop()).isCloseTo(0.10 / 0.90, within(1e-12));
        assertThat(d.direction()).isEqualTo(MetricDirection.GREATER);
        assertThat(d.reason()).isEqualTo("auc of version 3 fell 0.8000 from its baseline 0.9000 (greater is "
                + "better): a drop of 0.1000 (11.11 %), more than the allowed absolute drop of 0.05000");
        assertThat(s.only(RollbackRequested.class)).isEqualTo(new RollbackRequested(MODEL, 3, d.reason(),
                minutes(10)));
        AlertRaised alert = s.only(AlertRaised.class);
        assertThat(alert.kind()).isEqualTo(AlertKind.ROLLBACK);
        assertThat(alert.message()).contains("model churn degraded in window w-1 (500 labels)",
                "rollback from version 3 requested");
        assertThat(alert.webhooks()).isEqualTo(POLICY.webhooks());
        assertThat(s.stateAfter().rolledBackVersions()).containsExactly(3);
    }

    @Test
    void a_version_is_rolled_back_from_once() {
        RollbackRequested first = new RollbackRequested(MODEL, 3, "degraded", minutes(10));
        DegradationDetected degraded = new DegradationDetected(MODEL, "w-1", 3, "auc", MetricDirection.GREATER, 0.8,
                0.9, 0.1, 0.11, "degraded", minutes(10));

        Scenario s = given(configured(), degraded, first).when(performance("w-2", 3, 0.70, 0.90), minutes(20));

        assertThat(s.types()).containsExactly(PerformanceRecorded.class, DegradationDetected.class);
    }

    @Test
    void another_version_degrading_is_rolled_back_from_too() {
        RollbackRequested first = new RollbackRequested(MODEL, 3, "degraded", minutes(10));
        DegradationDetected degraded = new DegradationDetected(MODEL, "w-1", 3, "auc", MetricDirection.GREATER, 0.8,
                0.9, 0.1, 0.11, "degraded", minutes(10));

        assertThat(given(configured(), degraded, first).when(performance("w-2", 2, 0.70, 0.88), minutes(20))
                .only(RollbackRequested.class).fromVersion()).isEqualTo(2);
    }

    @Test
    void without_rollback_the_first_degradation_of_a_version_alerts_and_later_ones_do_not() {
        MonitoringPolicy alertOnly = withDegradation(AUC_ALERT_ONLY);

        Scenario first = given(configured(alertOnly)).when(performance("w-1", 3, 0.80, 0.90), minutes(10));
        assertThat(first.types()).containsExactly(PerformanceRecorded.class, DegradationDetected.class,
                AlertRaised.class);
        assertThat(first.only(AlertRaised.class).kind()).isEqualTo(AlertKind.DEGRADATION);

        DegradationDetected earlier = first.only(DegradationDetected.class);
        assertThat(given(configured(alertOnly), earlier).when(performance("w-2", 3, 0.70, 0.90), minutes(20))
                .types()).containsExactly(PerformanceRecorded.class, DegradationDetected.class);
    }

    @Test
    void smaller_is_better_degrades_upwards() {
        MonitoringPolicy rmse = withDegradation(new DegradationPolicy("rmse", MetricDirection.SMALLER, null, 0.10,
                false));
        RecordPerformance rising = new RecordPerformance("c", MODEL, "w-1", 3, "rmse", 12.5, 40, 10.0);
        RecordPerformance falling = new RecordPerformance("c", MODEL, "w-1", 3, "rmse", 8.0, 40, 10.0);

        DegradationDetected d = given(configured(rmse)).when(rising, minutes(10)).only(DegradationDetected.class);
        assertThat(d.drop()).isEqualTo(2.5);
        assertThat(d.relativeDrop()).isEqualTo(0.25);
        assertThat(d.reason()).contains("rmse of version 3 rose 12.50 from its baseline 10.00 (smaller is better)",
                "more than the allowed relative drop of 10.00 %");
        given(configured(rmse)).when(falling, minutes(10)).only(PerformanceRecorded.class);
    }

    @Test
    void with_both_limits_exceeding_either_is_degradation() {
        MonitoringPolicy both = withDegradation(new DegradationPolicy("auc", MetricDirection.GREATER, 0.5, 0.05,
                false));
        // a drop of 0.06 from 0.9 is 6.7 %: within the absolute limit, beyond the relative one
        assertThat(given(configured(both)).when(performance("w-1", 3, 0.84, 0.90), minutes(10))
                .only(DegradationDetected.class).reason()).endsWith("more than the allowed relative drop of 5.00 %");
    }

    @Test
    void from_a_baseline_of_zero_any_drop_exceeds_a_relative_limit() {
        MonitoringPolicy loss = withDegradation(new DegradationPolicy("loss", MetricDirection.SMALLER, null, 0.5,
                false));
        RecordPerformance c = new RecordPerformance("c", MODEL, "w-1", 3, "loss", 0.001, 40, 0.0);

        DegradationDetected d = given(configured(loss)).when(c, minutes(10)).only(DegradationDetected.class);

        assertThat(d.relativeDrop()).isNull();
        given(configured(loss)).when(new RecordPerformance("c", MODEL, "w-1", 3, "loss", 0.0, 40, 0.0), minutes(10))
                .only(PerformanceRecorded.class);
    }

    @Test
    void without_a_degradation_policy_performance_is_refused() {
        given(configured(withDegradation(null))).when(performance("w-1", 3, 0.8, 0.9), minutes(10))
                .thenRejected(RejectionCode.NO_DEGRADATION_POLICY, "configure one");
    }

    @Test
    void performance_on_another_metric_is_refused() {
        given(configured()).when(new RecordPerformance("c", MODEL, "w-1", 3, "f1", 0.5, 10, 0.9), minutes(10))
                .thenRejected(RejectionCode.METRIC_MISMATCH, "watches 'auc', not 'f1'");
    }

    @Test
    void resent_performance_is_refused() {
        given(configured(), new PerformanceRecorded(MODEL, "w-1", 3, "auc", 0.88, 500, 0.9, minutes(10)))
                .when(performance("w-1", 3, 0.88, 0.9), minutes(11))
                .thenRejected(RejectionCode.DUPLICATE_WINDOW, "window w-1 is already recorded");
    }

    @Test
    void invalid_performance_is_refused_with_every_problem() {
        String message = given(configured()).when(new RecordPerformance("c", MODEL, " ", 0, null, Double.NaN, 0,
                Double.POSITIVE_INFINITY), minutes(10)).rejection().message();

        assertThat(message).contains("no window id", "version 0 is not a model version", "names no metric: give "
                + "'auc'", "observed value NaN", "baseline Infinity", "labelCount 0");
    }

    private static MonitoringPolicy withDegradation(DegradationPolicy degradation) {
        return new MonitoringPolicy(POLICY.window(), 0.5, Map.of(), Duration.ofHours(1), degradation,
                POLICY.webhooks());
    }
}
