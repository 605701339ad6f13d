package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.drover.scheduler.core.LimitFixtures.limited;
import static dev.drover.scheduler.core.LimitFixtures.priority;
import static dev.drover.scheduler.core.LimitFixtures.queued;
import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.cancelRun;
import static dev.drover.scheduler.core.SchedulerFixtures.canceled;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatchRetry;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.failed;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.reportFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.requestRun;
import static dev.drover.scheduler.core.SchedulerFixtures.retries;
import static dev.drover.scheduler.core.SchedulerFixtures.retryScheduled;
import static dev.drover.scheduler.core.SchedulerFixtures.runFinished;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.runSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.succeeded;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerFixtures.withRetry;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code maxActiveTasks}: at most that many tasks of a run out at once; the others wait QUEUED, by priority. */
class MaxActiveTasksTest {
    /** Four independent tasks, two at a time; c has the highest priority, d the next. */
    static final PipelineSpec FAN_OUT = limited(2, task("a"), task("b"), priority(10, task("c")),
            priority(5, task("d")));

    @Test
    void only_max_tasks_go_out_and_the_highest_priorities_go_first() {
        given(registered(FAN_OUT))
                .when(requestRun(), T0)
                .then(runStarted(RUN), dispatched(RUN, "c", 1, T0), dispatched(RUN, "d", 1, T0),
                        queued(RUN, "a", 1, 2), queued(RUN, "b", 1, 2));
    }

    @Test
    void equal_priorities_go_in_spec_order() {
        given(registered(limited(1, task("a"), task("b"), task("c"))))
                .when(requestRun(), T0)
                .then(runStarted(RUN), dispatched(RUN, "a", 1, T0), queued(RUN, "b", 1, 1), queued(RUN, "c", 1, 1));
    }

    @Test
    void a_slot_that_frees_goes_to_the_highest_priority_waiting_task() {
        PipelineSpec spec = limited(1, task("a"), task("b"), priority(3, task("c")));
        given(registered(spec), runStarted(RUN), dispatched(RUN, "c", 1, T0), queued(RUN, "a", 1, 1),
                queued(RUN, "b", 1, 1), started(RUN, "c", 1, EXECUTOR, seconds(1)))
                .when(reportSucceeded(RUN, "c", 1, EXECUTOR), seconds(5))
                .then(succeeded(RUN, "c", 1, seconds(5)), dispatched(RUN, "a", 1, seconds(5)));
    }

    @Test
    void a_newly_ready_task_of_higher_priority_overtakes_tasks_already_waiting() {
        // b waits; when a succeeds, its dependent z (priority 9) becomes ready and takes a's slot before b
        PipelineSpec spec = limited(1, task("a"), task("b"), priority(9, task("z", "a")));
        given(registered(spec), runStarted(RUN), dispatched(RUN, "a", 1, T0), queued(RUN, "b", 1, 1),
                started(RUN, "a", 1, EXECUTOR, seconds(1)))
                .when(reportSucceeded(RUN, "a", 1, EXECUTOR), seconds(5))
                .then(succeeded(RUN, "a", 1, seconds(5)), dispatched(RUN, "z", 1, seconds(5)));
    }

    @Test
    void a_task_waiting_for_its_retry_holds_no_slot_and_its_retry_waits_for_one() {
        PipelineSpec spec = limited(1, withRetry(task("a"), retries(1, Duration.ofSeconds(10), 1, Duration.ofSeconds(10))),
                task("b"));
        // a fails: its slot goes to b while a waits for its backoff
        given(registered(spec), runStarted(RUN), dispatched(RUN, "a", 1, T0), queued(RUN, "b", 1, 1),
                started(RUN, "a", 1, EXECUTOR, seconds(1)))
                .when(reportFailed(RUN, "a", 1, EXECUTOR, "exit 1", 1), seconds(5))
                .then(failed(RUN, "a", 1, "exit 1", 1, seconds(5)), retryScheduled(RUN, "a", 2, seconds(15)),
                        dispatched(RUN, "b", 1, seconds(5)));
        // the retry is due while b holds the only slot: it waits
        given(registered(spec), runStarted(RUN), dispatched(RUN, "a", 1, T0), queued(RUN, "b", 1, 1),
                failed(RUN, "a", 1, "exit 1", 1, seconds(5)), retryScheduled(RUN, "a", 2, seconds(15)),
                dispatched(RUN, "b", 1, seconds(5)))
                .when(dispatchRetry(RUN, "a", 2), seconds(15))
                .then(queued(RUN, "a", 2, 1));
        // and goes out as attempt 2 when b is done
        given(registered(spec), runStarted(RUN), dispatched(RUN, "a", 1, T0), queued(RUN, "b", 1, 1),
                failed(RUN, "a", 1, "exit 1", 1, seconds(5)), retryScheduled(RUN, "a", 2, seconds(15)),
                dispatched(RUN, "b", 1, seconds(5)), queued(RUN, "a", 2, 1), started(RUN, "b", 1, EXECUTOR, seconds(6)))
                .when(reportSucceeded(RUN, "b", 1, EXECUTOR), seconds(20))
                .then(succeeded(RUN, "b", 1, seconds(20)), dispatched(RUN, "a", 2, seconds(20)));
    }

    @Test
    void a_queued_task_keeps_the_run_open_and_is_canceled_with_it() {
        PipelineSpec spec = limited(1, task("a"), task("b"));
        SchedulerScenario s = given(registered(spec), runStarted(RUN), dispatched(RUN, "a", 1, T0),
                queued(RUN, "b", 1, 1));
        SchedulerState state = new SchedulerState();
        java.util.List.of(registered(spec), runStarted(RUN), dispatched(RUN, "a", 1, T0), queued(RUN, "b", 1, 1))
                .forEach(state::apply);
        assertThat(state.activeRun(RUN).orElseThrow().tasks().get("b").status()).isEqualTo(TaskStatus.QUEUED);
        s.when(cancelRun(RUN, "enough"), seconds(3))
                .then(canceled(RUN, "a", 1), canceled(RUN, "b", 0),
                        runFinished(RUN, RunStatus.CANCELED, "enough", seconds(3)));
    }

    @Test
    void reports_about_a_queued_task_are_stale() {
        given(registered(limited(1, task("a"), task("b"))), runStarted(RUN), dispatched(RUN, "a", 1, T0),
                queued(RUN, "b", 1, 1))
                .when(SchedulerFixtures.reportStarted(RUN, "b", 1, EXECUTOR), seconds(1))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    @Test
    void the_run_finishes_when_the_last_queued_task_is_done() {
        PipelineSpec spec = limited(1, task("a"), task("b"));
        given(registered(spec), runStarted(RUN), dispatched(RUN, "a", 1, T0), queued(RUN, "b", 1, 1),
                started(RUN, "a", 1, EXECUTOR, seconds(1)), succeeded(RUN, "a", 1, seconds(2)),
                dispatched(RUN, "b", 1, seconds(2)), started(RUN, "b", 1, EXECUTOR, seconds(3)))
                .when(reportSucceeded(RUN, "b", 1, EXECUTOR), seconds(4))
                .then(succeeded(RUN, "b", 1, seconds(4)), runSucceeded(RUN, seconds(4)));
    }
}
