package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerCommand.AcquirePoolSlot;
import dev.drover.scheduler.core.SchedulerCommand.DenyPoolSlot;
import dev.drover.scheduler.core.SchedulerCommand.GrantPoolSlot;
import dev.drover.scheduler.core.SchedulerCommand.ReleasePoolSlot;
import dev.drover.scheduler.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.drover.scheduler.core.LimitFixtures.POOL;
import static dev.drover.scheduler.core.LimitFixtures.acquire;
import static dev.drover.scheduler.core.LimitFixtures.awaitingPool;
import static dev.drover.scheduler.core.LimitFixtures.definePool;
import static dev.drover.scheduler.core.LimitFixtures.deny;
import static dev.drover.scheduler.core.LimitFixtures.grant;
import static dev.drover.scheduler.core.LimitFixtures.granted;
import static dev.drover.scheduler.core.LimitFixtures.inPool;
import static dev.drover.scheduler.core.LimitFixtures.limited;
import static dev.drover.scheduler.core.LimitFixtures.poolDefined;
import static dev.drover.scheduler.core.LimitFixtures.poolQueued;
import static dev.drover.scheduler.core.LimitFixtures.priority;
import static dev.drover.scheduler.core.LimitFixtures.queued;
import static dev.drover.scheduler.core.LimitFixtures.release;
import static dev.drover.scheduler.core.LimitFixtures.released;
import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.USER;
import static dev.drover.scheduler.core.SchedulerFixtures.cancelRun;
import static dev.drover.scheduler.core.SchedulerFixtures.canceled;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.failed;
import static dev.drover.scheduler.core.SchedulerFixtures.failedFinally;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.requestRun;
import static dev.drover.scheduler.core.SchedulerFixtures.runFinished;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.succeeded;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pools on the pure core: the pool aggregate (grant, queue by priority then arrival, release, idempotency), the run
 * side (awaiting, grant, denial, cancel) and the messages between them ({@link PoolProtocol}).
 */
class PoolTest {
    static final String OTHER = "score";
    static final PipelineSpec POOLED = pipeline(inPool(POOL, priority(4, task("train"))), task("report", "train"));

    // ---- the pool aggregate -------------------------------------------------------------------------------------

    @Test
    void a_pool_is_defined_and_redefined() {
        given().when(definePool(POOL, 2), T0).then(poolDefined(POOL, 2, T0));
        given(poolDefined(POOL, 2, T0)).when(definePool(POOL, 5), seconds(1)).then(poolDefined(POOL, 5, seconds(1)));
    }

    @Test
    void a_bad_definition_is_refused_with_what_to_change() {
        assertThat(given().when(definePool(POOL, -1), T0).thenRejected(RejectionCode.INVALID_POOL).rejection()
                .message()).contains("slots must be from 0");
        assertThat(given().when(definePool("GPU pool", 1), T0).thenRejected(RejectionCode.INVALID_POOL).rejection()
                .message()).contains("not a valid pool name");
    }

    @Test
    void a_free_slot_is_granted_at_once_and_the_grant_goes_to_the_run() {
        SchedulerScenario s = given(poolDefined(POOL, 1, T0))
                .when(acquire(PIPELINE, RUN, "train", 1, 4), seconds(1))
                .then(granted(PIPELINE, RUN, "train", 1, 4, seconds(1)));
        assertThat(outgoing(s)).singleElement().isEqualTo(new GrantPoolSlot(
                "acquire-" + RUN + "-train-1>grant:" + RUN + "/train/1", PIPELINE, RUN, "train", 1, POOL));
    }

    @Test
    void when_every_slot_is_held_the_request_waits() {
        SchedulerScenario s = given(poolDefined(POOL, 1, T0), granted(OTHER, "score.1", "a", 1, 0, T0))
                .when(acquire(PIPELINE, RUN, "train", 1, 4), seconds(1))
                .then(poolQueued(PIPELINE, RUN, "train", 1, 4, seconds(1)));
        assertThat(outgoing(s)).isEmpty();
    }

    @Test
    void a_released_slot_goes_to_the_highest_priority_then_the_earliest() {
        given(poolDefined(POOL, 1, T0), granted(OTHER, "score.1", "a", 1, 0, T0),
                poolQueued(PIPELINE, "train.1", "x", 1, 1, seconds(1)),
                poolQueued(PIPELINE, "train.2", "x", 1, 7, seconds(2)),
                poolQueued(PIPELINE, "train.3", "x", 1, 7, seconds(3)))
                .when(release(OTHER, "score.1", "a", 1), seconds(4))
                .then(released(OTHER, "score.1", "a", 1, true, "attempt succeeded", seconds(4)),
                        granted(PIPELINE, "train.2", "x", 1, 7, seconds(4)));
    }

    @Test
    void a_bigger_pool_grants_what_waits() {
        given(poolDefined(POOL, 1, T0), granted(OTHER, "score.1", "a", 1, 0, T0),
                poolQueued(PIPELINE, "train.1", "x", 1, 0, seconds(1)),
                poolQueued(PIPELINE, "train.2", "x", 1, 0, seconds(2)))
                .when(definePool(POOL, 3), seconds(5))
                .then(poolDefined(POOL, 3, seconds(5)), granted(PIPELINE, "train.1", "x", 1, 0, seconds(5)),
                        granted(PIPELINE, "train.2", "x", 1, 0, seconds(5)));
    }

    @Test
    void a_smaller_pool_takes_no_slot_back_but_grants_nothing_until_below_its_size() {
        given(poolDefined(POOL, 2, T0), granted(OTHER, "score.1", "a", 1, 0, T0),
                granted(OTHER, "score.1", "b", 1, 0, T0), poolDefined(POOL, 1, seconds(1)),
                poolQueued(PIPELINE, RUN, "x", 1, 0, seconds(2)))
                .when(release(OTHER, "score.1", "a", 1), seconds(3))
                .then(released(OTHER, "score.1", "a", 1, true, "attempt succeeded", seconds(3)));
    }

    @Test
    void repeated_requests_and_releases_decide_nothing() {
        given(poolDefined(POOL, 1, T0), granted(PIPELINE, RUN, "train", 1, 4, T0))
                .when(acquire(PIPELINE, RUN, "train", 1, 4), seconds(1)).thenNothing();
        given(poolDefined(POOL, 1, T0), granted(OTHER, "score.1", "a", 1, 0, T0),
                poolQueued(PIPELINE, RUN, "train", 1, 4, T0))
                .when(acquire(PIPELINE, RUN, "train", 1, 4), seconds(1)).thenNothing();
        given(poolDefined(POOL, 1, T0))
                .when(release(PIPELINE, RUN, "train", 1), seconds(1)).thenNothing();
    }

    @Test
    void a_withdrawn_request_leaves_the_queue() {
        given(poolDefined(POOL, 1, T0), granted(OTHER, "score.1", "a", 1, 0, T0),
                poolQueued(PIPELINE, RUN, "train", 1, 4, T0))
                .when(release(PIPELINE, RUN, "train", 1), seconds(1))
                .then(released(PIPELINE, RUN, "train", 1, false, "attempt succeeded", seconds(1)));
    }

    @Test
    void an_unknown_pool_denies_the_attempt_naming_the_endpoint_that_creates_it() {
        SchedulerScenario s = given().when(acquire(PIPELINE, RUN, "train", 1, 4), seconds(1));
        String message = s.thenRejected(RejectionCode.UNKNOWN_POOL).rejection().message();
        assertThat(message).contains("pool `gpu` does not exist").contains("PUT /api/v1/pools/gpu");
        assertThat(outgoing(s)).singleElement().isInstanceOfSatisfying(DenyPoolSlot.class, d -> {
            assertThat(d.pipelineId()).isEqualTo(PIPELINE);
            assertThat(d.reason()).isEqualTo(message);
        });
    }

    // ---- the run side ---------------------------------------------------------------------------------------

    @Test
    void a_ready_pooled_task_asks_its_pool_for_a_slot() {
        SchedulerScenario s = given(registered(POOLED)).when(requestRun(), T0)
                .then(runStarted(RUN), awaitingPool(RUN, "train", 1, POOL, 4));
        assertThat(outgoing(s)).singleElement().isEqualTo(new AcquirePoolSlot(
                "request-null>acquire:" + RUN + "/train/1", POOL, PIPELINE, RUN, "train", 1, 4));
        assertThat(outgoing(s).get(0).pipelineId()).as("pool commands are keyed by the pool").isEqualTo("pool:gpu");
    }

    @Test
    void a_grant_dispatches_the_attempt_and_its_end_releases_the_slot() {
        given(registered(POOLED), runStarted(RUN), awaitingPool(RUN, "train", 1, POOL, 4))
                .when(grant(RUN, "train", 1), seconds(1))
                .then(dispatched(RUN, "train", 1, seconds(1)));
        SchedulerScenario s = given(registered(POOLED), runStarted(RUN), awaitingPool(RUN, "train", 1, POOL, 4),
                dispatched(RUN, "train", 1, seconds(1)), started(RUN, "train", 1, EXECUTOR, seconds(2)))
                .when(reportSucceeded(RUN, "train", 1, EXECUTOR), seconds(3))
                .then(succeeded(RUN, "train", 1, seconds(3)), dispatched(RUN, "report", 1, seconds(3)));
        assertThat(outgoing(s)).singleElement().isInstanceOfSatisfying(ReleasePoolSlot.class, r -> {
            assertThat(r.pool()).isEqualTo(POOL);
            assertThat(Pools.holder(r.runId(), r.taskId(), r.attempt())).isEqualTo(RUN + "/train/1");
        });
    }

    @Test
    void a_repeated_grant_decides_nothing_and_gives_nothing_back() {
        SchedulerScenario s = given(registered(POOLED), runStarted(RUN), awaitingPool(RUN, "train", 1, POOL, 4),
                dispatched(RUN, "train", 1, seconds(1)))
                .when(grant(RUN, "train", 1), seconds(2))
                .thenNothing();
        assertThat(outgoing(s)).isEmpty();
    }

    @Test
    void a_denial_fails_the_attempt_with_the_pools_message() {
        String why = "pool `gpu` does not exist; create it with PUT /api/v1/pools/gpu {\"slots\": N}";
        SchedulerScenario s = given(registered(POOLED), runStarted(RUN), awaitingPool(RUN, "train", 1, POOL, 4))
                .when(deny(RUN, "train", 1, why), seconds(1))
                .then(failed(RUN, "train", 1, why, null, seconds(1)), failedFinally(RUN, "train", 1, why),
                        new SchedulerEvent.TaskUpstreamFailed(PIPELINE, RUN, "report", "train"),
                        runFinished(RUN, RunStatus.FAILED, "task(s) failed: train", seconds(1)));
        assertThat(outgoing(s)).as("a denied attempt holds nothing").isEmpty();
    }

    @Test
    void canceling_a_run_withdraws_its_waiting_request() {
        SchedulerScenario s = given(registered(POOLED), runStarted(RUN), awaitingPool(RUN, "train", 1, POOL, 4))
                .when(cancelRun(RUN, "stop"), seconds(1))
                .then(canceled(RUN, "train", 0), canceled(RUN, "report", 0),
                        runFinished(RUN, RunStatus.CANCELED, "stop", seconds(1)));
        assertThat(outgoing(s)).singleElement().isInstanceOfSatisfying(ReleasePoolSlot.class,
                r -> assertThat(r.attempt()).isEqualTo(1));
    }

    @Test
    void a_grant_that_arrives_after_the_run_was_canceled_is_given_back() {
        SchedulerScenario s = given(registered(POOLED), runStarted(RUN), awaitingPool(RUN, "train", 1, POOL, 4),
                canceled(RUN, "train", 0), canceled(RUN, "report", 0),
                runFinished(RUN, RunStatus.CANCELED, "stop", seconds(1)))
                .when(grant(RUN, "train", 1), seconds(2))
                .thenNothing();
        assertThat(outgoing(s)).singleElement().isInstanceOfSatisfying(ReleasePoolSlot.class, r -> {
            assertThat(r.pool()).isEqualTo(POOL);
            assertThat(r.attempt()).isEqualTo(1);
            assertThat(r.pipelineId()).isEqualTo("pool:gpu");
        });
    }

    @Test
    void a_task_waiting_for_its_pool_holds_one_of_its_runs_slots() {
        PipelineSpec spec = limited(1, inPool(POOL, task("a")), task("b"));
        given(registered(spec)).when(requestRun(), T0)
                .then(runStarted(RUN), awaitingPool(RUN, "a", 1, POOL, 0), queued(RUN, "b", 1, 1));
    }

    // ---- the whole protocol, two pipelines on different partitions ----------------------------------------------

    @Test
    void two_pipelines_sharing_a_one_slot_pool_never_hold_it_together() {
        PipelineSpec train = pipeline(inPool(POOL, task("a")));
        PipelineSpec score = new PipelineSpec(OTHER, "", java.util.Map.of(), List.of(inPool(POOL, task("a"))));
        Bus bus = new Bus();
        bus.append(definePool(POOL, 1));
        bus.append(new SchedulerCommand.RegisterPipeline("r1", PIPELINE, train, "h1", USER));
        bus.append(new SchedulerCommand.RegisterPipeline("r2", OTHER, score, "h2", USER));
        bus.append(new SchedulerCommand.RequestRun("q1", PIPELINE, RUN, java.util.Map.of(), "manual", USER));
        bus.append(new SchedulerCommand.RequestRun("q2", OTHER, "score.1", java.util.Map.of(), "manual", USER));
        bus.drain();
        assertThat(bus.dispatched()).containsExactly(RUN + "/a");
        bus.append(new SchedulerCommand.ReportTaskStarted("s1", PIPELINE, RUN, "a", 1, EXECUTOR));
        bus.append(new SchedulerCommand.ReportTaskSucceeded("s2", PIPELINE, RUN, "a", 1, EXECUTOR, java.util.Map.of()));
        bus.drain();
        assertThat(bus.dispatched()).containsExactly(RUN + "/a", "score.1/a");
        assertThat(bus.state("pool:gpu").pool(POOL).orElseThrow().holders()).extracting(PoolState.Slot::holder)
                .containsExactly("score.1/a/1");
    }

    private static List<SchedulerCommand> outgoing(SchedulerScenario s) {
        return s.outgoing();
    }

    /** Every key its own partition: decide, send the protocol's messages, apply, until nothing is left. */
    private static final class Bus {
        final java.util.Map<String, SchedulerState> partitions = new java.util.HashMap<>();
        final java.util.ArrayDeque<SchedulerCommand> log = new java.util.ArrayDeque<>();
        final List<String> dispatched = new ArrayList<>();
        final SchedulerDecider decider = new SchedulerDecider(SchedulerSettings.defaults());
        long clock;

        void append(SchedulerCommand c) {
            log.add(c);
        }

        SchedulerState state(String key) {
            return partitions.computeIfAbsent(key, k -> new SchedulerState());
        }

        void drain() {
            while (!log.isEmpty()) {
                SchedulerCommand c = log.poll();
                SchedulerState state = state(c.pipelineId());
                Decision d = decider.decide(state, c, seconds(++clock));
                log.addAll(PoolProtocol.outgoing(state, c, d.events()));
                for (SchedulerEvent e : d.events()) {
                    state.apply(e);
                    if (e instanceof SchedulerEvent.TaskDispatched t) {
                        dispatched.add(t.runId() + "/" + t.taskId());
                    }
                }
                long holders = partitions.getOrDefault("pool:gpu", new SchedulerState()).pool(POOL)
                        .map(p -> p.holders().size()).orElse(0);
                assertThat(holders).as("slots held after %s", c).isLessThanOrEqualTo(1);
            }
        }

        List<String> dispatched() {
            return dispatched;
        }
    }
}
