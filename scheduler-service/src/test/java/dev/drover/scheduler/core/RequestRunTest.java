package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.ParameterType;
import dev.drover.scheduler.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.map;
import static dev.drover.scheduler.core.SchedulerFixtures.optional;
import static dev.drover.scheduler.core.SchedulerFixtures.parameters;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.required;
import static dev.drover.scheduler.core.SchedulerFixtures.requestRun;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.runSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Requesting a run: which pipeline, which parameters, which run id. */
class RequestRunTest {
    static final PipelineSpec ONE_TASK = pipeline(task("a"));
    static final PipelineSpec WITH_PARAMS = pipeline(parameters(
                    "dataset", required(ParameterType.STRING),
                    "epochs", optional(ParameterType.INTEGER, 10L),
                    "dry_run", optional(ParameterType.BOOLEAN, false)),
            task("a"));

    @Test
    void an_unknown_pipeline_cannot_run() {
        given()
                .when(requestRun(), T0)
                .thenRejected(RejectionCode.UNKNOWN_PIPELINE);
    }

    @Test
    void a_missing_required_parameter_is_rejected() {
        given(registered(WITH_PARAMS))
                .when(requestRun(null, map("epochs", 3L)), T0)
                .thenRejected(RejectionCode.INVALID_PARAMETERS);
    }

    @Test
    void a_parameter_of_the_wrong_type_is_rejected() {
        given(registered(WITH_PARAMS))
                .when(requestRun(null, map("dataset", "s3://d", "epochs", "many")), T0)
                .thenRejected(RejectionCode.INVALID_PARAMETERS);
    }

    @Test
    void an_undeclared_parameter_is_rejected() {
        given(registered(WITH_PARAMS))
                .when(requestRun(null, map("dataset", "s3://d", "epohcs", 3L)), T0)
                .thenRejected(RejectionCode.INVALID_PARAMETERS);
    }

    @Test
    void the_rejection_names_every_offending_parameter() {
        String message = given(registered(WITH_PARAMS))
                .when(requestRun(null, map("epochs", "many", "epohcs", 3L)), T0)
                .rejection().message();

        assertThat(message).contains("dataset").contains("epochs").contains("epohcs");
    }

    @Test
    void defaults_complete_the_parameters_and_values_are_coerced_to_their_type() {
        given(registered(WITH_PARAMS))
                .when(requestRun(null, map("dataset", "s3://d", "epochs", "3")), T0)
                .then(runStarted(RUN, 1, map("dataset", "s3://d", "epochs", 3L, "dry_run", false), T0),
                        dispatched(RUN, "a", 1, T0));
    }

    @Test
    void the_first_run_is_numbered_1() {
        given(registered(ONE_TASK))
                .when(requestRun(), T0)
                .then(runStarted(RUN), dispatched(RUN, "a", 1, T0));
    }

    @Test
    void runs_are_numbered_on_from_every_run_ever_started() {
        given(registered(ONE_TASK), runStarted("train.1"), runSucceeded("train.1", T0), runStarted("train.2"))
                .when(requestRun(), seconds(5))
                .then(runStarted("train.3", 1, Map.of(), seconds(5)), dispatched("train.3", "a", 1, seconds(5)));
    }

    @Test
    void a_numbered_run_skips_ids_taken_by_explicit_run_ids() {
        given(registered(ONE_TASK), runStarted("train.2"))
                .when(requestRun(), seconds(5))
                .then(runStarted("train.3", 1, Map.of(), seconds(5)), dispatched("train.3", "a", 1, seconds(5)));
    }

    @Test
    void an_explicit_run_id_is_used_as_given() {
        given(registered(ONE_TASK))
                .when(requestRun("train.nightly-2030-01-01"), T0)
                .then(runStarted("train.nightly-2030-01-01"), dispatched("train.nightly-2030-01-01", "a", 1, T0));
    }

    @Test
    void an_active_run_id_cannot_be_used_again() {
        given(registered(ONE_TASK), runStarted(RUN))
                .when(requestRun(RUN), seconds(5))
                .thenRejected(RejectionCode.RUN_EXISTS);
    }

    @Test
    void a_finished_run_id_is_never_reused() {
        given(registered(ONE_TASK), runStarted(RUN), runSucceeded(RUN, seconds(1)))
                .when(requestRun(RUN), seconds(5))
                .thenRejected(RejectionCode.RUN_EXISTS);
    }
}
