package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerCommand.ReportTaskRescheduled;
import dev.drover.scheduler.core.SchedulerCommand.ReportTaskStarted;
import dev.drover.scheduler.core.SchedulerCommand.ReportTaskSucceeded;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.TaskDispatched;
import dev.drover.scheduler.core.SchedulerEvent.TaskFailed;
import dev.drover.scheduler.core.SchedulerEvent.TaskFailedFinally;
import dev.drover.scheduler.core.SchedulerEvent.TaskRescheduled;
import dev.drover.scheduler.core.SchedulerEvent.TaskRetryScheduled;
import dev.drover.scheduler.core.SchedulerEvent.TaskSkipped;
import dev.drover.scheduler.core.SchedulerEvent.TaskStarted;
import dev.drover.scheduler.core.SchedulerEvent.TaskSucceeded;
import dev.drover.scheduler.pipeline.ParameterType;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.RetryPolicy;
import dev.drover.scheduler.pipeline.TaskSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.LEASE;
import static dev.drover.scheduler.core.SchedulerFixtures.OTHER_EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatchRetry;
import static dev.drover.scheduler.core.SchedulerFixtures.map;
import static dev.drover.scheduler.core.SchedulerFixtures.optional;
import static dev.drover.scheduler.core.SchedulerFixtures.parameters;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.register;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.reportFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.requestRun;
import static dev.drover.scheduler.core.SchedulerFixtures.retries;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerFixtures.upstreamFailed;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sensors: one poke per dispatch, "not yet" frees the executor and reschedules the same attempt after the poke
 * interval, success goes on like any task, the sensor's timeout fails it for good (or skips it with softFail), stale
 * pokes are fenced, and {@code wait_for_time} never reaches an executor.
 */
class SensorTest {
    /** Events the sensor replay story below exercises (and asserts it does), for {@link ReplayTest}'s coverage. */
    static final java.util.Set<Class<?>> REPLAYED_IN_SENSOR_STORY = java.util.Set.of(TaskRescheduled.class,
            TaskSkipped.class);
    static final Duration SENSOR_TIMEOUT = Duration.ofMinutes(10);
    static final Map<String, Object> FILE_CONFIG = map("path", "/data/in/*.csv", "pokeInterval", "1m");

    static TaskSpec sensor(String id, String type, Map<String, Object> config, RetryPolicy retry) {
        return new TaskSpec(id, type, List.of(), config, retry, SENSOR_TIMEOUT, "default");
    }

    static TaskSpec fileSensor(Map<String, Object> config) {
        return sensor("wait", "wait_for_file", config, RetryPolicy.NONE);
    }

    /** wait (a file sensor polling every minute for at most 10 minutes) → train. */
    static final PipelineSpec SPEC = pipeline(fileSensor(FILE_CONFIG), task("train", "wait"));

    static TaskDispatched poke(int attempt, int poke, Instant at) {
        return new TaskDispatched(PIPELINE, RUN, "wait", attempt, "wait_for_file", "default", FILE_CONFIG,
                SENSOR_TIMEOUT.toMillis(), at, poke);
    }

    static TaskStarted pokeStarted(int attempt, Instant at) {
        return new TaskStarted(PIPELINE, RUN, "wait", attempt, EXECUTOR, at.plus(LEASE), at.plus(SENSOR_TIMEOUT), at);
    }

    static ReportTaskStarted reportPokeStarted(int attempt, int poke, String executor) {
        return new ReportTaskStarted("started-" + attempt + "-" + poke, PIPELINE, RUN, "wait", attempt, executor,
                poke);
    }

    static ReportTaskRescheduled notYet(int attempt, int poke) {
        return new ReportTaskRescheduled("not-yet-" + attempt + "-" + poke, PIPELINE, RUN, "wait", attempt,
                EXECUTOR, poke, "no file matches /data/in/*.csv");
    }

    static ReportTaskSucceeded found(int attempt, int poke) {
        return new ReportTaskSucceeded("found-" + attempt + "-" + poke, PIPELINE, RUN, "wait", attempt, EXECUTOR,
                map("path", "/data/in/a.csv"), poke);
    }

    static TaskRescheduled rescheduled(int attempt, int poke, Instant next, Instant at) {
        return new TaskRescheduled(PIPELINE, RUN, "wait", attempt, poke, "no file matches /data/in/*.csv", next, at);
    }

    /** The sensor's first poke is with the executor, started at 1 s. */
    static SchedulerEvent[] firstPokeRunning() {
        return new SchedulerEvent[] {registered(SPEC), runStarted(RUN), poke(1, 1, T0), pokeStarted(1, seconds(1))};
    }

    /** Poke 1 found nothing at 2 s; poke 2 is due at 62 s. */
    static SchedulerEvent[] waitingForPoke2() {
        return new SchedulerEvent[] {registered(SPEC), runStarted(RUN), poke(1, 1, T0), pokeStarted(1, seconds(1)),
                rescheduled(1, 1, seconds(62), seconds(2))};
    }

    // ---- poke, reschedule, poke again

    @Test
    void a_sensor_is_dispatched_as_its_first_poke() {
        given(registered(SPEC))
                .when(requestRun(RUN, Map.of()), T0)
                .then(runStarted(RUN), poke(1, 1, T0));
    }

    @Test
    void a_poke_that_finds_nothing_frees_the_executor_and_reschedules_the_same_attempt_after_the_poke_interval() {
        SchedulerScenario s = given(firstPokeRunning())
                .when(notYet(1, 1), seconds(2))
                .then(rescheduled(1, 1, seconds(62), seconds(2)));

        TaskState wait = s.stateAfter().activeRun(RUN).orElseThrow().tasks().get("wait");
        assertThat(wait.status()).isEqualTo(TaskStatus.UP_FOR_RESCHEDULE);
        assertThat(wait.status().inFlight()).as("no executor holds it").isFalse();
        assertThat(wait.executorId()).isNull();
        assertThat(wait.attempt()).isEqualTo(1);
        RunState run = s.stateAfter().activeRun(RUN).orElseThrow();
        assertThat(DueTimer.of(run, s.stateAfter().revisionOf(run), SchedulerSettings.defaults()))
                .containsExactly(new DueTimer(seconds(62), DueTimer.Kind.POKE, PIPELINE, RUN, "wait", 1));
    }

    @Test
    void the_poke_timer_dispatches_the_next_poke_of_the_same_attempt() {
        given(waitingForPoke2())
                .when(dispatchRetry(RUN, "wait", 1), seconds(62))
                .then(poke(1, 2, seconds(62)));
    }

    @Test
    void the_poke_timer_is_a_dispatch_retry_with_its_own_id() {
        DueTimer timer = new DueTimer(seconds(62), DueTimer.Kind.POKE, PIPELINE, RUN, "wait", 1);
        assertThat(timer.toCommand()).isInstanceOf(SchedulerCommand.DispatchRetry.class);
        assertThat(timer.toCommand().commandId()).startsWith("timer:poke:");
    }

    @Test
    void a_poke_timer_before_its_due_time_does_nothing() {
        given(waitingForPoke2())
                .when(dispatchRetry(RUN, "wait", 1), seconds(61))
                .thenNothing();
    }

    @Test
    void a_poke_that_finds_the_file_succeeds_and_the_run_goes_on() {
        given(waitingForPoke2()).and(poke(1, 2, seconds(62)), pokeStarted(1, seconds(63)))
                .when(found(1, 2), seconds(64))
                .then(new TaskSucceeded(PIPELINE, RUN, "wait", 1, map("path", "/data/in/a.csv"), seconds(64)),
                        new TaskDispatched(PIPELINE, RUN, "train", 1, "shell", "default", Map.of(),
                                SchedulerFixtures.TIMEOUT.toMillis(), seconds(64)));
    }

    // ---- fencing

    @Test
    void a_report_from_an_earlier_poke_is_stale() {
        SchedulerEvent[] poke2Running = {poke(1, 2, seconds(62)), pokeStarted(1, seconds(63))};
        given(waitingForPoke2()).and(poke2Running)
                .when(notYet(1, 1), seconds(64))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
        given(waitingForPoke2()).and(poke2Running)
                .when(found(1, 1), seconds(64))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
        given(waitingForPoke2()).and(poke(1, 2, seconds(62)))
                .when(reportPokeStarted(1, 1, OTHER_EXECUTOR), seconds(63))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    @Test
    void a_report_while_the_sensor_waits_for_its_next_poke_is_stale() {
        given(waitingForPoke2())
                .when(found(1, 1), seconds(10))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
    }

    @Test
    void the_current_poke_starts_normally() {
        given(waitingForPoke2()).and(poke(1, 2, seconds(62)))
                .when(reportPokeStarted(1, 2, OTHER_EXECUTOR), seconds(63))
                .then(new TaskStarted(PIPELINE, RUN, "wait", 1, OTHER_EXECUTOR, seconds(63).plus(LEASE),
                        seconds(63).plus(SENSOR_TIMEOUT), seconds(63)));
    }

    @Test
    void only_sensors_may_ask_to_be_poked_again() {
        PipelineSpec spec = pipeline(task("wait"));
        given(registered(spec), runStarted(RUN), SchedulerFixtures.dispatched(RUN, "wait", 1, T0),
                SchedulerFixtures.started(RUN, "wait", 1, EXECUTOR, seconds(1)))
                .when(new ReportTaskRescheduled("r", PIPELINE, RUN, "wait", 1, EXECUTOR, 0, "not yet"), seconds(2))
                .thenRejected(RejectionCode.INVALID_OUTPUT);
    }

    // ---- timeout and softFail

    @Test
    void the_next_poke_is_never_later_than_the_sensor_timeout() {
        given(firstPokeRunning())
                .when(notYet(1, 1), seconds(570))
                .then(rescheduled(1, 1, seconds(600), seconds(570)));
    }

    @Test
    void sensors_timing_out_fail_for_good_without_retries_and_their_downstream_never_runs() {
        PipelineSpec spec = pipeline(sensor("wait", "wait_for_file", FILE_CONFIG,
                retries(3, Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1))), task("train", "wait"));
        given(registered(spec), runStarted(RUN), poke(1, 1, T0), pokeStarted(1, seconds(1)))
                .when(notYet(1, 1), seconds(600))
                .then(new TaskFailedFinally(PIPELINE, RUN, "wait", 1,
                                "sensor timed out after 10m: no file matches /data/in/*.csv"),
                        upstreamFailed(RUN, "train", "wait"),
                        new RunFinished(PIPELINE, RUN, RunStatus.FAILED, "task(s) failed: wait", seconds(600)));
    }

    @Test
    void the_sensor_timeout_runs_from_the_first_poke_across_pokes() {
        given(waitingForPoke2()).and(poke(1, 2, seconds(62)), pokeStarted(1, seconds(63)))
                .when(notYet(1, 2), seconds(600))
                .then(new TaskFailedFinally(PIPELINE, RUN, "wait", 1,
                                "sensor timed out after 10m: no file matches /data/in/*.csv"),
                        upstreamFailed(RUN, "train", "wait"),
                        new RunFinished(PIPELINE, RUN, RunStatus.FAILED, "task(s) failed: wait", seconds(600)));
    }

    @Test
    void a_soft_failing_sensor_is_skipped_when_it_times_out() {
        Map<String, Object> config = map("path", "/data/in/*.csv", "pokeInterval", "1m", "softFail", true);
        PipelineSpec spec = pipeline(fileSensor(config));
        given(registered(spec), runStarted(RUN), new TaskDispatched(PIPELINE, RUN, "wait", 1, "wait_for_file",
                "default", config, SENSOR_TIMEOUT.toMillis(), T0, 1), pokeStarted(1, seconds(1)))
                .when(notYet(1, 1), seconds(601))
                .then(new TaskSkipped(PIPELINE, RUN, "wait",
                                "sensor timed out after 10m: no file matches /data/in/*.csv (softFail: skipped)"),
                        new RunFinished(PIPELINE, RUN, RunStatus.SUCCEEDED, "no final task failed (skipped: wait)", seconds(601)));
    }

    // ---- poke failures are ordinary failures

    @Test
    void a_failing_poke_is_retried_under_the_retry_policy_and_the_retry_is_the_next_poke() {
        PipelineSpec spec = pipeline(sensor("wait", "wait_for_file", FILE_CONFIG,
                retries(1, Duration.ofSeconds(10), 1.0, Duration.ofSeconds(10))), task("train", "wait"));
        given(registered(spec), runStarted(RUN), poke(1, 1, T0), pokeStarted(1, seconds(1)))
                .when(new SchedulerCommand.ReportTaskFailed("f", PIPELINE, RUN, "wait", 1, EXECUTOR,
                        "permission denied: /data/in", null, 1), seconds(2))
                .then(new TaskFailed(PIPELINE, RUN, "wait", 1, "permission denied: /data/in", null, seconds(2)),
                        new TaskRetryScheduled(PIPELINE, RUN, "wait", 2, seconds(12)));
        given(registered(spec), runStarted(RUN), poke(1, 1, T0), pokeStarted(1, seconds(1)),
                new TaskFailed(PIPELINE, RUN, "wait", 1, "permission denied: /data/in", null, seconds(2)),
                new TaskRetryScheduled(PIPELINE, RUN, "wait", 2, seconds(12)))
                .when(dispatchRetry(RUN, "wait", 2), seconds(12))
                .then(poke(2, 2, seconds(12)));
    }

    // ---- wait_for_event gets the run's start as its default `after`

    @Test
    void an_event_sensor_waits_for_events_received_since_the_run_started() {
        Map<String, Object> config = map("eventType", "table.loaded");
        PipelineSpec spec = pipeline(sensor("wait", "wait_for_event", config, RetryPolicy.NONE));
        given(registered(spec))
                .when(requestRun(RUN, Map.of()), T0)
                .then(runStarted(RUN), new TaskDispatched(PIPELINE, RUN, "wait", 1, "wait_for_event", "default",
                        map("eventType", "table.loaded", "after", T0.toString()), SENSOR_TIMEOUT.toMillis(), T0, 1));
    }

    // ---- wait_for_time: the scheduler alone

    static final PipelineSpec AT_SPEC = pipeline(parameters("at", optional(ParameterType.STRING,
                    "2030-01-01T00:05:00Z")),
            sensor("at", "wait_for_time", map("until", "{{ params.at }}"), RetryPolicy.NONE), task("train", "at"));

    @Test
    void wait_for_time_is_never_dispatched_it_is_rescheduled_until_its_moment() {
        SchedulerScenario s = given(registered(AT_SPEC))
                .when(requestRun(RUN, Map.of()), T0)
                .then(runStarted(RUN, 1, Map.of("at", "2030-01-01T00:05:00Z"), T0),
                        new TaskRescheduled(PIPELINE, RUN, "at", 1, 0, "waiting until 2030-01-01T00:05:00Z",
                                seconds(300), T0));
        assertThat(s.events()).noneMatch(e -> e instanceof TaskDispatched);
    }

    @Test
    void wait_for_time_succeeds_when_its_timer_fires_at_its_moment() {
        given(registered(AT_SPEC), runStarted(RUN, 1, Map.of("at", "2030-01-01T00:05:00Z"), T0),
                new TaskRescheduled(PIPELINE, RUN, "at", 1, 0, "waiting until 2030-01-01T00:05:00Z", seconds(300),
                        T0))
                .when(dispatchRetry(RUN, "at", 1), seconds(300))
                .then(new TaskSucceeded(PIPELINE, RUN, "at", 1, map("until", "2030-01-01T00:05:00Z",
                                "checked_at", "2030-01-01T00:05:00Z"), seconds(300)),
                        new TaskDispatched(PIPELINE, RUN, "train", 1, "shell", "default", Map.of(),
                                SchedulerFixtures.TIMEOUT.toMillis(), seconds(300)));
    }

    @Test
    void wait_for_time_in_the_past_succeeds_at_once() {
        given(registered(AT_SPEC))
                .when(requestRun(RUN, Map.of("at", "2029-12-31T23:00:00Z")), T0)
                .then(runStarted(RUN, 1, Map.of("at", "2029-12-31T23:00:00Z"), T0),
                        new TaskSucceeded(PIPELINE, RUN, "at", 1, map("until", "2029-12-31T23:00:00Z",
                                "checked_at", T0.toString()), T0),
                        new TaskDispatched(PIPELINE, RUN, "train", 1, "shell", "default", Map.of(),
                                SchedulerFixtures.TIMEOUT.toMillis(), T0));
    }

    @Test
    void wait_for_time_with_a_delay_times_out_when_its_timeout_comes_first() {
        PipelineSpec spec = pipeline(new TaskSpec("at", "wait_for_time", List.of(), map("delay", "2h"),
                RetryPolicy.NONE, Duration.ofHours(1), "default"));
        given(registered(spec))
                .when(requestRun(RUN, Map.of()), T0)
                .then(runStarted(RUN), new TaskRescheduled(PIPELINE, RUN, "at", 1, 0,
                        "waiting until 2030-01-01T02:00:00Z", T0.plus(Duration.ofHours(1)), T0));
        given(registered(spec), runStarted(RUN), new TaskRescheduled(PIPELINE, RUN, "at", 1, 0,
                "waiting until 2030-01-01T02:00:00Z", T0.plus(Duration.ofHours(1)), T0))
                .when(dispatchRetry(RUN, "at", 1), T0.plus(Duration.ofHours(1)))
                .then(new TaskFailedFinally(PIPELINE, RUN, "at", 1,
                                "sensor timed out after 1h: waiting until 2030-01-01T02:00:00Z"),
                        new RunFinished(PIPELINE, RUN, RunStatus.FAILED, "task(s) failed: at",
                                T0.plus(Duration.ofHours(1))));
    }

    @Test
    void wait_for_time_with_a_moment_that_is_not_one_fails_for_good() {
        given(registered(AT_SPEC))
                .when(requestRun(RUN, Map.of("at", "tomorrow")), T0)
                .then(runStarted(RUN, 1, Map.of("at", "tomorrow"), T0),
                        new TaskFailed(PIPELINE, RUN, "at", 1, "wait_for_time: until `tomorrow` is not a date and "
                                + "time with an offset; write e.g. 2030-01-31T06:00:00Z or 2030-01-31T07:00:00+01:00",
                                null, T0),
                        new TaskFailedFinally(PIPELINE, RUN, "at", 1, "wait_for_time: until `tomorrow` is not a "
                                + "date and time with an offset; write e.g. 2030-01-31T06:00:00Z or "
                                + "2030-01-31T07:00:00+01:00"),
                        upstreamFailed(RUN, "train", "at"),
                        new RunFinished(PIPELINE, RUN, RunStatus.FAILED, "task(s) failed: at", T0));
    }

    @Test
    void canceling_a_run_cancels_a_sensor_waiting_for_its_next_poke() {
        given(waitingForPoke2())
                .when(SchedulerFixtures.cancelRun(RUN, "stop"), seconds(10))
                .then(new SchedulerEvent.TaskCanceled(PIPELINE, RUN, "wait", 0),
                        new SchedulerEvent.TaskCanceled(PIPELINE, RUN, "train", 0),
                        new RunFinished(PIPELINE, RUN, RunStatus.CANCELED, "stop", seconds(10)));
    }

    // ---- replay

    @Test
    void a_sensor_story_replays_to_the_state_the_live_decisions_left() {
        ReplayTest.Live live = new ReplayTest.Live();
        live.decide(register(SPEC, "sensor"), T0);
        live.decide(requestRun(RUN, Map.of()), T0); // poke 1
        live.decide(reportPokeStarted(1, 1, EXECUTOR), seconds(1));
        live.decide(notYet(1, 1), seconds(2));
        live.fireTimers(seconds(61));
        assertThat(live.log).filteredOn(e -> e instanceof TaskDispatched).hasSize(1);
        live.fireTimers(seconds(62)); // poke 2
        live.decide(reportPokeStarted(1, 2, OTHER_EXECUTOR), seconds(63));
        live.decide(notYet(1, 1), seconds(63)); // stale
        live.decide(new ReportTaskRescheduled("n2", PIPELINE, RUN, "wait", 1, OTHER_EXECUTOR, 2, "still nothing"),
                seconds(64));
        live.fireTimers(seconds(124)); // poke 3
        live.decide(reportPokeStarted(1, 3, EXECUTOR), seconds(125));
        live.decide(found(1, 3), seconds(126));
        live.decide(reportSucceeded(RUN, "train", 1, EXECUTOR), seconds(127)); // never started: stale

        assertThat(live.log).filteredOn(e -> e instanceof TaskDispatched)
                .extracting(e -> ((TaskDispatched) e).taskId() + "#" + ((TaskDispatched) e).poke())
                .containsExactly("wait#1", "wait#2", "wait#3", "train#0");
        assertThat(live.log).filteredOn(e -> e instanceof TaskRescheduled).hasSize(2);
        assertThat(live.state.activeRun(RUN).orElseThrow().tasks().get("wait").status())
                .isEqualTo(TaskStatus.SUCCEEDED);

        // a soft-failing sensor on a new revision times out and is skipped
        Map<String, Object> soft = map("path", "/never", "pokeInterval", "5m", "softFail", true);
        live.decide(register(pipeline(fileSensor(soft)), "soft"), seconds(200));
        live.decide(requestRun("train.2", Map.of()), seconds(200));
        live.decide(new ReportTaskStarted("s1", PIPELINE, "train.2", "wait", 1, EXECUTOR, 1), seconds(201));
        live.decide(new ReportTaskRescheduled("s2", PIPELINE, "train.2", "wait", 1, EXECUTOR, 1, "no file"),
                seconds(202));
        live.fireTimers(seconds(502));
        live.decide(new ReportTaskStarted("s3", PIPELINE, "train.2", "wait", 1, EXECUTOR, 2), seconds(503));
        live.decide(new ReportTaskRescheduled("s4", PIPELINE, "train.2", "wait", 1, EXECUTOR, 2, "no file"),
                seconds(504));
        live.fireTimers(seconds(800)); // the last poke, at the deadline
        live.decide(new ReportTaskStarted("s5", PIPELINE, "train.2", "wait", 1, EXECUTOR, 3), seconds(801));
        live.decide(new ReportTaskRescheduled("s6", PIPELINE, "train.2", "wait", 1, EXECUTOR, 3, "no file"),
                seconds(802));
        assertThat(live.log).last().isEqualTo(new RunFinished(PIPELINE, "train.2", RunStatus.SUCCEEDED,
                "no final task failed (skipped: wait)", seconds(802)));
        assertThat(live.log).map(Object::getClass).containsAll(REPLAYED_IN_SENSOR_STORY);
    }

    @Test
    void a_failed_poke_does_not_confuse_a_task_that_is_no_sensor() {
        // poke numbers are 0 for every other task, so their reports (poke 0) are not fenced by them
        PipelineSpec spec = pipeline(task("a"));
        given(registered(spec), runStarted(RUN), SchedulerFixtures.dispatched(RUN, "a", 1, T0),
                SchedulerFixtures.started(RUN, "a", 1, EXECUTOR, seconds(1)))
                .when(reportFailed(RUN, "a", 1, EXECUTOR, "boom", 1), seconds(2))
                .then(new TaskFailed(PIPELINE, RUN, "a", 1, "boom", 1, seconds(2)),
                        new TaskFailedFinally(PIPELINE, RUN, "a", 1, "boom"),
                        new RunFinished(PIPELINE, RUN, RunStatus.FAILED, "task(s) failed: a", seconds(2)));
    }
}
