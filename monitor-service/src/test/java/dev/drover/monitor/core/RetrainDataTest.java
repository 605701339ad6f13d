package dev.drover.monitor.core;

import dev.drover.monitor.core.MonitorCommand.RecordPerformance;
import dev.drover.monitor.core.MonitorCommand.RecordWindow;
import dev.drover.monitor.core.MonitorEvent.AlertRaised;
import dev.drover.monitor.core.MonitorEvent.DriftReportRecorded;
import dev.drover.monitor.core.MonitorEvent.PerformanceRecorded;
import dev.drover.monitor.core.MonitorEvent.RetrainAwaitingLabels;
import dev.drover.monitor.core.MonitorEvent.RetrainRequested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.drover.monitor.core.MonitorFixtures.AUC_ROLLBACK;
import static dev.drover.monitor.core.MonitorFixtures.FEATURES;
import static dev.drover.monitor.core.MonitorFixtures.MODEL;
import static dev.drover.monitor.core.MonitorFixtures.POLICY;
import static dev.drover.monitor.core.MonitorFixtures.configure;
import static dev.drover.monitor.core.MonitorFixtures.configured;
import static dev.drover.monitor.core.MonitorFixtures.minutes;
import static dev.drover.monitor.core.MonitorFixtures.results;
import static dev.drover.monitor.core.Scenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production data a retrain request passes on: the drifted windows' rows, and the labelled rows split by time
 * into training and a newest evaluation share; and a retrain that waits until enough labelled rows are kept.
 */
class RetrainDataTest {
    static final String DATA = "/data/churn";

    static MonitoringPolicy waitingFor(long labels) {
        return new MonitoringPolicy(POLICY.window(), 0.5, Map.of(), Duration.ofHours(1), AUC_ROLLBACK, List.of(),
                labels);
    }

    static ClosedWindow keptWindow(int n) {
        return new ClosedWindow("w-" + n, minutes(10L * (n - 1)), minutes(10L * n), 1000, 3, FEATURES,
                DATA + "/windows/w-" + n + ".csv", "/models/churn-3.json");
    }

    static RecordWindow drifted(int n) {
        return new RecordWindow("cmd-w" + n, MODEL, keptWindow(n), results(1, 1), Map.of());
    }

    static DriftReportRecorded driftedReport(int n) {
        return new DriftReportRecorded(MODEL, MODEL + "/w-" + n, keptWindow(n), results(1, 1), Map.of(), 1.0, 0.5,
                true, minutes(10L * n));
    }

    static RecordPerformance labeled(String id, long labels) {
        return new RecordPerformance("cmd-" + id, MODEL, id, 3, "auc", 0.8, labels, 0.8, DATA + "/labeled/" + id
                + ".csv", Map.of("w-1", labels));
    }

    static PerformanceRecorded labeledRecorded(String id, long labels, long minute) {
        return new PerformanceRecorded(MODEL, id, 3, "auc", 0.8, labels, 0.8, minutes(minute), DATA + "/labeled/" + id
                + ".csv", Map.of("w-1", labels));
    }

    @Test
    void a_request_passes_the_drifted_windows_and_the_labelled_rows_split_newest_for_evaluation() {
        RetrainRequested request = given(configured(waitingFor(0)), labeledRecorded("p-1", 500, 1),
                labeledRecorded("p-2", 500, 2), labeledRecorded("p-3", 500, 3))
                .when(drifted(1), minutes(10)).only(RetrainRequested.class);

        assertThat(request.windowData()).containsExactly(DATA + "/windows/w-1.csv");
        assertThat(request.trainingData()).containsExactly(DATA + "/labeled/p-1.csv", DATA + "/labeled/p-2.csv");
        assertThat(request.evaluationData()).as("the newest third, never trained on")
                .containsExactly(DATA + "/labeled/p-3.csv");
        assertThat(request.championArtifact()).isEqualTo("/models/churn-3.json");
        assertThat(request.championVersion()).isEqualTo(3);
    }

    @Test
    void the_evaluation_share_takes_as_many_of_the_newest_as_it_needs() {
        RetrainRequested request = given(configured(waitingFor(0)), labeledRecorded("p-1", 900, 1),
                labeledRecorded("p-2", 50, 2), labeledRecorded("p-3", 50, 3))
                .when(drifted(1), minutes(10)).only(RetrainRequested.class);

        assertThat(request.evaluationData()).containsExactly(DATA + "/labeled/p-1.csv", DATA + "/labeled/p-2.csv",
                DATA + "/labeled/p-3.csv").as("30 % of 1,000 rows reaches into the oldest");
        assertThat(request.trainingData()).isEmpty();
    }

    @Test
    void a_retrain_waits_for_labels_and_is_requested_by_the_performance_that_brings_enough() {
        Scenario first = given(configured(waitingFor(1000)), labeledRecorded("p-0", 200, 1))
                .when(drifted(1), minutes(10));
        assertThat(first.types()).containsExactly(DriftReportRecorded.class, RetrainAwaitingLabels.class,
                AlertRaised.class);
        RetrainAwaitingLabels awaiting = first.only(RetrainAwaitingLabels.class);
        assertThat(awaiting.labeledRows()).isEqualTo(200);
        assertThat(awaiting.needed()).isEqualTo(1000);
        assertThat(first.only(AlertRaised.class).message()).contains("retraining waits for 1000 labelled "
                + "production rows (200 kept so far, report churn/w-1)");
        assertThat(first.stateAfter().pendingRetrain()).isPresent();

        // a second drifted window while waiting: reported, its rows added, no second request
        List<MonitorEvent> history = new java.util.ArrayList<>(given(configured(waitingFor(1000)),
                labeledRecorded("p-0", 200, 1)).when(drifted(1), minutes(10)).events());
        history.add(0, configured(waitingFor(1000)));
        history.add(1, labeledRecorded("p-0", 200, 1));
        assertThat(given(history).when(drifted(2), minutes(20)).types()).containsExactly(DriftReportRecorded.class);
        history.add(driftedReport(2));

        assertThat(given(history).when(labeled("p-1", 500), minutes(25)).types())
                .as("700 of 1,000").containsExactly(PerformanceRecorded.class);
        history.add(labeledRecorded("p-1", 500, 25));

        Scenario enough = given(history).when(labeled("p-2", 400), minutes(30));
        assertThat(enough.types()).containsExactly(PerformanceRecorded.class, RetrainRequested.class,
                AlertRaised.class);
        RetrainRequested request = enough.only(RetrainRequested.class);
        assertThat(request.reportId()).as("the report that waited").isEqualTo(MODEL + "/w-1");
        assertThat(request.at()).as("the cooldown starts now").isEqualTo(minutes(30));
        assertThat(request.windowData()).containsExactly(DATA + "/windows/w-1.csv", DATA + "/windows/w-2.csv");
        assertThat(request.trainingData()).containsExactly(DATA + "/labeled/p-0.csv", DATA + "/labeled/p-1.csv");
        assertThat(request.evaluationData()).containsExactly(DATA + "/labeled/p-2.csv");

        MonitoredModelState after = enough.stateAfter();
        assertThat(after.pendingRetrain()).isEmpty();
        assertThat(after.labeledRows()).as("the next request passes only what is kept after this one").isZero();
        assertThat(after.driftedWindowData()).isEmpty();
    }

    @Test
    void a_declined_retrain_alerts_with_the_reason_and_when_drift_may_ask_again() {
        List<MonitorEvent> history = List.of(configured(waitingFor(0)), driftedReport(1),
                new RetrainRequested(MODEL, MODEL + "/w-1", "drift", 3, FEATURES, minutes(10)));
        Scenario declined = given(history).when(new MonitorCommand.RecordRetrainDeclined("run-declined/e-1", MODEL,
                MODEL + "/w-1", "churn-training", "churn-training.drift-1", "version 4 is not better on auc"),
                minutes(20));
        MonitorEvent.RetrainDeclined d = declined.only(MonitorEvent.RetrainDeclined.class);
        assertThat(d.nextRetrainAt()).as("the cooldown's end").isEqualTo(minutes(70));
        AlertRaised alert = declined.only(AlertRaised.class);
        assertThat(alert.kind()).isEqualTo(AlertKind.RETRAIN_DECLINED);
        assertThat(alert.message()).contains("churn-training.drift-1", "version 4 is not better on auc",
                "another retrain from " + minutes(70));
        assertThat(declined.stateAfter().declinedRuns()).containsExactly("churn-training.drift-1");

        List<MonitorEvent> after = new java.util.ArrayList<>(history);
        after.addAll(declined.events());
        given(after).when(new MonitorCommand.RecordRetrainDeclined("run-declined/e-2", MODEL, MODEL + "/w-1",
                "churn-training", "churn-training.drift-1", "again"), minutes(21))
                .thenRejected(RejectionCode.UNCHANGED, "already recorded as declined");
        given(history).when(new MonitorCommand.RecordRetrainDeclined("run-declined/e-3", MODEL, MODEL + "/w-9",
                "churn-training", "churn-training.drift-9", "x"), minutes(21))
                .thenRejected(RejectionCode.REPORT_NOT_FOUND, "requested no retrain");
    }

    @Test
    void waiting_for_labels_needs_a_degradation_policy_that_scores_them() {
        MonitoringPolicy noDegradation = new MonitoringPolicy(POLICY.window(), 0.5, Map.of(), Duration.ofHours(1),
                null, List.of(), 500L);
        given().when(configure(noDegradation), minutes(1)).thenRejected(RejectionCode.INVALID_ARGUMENT,
                "retrainMinLabeledRows 500 needs a degradation policy");
        given().when(configure(waitingFor(-1)), minutes(1)).thenRejected(RejectionCode.INVALID_ARGUMENT,
                "retrainMinLabeledRows -1 is negative");
    }
}
