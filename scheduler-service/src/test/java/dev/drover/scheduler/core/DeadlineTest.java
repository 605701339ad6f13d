package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.RunDeadlineMissed;
import dev.drover.scheduler.core.SchedulerEvent.TaskDeadlineMissed;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.drover.scheduler.core.RerunFixtures.checkRunDeadline;
import static dev.drover.scheduler.core.RerunFixtures.checkTaskDeadline;
import static dev.drover.scheduler.core.RerunFixtures.cleared;
import static dev.drover.scheduler.core.RerunFixtures.withDeadline;
import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.failed;
import static dev.drover.scheduler.core.SchedulerFixtures.failedFinally;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
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

/** Run and task deadlines (Airflow: SLA misses / deadline alerts): an alert once, the work carries on. */
class DeadlineTest {
    static final Duration RUN_DEADLINE = Duration.ofHours(1);
    static final Duration TASK_DEADLINE = Duration.ofMinutes(10);
    /** A run deadline of an hour; task a has a 10-minute deadline and one retry, b follows it. */
    static final PipelineSpec SPEC = pipeline(
            withDeadline(withRetry(task("a"), retries(1, Duration.ofSeconds(30), 1.0, Duration.ofMinutes(1))),
                    TASK_DEADLINE),
            task("b", "a")).withOptions(dev.drover.scheduler.pipeline.PipelineOptions.DEFAULTS
            .withDeadline(RUN_DEADLINE));

    static List<SchedulerEvent> running() {
        return List.of(registered(SPEC), runStarted(RUN), dispatched(RUN, "a", 1, seconds(5)),
                started(RUN, "a", 1, EXECUTOR, seconds(6)));
    }

    static List<DueTimer> deadlineTimers(SchedulerState state) {
        RunState run = state.activeRun(RUN).orElseThrow();
        return DueTimer.of(run, state.revisionOf(run), SchedulerSettings.defaults()).stream()
                .filter(t -> t.kind() == DueTimer.Kind.RUN_DEADLINE || t.kind() == DueTimer.Kind.TASK_DEADLINE)
                .toList();
    }

    @Test
    void aRunningRunHoldsItsDeadlineAndEachDispatchedTasksDeadline() {
        SchedulerState state = new SchedulerState();
        running().forEach(state::apply);
        assertThat(deadlineTimers(state)).containsExactlyInAnyOrder(
                new DueTimer(T0.plus(RUN_DEADLINE), DueTimer.Kind.RUN_DEADLINE, PIPELINE, RUN, "", 0),
                new DueTimer(seconds(5).plus(TASK_DEADLINE), DueTimer.Kind.TASK_DEADLINE, PIPELINE, RUN, "a", 0));
        assertThat(deadlineTimers(state).get(0).toCommand()).isInstanceOfAny(SchedulerCommand.CheckRunDeadline.class,
                SchedulerCommand.CheckTaskDeadline.class);
    }

    @Test
    void aRunPastItsDeadlineRaisesOneAlertAndKeepsRunning() {
        SchedulerScenario s = given(running())
                .when(checkRunDeadline(RUN), T0.plus(RUN_DEADLINE))
                .then(new RunDeadlineMissed(PIPELINE, RUN, RUN_DEADLINE.toMillis(), T0.plus(RUN_DEADLINE)));
        SchedulerState after = s.stateAfter();
        assertThat(after.activeRun(RUN)).map(RunState::status).contains(RunStatus.RUNNING);
        assertThat(deadlineTimers(after)).noneMatch(t -> t.kind() == DueTimer.Kind.RUN_DEADLINE);

        List<SchedulerEvent> history = new ArrayList<>(running());
        history.addAll(s.events());
        given(history).when(checkRunDeadline(RUN), T0.plus(RUN_DEADLINE).plusSeconds(1)).thenNothing();
    }

    @Test
    void aTimerBeforeTheDeadlineDoesNothing() {
        given(running()).when(checkRunDeadline(RUN), T0.plus(RUN_DEADLINE).minusMillis(1)).thenNothing();
        given(running()).when(checkTaskDeadline(RUN, "a"), seconds(5).plus(TASK_DEADLINE).minusMillis(1))
                .thenNothing();
    }

    @Test
    void aRunThatFinishedInTimeRaisesNothing() {
        List<SchedulerEvent> history = new ArrayList<>(running());
        history.add(succeeded(RUN, "a", 1, seconds(7)));
        history.add(dispatched(RUN, "b", 1, seconds(7)));
        history.add(succeeded(RUN, "b", 1, seconds(8)));
        history.add(runSucceeded(RUN, seconds(8)));
        given(history).when(checkRunDeadline(RUN), T0.plus(RUN_DEADLINE)).thenNothing();
        given(history).when(checkTaskDeadline(RUN, "a"), seconds(5).plus(TASK_DEADLINE)).thenNothing();
    }

    @Test
    void aTaskPastItsDeadlineRaisesOneAlertCountedFromItsFirstDispatchAcrossRetries() {
        List<SchedulerEvent> history = new ArrayList<>(running());
        history.add(failed(RUN, "a", 1, "boom", 1, seconds(60)));
        history.add(retryScheduled(RUN, "a", 2, seconds(90)));
        history.add(dispatched(RUN, "a", 2, seconds(90)));
        SchedulerScenario s = given(history)
                .when(checkTaskDeadline(RUN, "a"), seconds(5).plus(TASK_DEADLINE))
                .then(new TaskDeadlineMissed(PIPELINE, RUN, "a", TASK_DEADLINE.toMillis(),
                        seconds(5).plus(TASK_DEADLINE)));
        assertThat(deadlineTimers(s.stateAfter())).noneMatch(t -> t.kind() == DueTimer.Kind.TASK_DEADLINE);
        history.addAll(s.events());
        given(history).when(checkTaskDeadline(RUN, "a"), seconds(5).plus(TASK_DEADLINE).plusSeconds(5))
                .thenNothing();
    }

    @Test
    void aTaskThatFinishedInTimeRaisesNothingEvenIfItsRunIsLate() {
        List<SchedulerEvent> history = new ArrayList<>(running());
        history.add(succeeded(RUN, "a", 1, seconds(60)));
        history.add(dispatched(RUN, "b", 1, seconds(60)));
        given(history).when(checkTaskDeadline(RUN, "a"), seconds(5).plus(TASK_DEADLINE)).thenNothing();
    }

    @Test
    void aClearedTaskGetsAFreshDeadlineFromItsNextDispatch() {
        List<SchedulerEvent> history = new ArrayList<>(running());
        history.add(new TaskDeadlineMissed(PIPELINE, RUN, "a", TASK_DEADLINE.toMillis(), seconds(605)));
        history.add(failed(RUN, "a", 1, "boom", 1, seconds(700)));
        history.add(failedFinally(RUN, "a", 1, "boom"));
        history.add(SchedulerFixtures.upstreamFailed(RUN, "b", "a"));
        history.add(runFinished(RUN, RunStatus.FAILED, "task(s) failed: a", seconds(700)));
        history.add(RerunFixtures.reopened(RUN, seconds(800)));
        history.add(cleared(RUN, List.of("a", "b"), false, seconds(800)));
        history.add(dispatched(RUN, "a", 2, seconds(800)));
        SchedulerState state = new SchedulerState();
        history.forEach(state::apply);
        // the reopened run finished once: its own deadline is settled; the cleared task's runs from its dispatch
        assertThat(deadlineTimers(state)).containsExactly(new DueTimer(seconds(800).plus(TASK_DEADLINE),
                DueTimer.Kind.TASK_DEADLINE, PIPELINE, RUN, "a", 0));
    }

    @Test
    void aPipelineWithoutDeadlinesHoldsNoDeadlineTimers() {
        SchedulerState state = new SchedulerState();
        List.of(registered(pipeline(withRetry(task("a"), RetryPolicy.NONE))), runStarted(RUN),
                dispatched(RUN, "a", 1, T0)).forEach(state::apply);
        assertThat(deadlineTimers(state)).isEmpty();
    }
}
