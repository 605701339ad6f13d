package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.ParameterSpec;
import dev.drover.scheduler.pipeline.ParameterType;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.OTHER_EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.cancelRun;
import static dev.drover.scheduler.core.SchedulerFixtures.map;
import static dev.drover.scheduler.core.SchedulerFixtures.onQueue;
import static dev.drover.scheduler.core.SchedulerFixtures.optional;
import static dev.drover.scheduler.core.SchedulerFixtures.parameters;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.register;
import static dev.drover.scheduler.core.SchedulerFixtures.reportFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.reportHeartbeat;
import static dev.drover.scheduler.core.SchedulerFixtures.reportStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.requestRun;
import static dev.drover.scheduler.core.SchedulerFixtures.required;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerFixtures.withConfig;
import static dev.drover.scheduler.core.SchedulerFixtures.withRetry;
import static dev.drover.scheduler.core.SchedulerFixtures.withWhen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Live and replay are the same code: deciding a whole story step by step while applying each decision to a live
 * state must leave exactly the state that folding the same log into a fresh state gives.
 */
class ReplayTest {
    static final Map<String, ParameterSpec> PARAMS = parameters(
            "dataset", required(ParameterType.STRING), "epochs", optional(ParameterType.INTEGER, 3L));
    static final PipelineSpec V1 = pipeline(PARAMS,
            withRetry(withConfig(task("prepare"), map("command", "prep {{ params.dataset }} #{{ attempt }}")),
                    new RetryPolicy(2, Duration.ofSeconds(5), 2.0, Duration.ofMinutes(1), 0.3)),
            withRetry(withConfig(task("train", "prepare"),
                            map("command", "train {{ tasks.prepare.outputs.path }} --epochs {{ params.epochs }}")),
                    new RetryPolicy(1, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1), 0.0)),
            task("evaluate", "prepare"),
            task("publish", "train", "evaluate"),
            task("lint"),
            task("report", "lint"),
            withWhen(task("notify"), "params.epochs > 5")); // skipped: a when that is false
    /** Revision 2 also maps a task over a two-element list and another over an empty one (which skips it). */
    static final PipelineSpec V2 = pipeline(PARAMS, task("prepare"), task("train", "prepare"),
            MappingTest.mapped(task("fan"), "[params.dataset, 'b']"), MappingTest.mapped(task("none"), "[]"));
    /** With a 10 s run deadline and a 10 s deadline on prepare, for the reruns and deadlines part of the story. */
    static final PipelineSpec V3 = pipeline(PARAMS, RerunFixtures.withDeadline(task("prepare"), Duration.ofSeconds(10)),
            task("train", "prepare")).withOptions(dev.drover.scheduler.pipeline.PipelineOptions.DEFAULTS
            .withDeadline(Duration.ofSeconds(10)));

    /** The scheduler loop without Kafka: decide, apply, append. */
    static final class Live {
        final SchedulerDecider decider = new SchedulerDecider(SchedulerSettings.defaults());
        final SchedulerState state = new SchedulerState();
        final List<SchedulerEvent> log = new ArrayList<>();

        List<SchedulerEvent> decide(SchedulerCommand command, Instant now) {
            List<SchedulerEvent> events = decider.decide(state, command, now).events();
            for (SchedulerEvent e : events) {
                state.apply(e);
                log.add(e);
            }
            // after every step, not only at the end: a restart can happen between any two decisions
            assertThat(StateView.of(state)).as("live state after %s", command).isEqualTo(StateView.of(fold(log)));
            return events;
        }

        /** Fires every timer due at {@code now}, as the loop does. */
        void fireTimers(Instant now) {
            List<DueTimer> due = state.activeRuns().stream().flatMap(r -> DueTimer.of(r, state.revisionOf(r), decider.settings()).stream())
                    .filter(t -> !t.dueAt().isAfter(now))
                    .sorted(Comparator.comparing(DueTimer::dueAt).thenComparing(DueTimer::runId)
                            .thenComparing(DueTimer::taskId).thenComparing(DueTimer::kind))
                    .toList();
            for (DueTimer t : due) {
                decide(t.toCommand(), now);
            }
        }
    }

    static SchedulerState fold(List<SchedulerEvent> log) {
        SchedulerState s = new SchedulerState();
        log.forEach(s::apply);
        return s;
    }

    @Test
    void folding_the_log_gives_the_state_the_live_decisions_left() {
        Live live = new Live();
        String run1 = "train.1";
        live.decide(register(V1, "v1"), seconds(0));
        live.decide(requestRun(null, map("dataset", "s3://d")), seconds(0));
        live.decide(reportStarted(run1, "prepare", 1, EXECUTOR), seconds(1));
        live.decide(reportStarted(run1, "lint", 1, OTHER_EXECUTOR), seconds(1));
        live.decide(reportFailed(run1, "lint", 1, OTHER_EXECUTOR, "style", 1), seconds(2));
        live.decide(reportHeartbeat(run1, "prepare", 1, EXECUTOR), seconds(5));
        live.decide(reportHeartbeat(run1, "prepare", 1, EXECUTOR), seconds(9));
        live.fireTimers(seconds(30)); // prepare's executor went silent: lost, retry scheduled
        live.decide(reportSucceeded(run1, "prepare", 1, EXECUTOR), seconds(31)); // fenced
        live.fireTimers(seconds(40)); // retry dispatched
        live.decide(reportStarted(run1, "prepare", 2, OTHER_EXECUTOR), seconds(41));
        live.decide(reportSucceeded(run1, "prepare", 2, OTHER_EXECUTOR, map("path", "s3://p")), seconds(42));
        live.decide(reportStarted(run1, "train", 1, EXECUTOR), seconds(43));
        live.decide(reportStarted(run1, "evaluate", 1, OTHER_EXECUTOR), seconds(43));
        live.decide(reportSucceeded(run1, "evaluate", 1, OTHER_EXECUTOR, map("auc", 0.91)), seconds(44));
        live.decide(reportFailed(run1, "train", 1, EXECUTOR, "oom", 137), seconds(45));
        live.decide(register(V2, "v2"), seconds(50)); // run 1 stays on revision 1
        live.fireTimers(seconds(100));
        live.decide(reportStarted(run1, "train", 2, EXECUTOR), seconds(101));
        live.decide(reportStarted(run1, "train", 2, EXECUTOR), seconds(101)); // duplicate
        live.decide(reportStarted(run1, "train", 2, OTHER_EXECUTOR), seconds(101)); // wrong executor
        live.decide(reportSucceeded(run1, "train", 2, EXECUTOR, map("model", "m-1")), seconds(102));
        live.decide(reportStarted(run1, "publish", 1, EXECUTOR), seconds(103));
        for (int s = 110; s <= 800; s += 5) { // publish keeps its lease but runs into its timeout
            live.decide(reportHeartbeat(run1, "publish", 1, EXECUTOR), seconds(s));
            live.fireTimers(seconds(s));
        }

        String run2 = "train.manual";
        live.decide(requestRun(run2, map("dataset", "s3://e", "epochs", 5L)), seconds(900));
        live.decide(reportStarted(run2, "prepare", 1, EXECUTOR), seconds(901));
        live.decide(cancelRun(run2, "wrong dataset"), seconds(902));
        live.decide(reportSucceeded(run2, "prepare", 1, EXECUTOR), seconds(903)); // run finished

        live.decide(requestRun(null, map("dataset", "s3://f")), seconds(1000)); // train.3, revision 2
        live.decide(reportStarted("train.3", "prepare", 1, EXECUTOR), seconds(1001));
        live.decide(reportHeartbeat("train.3", "prepare", 1, EXECUTOR), seconds(1010));

        // deadlines missed, a finished run reopened by a clear, a task marked by hand
        String run4 = "train.4";
        live.decide(register(V3, "v3"), seconds(2000));
        live.decide(requestRun(null, map("dataset", "s3://g")), seconds(2000));
        live.decide(reportStarted(run4, "prepare", 1, EXECUTOR), seconds(2001));
        // both deadlines are due (fired by hand: train.3 must keep its timers for the checks below)
        live.decide(RerunFixtures.checkRunDeadline(run4), seconds(2010));
        live.decide(RerunFixtures.checkTaskDeadline(run4, "prepare"), seconds(2010)); // alerts; still running
        live.decide(reportFailed(run4, "prepare", 1, EXECUTOR, "boom", 1), seconds(2011)); // run 4 failed
        live.decide(RerunFixtures.clear(run4, "prepare", false), seconds(2012)); // reopened, prepare attempt 2
        live.decide(RerunFixtures.mark(run4, "prepare", TaskStatus.SUCCEEDED), seconds(2013)); // train dispatched
        live.decide(reportStarted(run4, "train", 1, EXECUTOR), seconds(2014));
        live.decide(reportSucceeded(run4, "train", 1, EXECUTOR), seconds(2015)); // run 4 succeeded

        SchedulerState replayed = fold(live.log);

        assertThat(StateView.of(replayed)).isEqualTo(StateView.of(live.state));
        // the story is the one intended, and it exercised every applier
        assertThat(live.state.activeRun(run1)).isEmpty();
        assertThat(live.state.activeRun(run2)).isEmpty();
        assertThat(live.state.activeRun("train.3").orElseThrow().revision()).isEqualTo(2);
        assertThat(live.log).filteredOn(e -> e instanceof SchedulerEvent.RunFinished)
                .extracting(e -> ((SchedulerEvent.RunFinished) e).status())
                .containsExactly(RunStatus.FAILED, RunStatus.CANCELED, RunStatus.FAILED, RunStatus.SUCCEEDED);
        Set<Class<?>> kinds = new java.util.HashSet<>(live.log.stream().map(Object::getClass).toList());
        kinds.addAll(SensorTest.REPLAYED_IN_SENSOR_STORY); // sensors replay in a story of their own
        // asset events need asset triggers and outlets: AssetTriggeringTest replays them
        assertThat(kinds).containsAll(EventApplierCoverageTest.eventClasses().stream()
                .filter(c -> !AssetTriggeringTest.REPLAYED.contains(c))
                .filter(c -> !LimitsReplayTest.REPLAYED.contains(c)) // pools and run slots: LimitsReplayTest
                // schedules, pause, queues and backfills have their story in SchedulingReplayTest
                .filter(c -> !SchedulerEvent.SchedulingEvent.class.isAssignableFrom(c))
                .toList());
    }

    @Test
    void attempts_lost_in_the_queue_replay_to_the_state_the_live_decisions_left() {
        PipelineSpec spec = pipeline(
                withRetry(onQueue(task("fit"), "gpu"), new RetryPolicy(1, Duration.ofSeconds(5), 2.0,
                        Duration.ofMinutes(1), 0.0)),
                task("report", "fit"));
        Live live = new Live();
        live.decide(register(spec, "gpu"), seconds(0));
        live.decide(requestRun(), seconds(0)); // train.1: fit dispatched to gpu, where no executor ever comes
        live.fireTimers(seconds(599));
        assertThat(live.log).noneMatch(e -> e instanceof SchedulerEvent.TaskLost);
        live.fireTimers(seconds(600)); // start deadline: lost, retry due at 605
        live.decide(reportStarted("train.1", "fit", 1, EXECUTOR), seconds(601)); // the abandoned attempt: fenced
        live.fireTimers(seconds(605)); // attempt 2 dispatched, with a deadline of its own
        live.fireTimers(seconds(1205)); // lost again, no retries left: the run fails

        assertThat(StateView.of(fold(live.log))).isEqualTo(StateView.of(live.state));
        assertThat(live.log).filteredOn(e -> e instanceof SchedulerEvent.TaskLost)
                .extracting(e -> ((SchedulerEvent.TaskLost) e).attempt(), e -> ((SchedulerEvent.TaskLost) e).executorId())
                .containsExactly(tuple(1, null), tuple(2, null));
        assertThat(live.log).filteredOn(e -> e instanceof SchedulerEvent.CommandRejected)
                .extracting(e -> ((SchedulerEvent.CommandRejected) e).code())
                .containsExactly(RejectionCode.STALE_ATTEMPT);
        assertThat(live.log).filteredOn(e -> e instanceof SchedulerEvent.TaskFailedFinally)
                .extracting(e -> ((SchedulerEvent.TaskFailedFinally) e).reason())
                .singleElement().asString().startsWith("not started within 10m: no executor took it from queue `gpu`");
        assertThat(live.log).last().isEqualTo(new SchedulerEvent.RunFinished(SchedulerFixtures.PIPELINE, "train.1",
                RunStatus.FAILED, "task(s) failed: fit", seconds(1205)));
    }

    @Test
    void replaying_the_log_twice_gives_equal_states() {
        Live live = new Live();
        live.decide(register(V1, "v1"), seconds(0));
        live.decide(requestRun(null, map("dataset", "s3://d")), seconds(0));
        live.decide(reportStarted("train.1", "prepare", 1, EXECUTOR), seconds(1));

        assertThat(StateView.of(fold(live.log))).isEqualTo(StateView.of(fold(live.log)));
    }
}
