package dev.drover.monitor.core;

import dev.drover.monitor.core.MonitorCommand.RecordWindow;
import dev.drover.monitor.core.MonitorEvent.AlertRaised;
import dev.drover.monitor.core.MonitorEvent.DriftReportRecorded;
import dev.drover.monitor.core.MonitorEvent.RetrainRequested;
import dev.drover.monitor.core.MonitorEvent.RetrainSuppressed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.drover.monitor.core.MonitorFixtures.FEATURES;
import static dev.drover.monitor.core.MonitorFixtures.MODEL;
import static dev.drover.monitor.core.MonitorFixtures.POLICY;
import static dev.drover.monitor.core.MonitorFixtures.configured;
import static dev.drover.monitor.core.MonitorFixtures.drifted;
import static dev.drover.monitor.core.MonitorFixtures.minutes;
import static dev.drover.monitor.core.MonitorFixtures.recordWindow;
import static dev.drover.monitor.core.MonitorFixtures.report;
import static dev.drover.monitor.core.MonitorFixtures.results;
import static dev.drover.monitor.core.MonitorFixtures.retrainRequested;
import static dev.drover.monitor.core.MonitorFixtures.steady;
import static dev.drover.monitor.core.MonitorFixtures.window;
import static dev.drover.monitor.core.Scenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Drift reports: the dataset verdict, the retrain request, and the cooldown that stops a burst of requests. */
class DriftReportTest {

    @Test
    void a_window_without_enough_drift_is_only_reported() {
        List<FeatureResult> r = results(1, 3);

        given(configured()).when(recordWindow(1, r), minutes(10)).then(report(1, r, minutes(10)));
    }

    @Test
    void the_dataset_drifts_when_the_share_of_drifted_features_reaches_the_threshold() {
        List<FeatureResult> half = results(1, 2);

        DriftReportRecorded report = given(configured()).when(recordWindow(1, half), minutes(10))
                .only(DriftReportRecorded.class);

        assertThat(report.driftedShare()).isEqualTo(0.5);
        assertThat(report.threshold()).isEqualTo(0.5);
        assertThat(report.datasetDrifted()).isTrue();
    }

    @Test
    void the_share_is_compared_with_the_configured_threshold() {
        MonitoringPolicy lowShare = new MonitoringPolicy(POLICY.window(), 0.3, Map.of(), Duration.ofHours(1), null,
                List.of());
        given(configured(lowShare)).when(recordWindow(1, results(3, 10)), minutes(10))
                .only(RetrainRequested.class);
        assertThat(given(configured(lowShare)).when(recordWindow(1, results(2, 10)), minutes(10))
                .only(DriftReportRecorded.class).datasetDrifted()).isFalse();
    }

    @Test
    void a_drifted_dataset_requests_a_retrain_and_alerts_the_webhooks() {
        List<FeatureResult> r = List.of(drifted("age"), new FeatureResult("plan", "CHI_SQUARE", 31.2, 0.0001, 0.05,
                true), steady("tenure"));

        Scenario s = given(configured()).when(recordWindow(1, r), minutes(10));

        assertThat(s.types()).containsExactly(DriftReportRecorded.class, RetrainRequested.class, AlertRaised.class);
        RetrainRequested request = s.only(RetrainRequested.class);
        assertThat(request.reportId()).isEqualTo("churn/w-1");
        assertThat(request.championVersion()).isEqualTo(3);
        assertThat(request.featureSet()).isEqualTo(FEATURES);
        assertThat(request.at()).isEqualTo(minutes(10));
        assertThat(request.reason()).isEqualTo("2 of 3 features drifted in window w-1 against churn-features v2 "
                + "(66.67 %, dataset threshold 50.00 %): age (WASSERSTEIN 0.3100 > 0.1000), "
                + "plan (CHI_SQUARE p=0.0001000 < 0.05000)");
        AlertRaised alert = s.only(AlertRaised.class);
        assertThat(alert.kind()).isEqualTo(AlertKind.DRIFT);
        assertThat(alert.message()).contains("model churn drifted", "retraining requested (report churn/w-1)");
        assertThat(alert.webhooks()).isEqualTo(POLICY.webhooks());
        assertThat(s.stateAfter().lastRetrainRequestedAt()).contains(minutes(10));
    }

    @Test
    void within_the_cooldown_a_drifted_dataset_is_suppressed() {
        List<FeatureResult> r = results(2, 2);

        given(configured(), report(1, r, minutes(10)), retrainRequested(1, minutes(10)))
                .when(recordWindow(2, r), minutes(69))
                .then(report(2, r, minutes(69)), new RetrainSuppressed(MODEL, "churn/w-2", "churn/w-1", minutes(70),
                        minutes(69)));
    }

    @Test
    void once_the_cooldown_is_over_a_drifted_dataset_requests_again() {
        List<FeatureResult> r = results(2, 2);

        RetrainRequested again = given(configured(), report(1, r, minutes(10)), retrainRequested(1, minutes(10)))
                .when(recordWindow(7, r), minutes(70)).only(RetrainRequested.class);

        assertThat(again.reportId()).isEqualTo("churn/w-7");
    }

    @Test
    void a_burst_of_drifted_windows_requests_one_retrain() {
        MonitoredModelState state = new MonitoredModelState(MODEL);
        state.apply(configured());
        MonitorDecider decider = new MonitorDecider();
        List<MonitorEvent> log = new ArrayList<>();
        for (int n = 1; n <= 12; n++) { // a drifted window every 5 minutes for an hour
            for (MonitorEvent e : decider.decide(state, recordWindow(n, results(2, 3)), minutes(5L * n)).events()) {
                state.apply(e);
                log.add(e);
            }
        }

        assertThat(log).filteredOn(RetrainRequested.class::isInstance).hasSize(1);
        assertThat(log).filteredOn(RetrainSuppressed.class::isInstance).hasSize(11);
        assertThat(log).filteredOn(AlertRaised.class::isInstance).hasSize(1);
        assertThat(state.reportCount()).isEqualTo(12);
        assertThat(state.driftedReportCount()).isEqualTo(12);
    }

    @Test
    void without_a_cooldown_every_drifted_window_requests() {
        MonitoringPolicy noCooldown = new MonitoringPolicy(POLICY.window(), 0.5, Map.of(), Duration.ZERO, null,
                List.of());
        List<FeatureResult> r = results(1, 1);

        given(configured(noCooldown), report(1, r, minutes(10)), retrainRequested(1, minutes(10)))
                .when(recordWindow(2, r), minutes(10)).only(RetrainRequested.class);
    }

    @Test
    void bad_record_counts_are_kept_in_the_report() {
        RecordWindow c = new RecordWindow("c", MODEL, window(1), results(0, 2), Map.of("missing_feature", 4L,
                "not_finite", 1L));

        assertThat(given(configured()).when(c, minutes(10)).only(DriftReportRecorded.class).badRecords())
                .containsExactly(Map.entry("missing_feature", 4L), Map.entry("not_finite", 1L));
    }

    @Test
    void a_resent_window_is_refused_as_a_duplicate() {
        List<FeatureResult> r = results(0, 2);

        given(configured(), report(1, r, minutes(10))).when(recordWindow(1, r), minutes(11))
                .thenRejected(RejectionCode.DUPLICATE_WINDOW, "window w-1 is already recorded as report churn/w-1");
    }

    @Test
    void a_window_ending_before_the_latest_is_stale() {
        List<FeatureResult> r = results(0, 2);

        given(configured(), report(3, r, minutes(30))).when(recordWindow(2, r), minutes(31))
                .thenRejected(RejectionCode.STALE_WINDOW, "window w-2 ends at 2030-01-01T00:20:00Z",
                        "before the latest recorded window w-3");
    }

    @Test
    void a_window_ending_when_the_latest_did_is_recorded() {
        List<FeatureResult> r = results(0, 2);
        RecordWindow sameEnd = new RecordWindow("c", MODEL, new ClosedWindow("w-1b", minutes(5), minutes(10), 1000,
                3, FEATURES), r, Map.of());

        given(configured(), report(1, r, minutes(10))).when(sameEnd, minutes(11)).only(DriftReportRecorded.class);
    }

    @Test
    void every_problem_of_a_window_is_listed_at_once() {
        List<FeatureResult> r = new ArrayList<>(List.of(
                new FeatureResult("age", "ks", 0.1, 0.5, 0.05, false),
                new FeatureResult("age", "KS", Double.NaN, 1.5, Double.POSITIVE_INFINITY, false),
                new FeatureResult(" ", "PSI", 0.1, null, 0.2, false)));
        r.add(null);
        RecordWindow c = new RecordWindow("c", MODEL, new ClosedWindow("a/b", minutes(10), minutes(5), -1, 0,
                null), r, Map.of("missing_feature", -2L));

        String message = given(configured()).when(c, minutes(10)).rejection().message();

        assertThat(message).contains("window id 'a/b' contains '/'", "ends (2030-01-01T00:05:00Z) before it starts",
                "rowCount -1 is negative", "championVersion 0 is not a model version",
                "needs the feature set it was compared with", "unknown drift method 'ks'",
                "feature 'age' has two results", "feature 'age' has a NaN statistic",
                "feature 'age' has p-value 1.5", "feature 'age' has threshold Infinity",
                "a feature result has no feature name", "a feature result is null",
                "bad-record count 'missing_feature' is -2");
    }

    @Test
    void a_window_without_results_or_window_is_refused() {
        given(configured()).when(new RecordWindow("c", MODEL, window(1), List.of(), null), minutes(10))
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "the window has no feature results");
        given(configured()).when(new RecordWindow("c", MODEL, null, results(1, 1), null), minutes(10))
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "the window is missing");
    }

    @Test
    void an_infinite_distance_is_a_valid_result() {
        List<FeatureResult> r = List.of(new FeatureResult("constant", "WASSERSTEIN", Double.POSITIVE_INFINITY, null,
                0.1, true));

        given(configured()).when(recordWindow(1, r), minutes(10)).only(RetrainRequested.class);
    }
}
