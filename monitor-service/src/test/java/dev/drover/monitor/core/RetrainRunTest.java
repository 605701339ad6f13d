package dev.drover.monitor.core;

import dev.drover.monitor.core.MonitorCommand.RecordRetrainRun;
import dev.drover.monitor.core.MonitorCommand.RecordRunFailed;
import dev.drover.monitor.core.MonitorEvent.AlertRaised;
import dev.drover.monitor.core.MonitorEvent.RetrainRunLinked;
import dev.drover.monitor.core.MonitorEvent.RetrainSuppressed;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.drover.monitor.core.MonitorFixtures.MODEL;
import static dev.drover.monitor.core.MonitorFixtures.POLICY;
import static dev.drover.monitor.core.MonitorFixtures.configured;
import static dev.drover.monitor.core.MonitorFixtures.minutes;
import static dev.drover.monitor.core.MonitorFixtures.report;
import static dev.drover.monitor.core.MonitorFixtures.results;
import static dev.drover.monitor.core.MonitorFixtures.retrainRequested;
import static dev.drover.monitor.core.Scenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The history of triggers and their runs, and the alert of a failed run. */
class RetrainRunTest {
    static final List<MonitorEvent> REQUESTED = List.of(configured(), report(1, results(2, 2), minutes(10)),
            retrainRequested(1, minutes(10)));

    @Test
    void a_run_started_by_a_retrain_request_is_linked_to_its_report() {
        MonitoredModelState state = given(REQUESTED)
                .when(new RecordRetrainRun("c", MODEL, "churn/w-1", "retrain", "retrain.7"), minutes(11))
                .then(new RetrainRunLinked(MODEL, "churn/w-1", "retrain", "retrain.7", minutes(11))).stateAfter();

        assertThat(state.retrainRuns()).isEqualTo(Map.of("churn/w-1", List.of(new RetrainRun("retrain",
                "retrain.7"))));
        assertThat(state.reportOfRun("retrain", "retrain.7")).contains("churn/w-1");
    }

    @Test
    void every_pipeline_a_request_started_is_linked() {
        List<MonitorEvent> oneLinked = new java.util.ArrayList<>(REQUESTED);
        oneLinked.add(new RetrainRunLinked(MODEL, "churn/w-1", "retrain", "retrain.7", minutes(11)));

        MonitoredModelState state = given(oneLinked)
                .when(new RecordRetrainRun("c", MODEL, "churn/w-1", "retrain-xgb", "retrain-xgb.2"), minutes(11))
                .then(new RetrainRunLinked(MODEL, "churn/w-1", "retrain-xgb", "retrain-xgb.2", minutes(11)))
                .stateAfter();

        assertThat(state.retrainRuns().get("churn/w-1")).containsExactly(new RetrainRun("retrain", "retrain.7"),
                new RetrainRun("retrain-xgb", "retrain-xgb.2"));
    }

    @Test
    void linking_a_run_twice_changes_nothing() {
        List<MonitorEvent> linked = new java.util.ArrayList<>(REQUESTED);
        linked.add(new RetrainRunLinked(MODEL, "churn/w-1", "retrain", "retrain.7", minutes(11)));

        given(linked).when(new RecordRetrainRun("c", MODEL, "churn/w-1", "retrain", "retrain.7"), minutes(12))
                .thenRejected(RejectionCode.UNCHANGED, "already linked");
    }

    @Test
    void a_report_that_requested_no_retrain_cannot_start_runs() {
        given(configured(), report(1, results(2, 2), minutes(10)), retrainRequested(1, minutes(10)),
                report(2, results(2, 2), minutes(20)), new RetrainSuppressed(MODEL, "churn/w-2", "churn/w-1",
                        minutes(70), minutes(20)))
                .when(new RecordRetrainRun("c", MODEL, "churn/w-2", "retrain", "retrain.8"), minutes(21))
                .thenRejected(RejectionCode.REPORT_NOT_FOUND, "report churn/w-2 of model 'churn' requested no "
                        + "retrain");
    }

    @Test
    void a_run_link_needs_its_ids() {
        given(REQUESTED).when(new RecordRetrainRun("c", MODEL, null, "", null), minutes(11))
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "names no report", "pipeline id and run id");
    }

    @Test
    void a_failed_retrain_run_alerts_with_the_report_that_started_it() {
        List<MonitorEvent> linked = new java.util.ArrayList<>(REQUESTED);
        linked.add(new RetrainRunLinked(MODEL, "churn/w-1", "retrain", "retrain.7", minutes(11)));

        given(linked).when(new RecordRunFailed("c", MODEL, "retrain", "retrain.7", "task train failed: exit 2"),
                minutes(30)).then(new AlertRaised(MODEL, AlertKind.RUN_FAILED, "run retrain.7 of pipeline retrain "
                + "failed, started by the retrain request of report churn/w-1: task train failed: exit 2",
                POLICY.webhooks(), minutes(30)));
    }

    @Test
    void any_failed_run_of_the_model_alerts() {
        AlertRaised alert = given(configured()).when(new RecordRunFailed("c", MODEL, "nightly", "nightly.3", null),
                minutes(30)).only(AlertRaised.class);

        assertThat(alert.message()).isEqualTo("run nightly.3 of pipeline nightly failed");
        given(configured()).when(new RecordRunFailed("c", MODEL, "nightly", " ", null), minutes(30))
                .thenRejected(RejectionCode.INVALID_ARGUMENT, "pipeline id and run id");
    }
}
