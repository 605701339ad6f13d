package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.PipelineRegistered;
import dev.drover.scheduler.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.USER;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.register;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.requestRun;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.succeeded;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Registering pipeline specs: revisions, and runs that keep the revision they started with. */
class RegisterPipelineTest {
    static final PipelineSpec V1 = pipeline(task("a"), task("b", "a"));
    static final PipelineSpec V2 = pipeline(task("a"), task("c", "a"));

    @Test
    void a_new_pipeline_becomes_revision_1() {
        given()
                .when(register(V1, "hash-1"), T0)
                .then(new PipelineRegistered(PIPELINE, 1, V1, "hash-1", USER, T0));
    }

    @Test
    void the_same_spec_hash_again_changes_nothing() {
        given(registered(V1))
                .when(register(V1, "hash-1"), seconds(5))
                .thenRejected(RejectionCode.UNCHANGED);
    }

    @Test
    void a_changed_spec_becomes_the_next_revision() {
        given(registered(V1))
                .when(register(V2, "hash-2"), seconds(5))
                .then(new PipelineRegistered(PIPELINE, 2, V2, "hash-2", USER, seconds(5)));
    }

    @Test
    void going_back_to_an_older_spec_is_a_new_revision_too() {
        given(registered(V1, 1), registered(V2, 2))
                .when(register(V1, "hash-1"), seconds(5))
                .then(new PipelineRegistered(PIPELINE, 3, V1, "hash-1", USER, seconds(5)));
    }

    @Test
    void a_new_run_uses_the_latest_revision() {
        given(registered(V1, 1), registered(V2, 2))
                .when(requestRun(), seconds(5))
                .then(runStarted(RUN, 2, java.util.Map.of(), seconds(5)), dispatched(RUN, "a", 1, seconds(5)));
    }

    @Test
    void a_run_keeps_the_revision_it_started_with_after_a_new_one_is_registered() {
        // revision 2 replaced b by c; the run started on revision 1 still goes on to b
        given(registered(V1, 1), runStarted(RUN), dispatched(RUN, "a", 1, T0), started(RUN, "a", 1, EXECUTOR, T0),
                registered(V2, 2))
                .when(reportSucceeded(RUN, "a", 1, EXECUTOR), seconds(10))
                .then(succeeded(RUN, "a", 1, seconds(10)), dispatched(RUN, "b", 1, seconds(10)));
    }

    @Test
    void the_run_state_still_holds_the_tasks_of_its_revision() {
        SchedulerState state = given(registered(V1, 1), runStarted(RUN))
                .when(register(V2, "hash-2"), seconds(5))
                .stateAfter();

        assertThat(state.activeRun(RUN).orElseThrow().revision()).isEqualTo(1);
        assertThat(state.activeRun(RUN).orElseThrow().tasks()).containsOnlyKeys("a", "b");
        assertThat(state.pipelineState(PIPELINE).orElseThrow().latest().revision()).isEqualTo(2);
    }
}
