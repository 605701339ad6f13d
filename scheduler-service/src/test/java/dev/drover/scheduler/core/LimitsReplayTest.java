package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.drover.scheduler.core.LimitFixtures.POOL;
import static dev.drover.scheduler.core.LimitFixtures.definePool;
import static dev.drover.scheduler.core.LimitFixtures.inPool;
import static dev.drover.scheduler.core.LimitFixtures.limited;
import static dev.drover.scheduler.core.LimitFixtures.priority;
import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.USER;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queued tasks, pools and their messages leave states that a replay of the log rebuilds exactly, in every partition
 * (pipelines' and pools').
 */
class LimitsReplayTest {
    /** The event kinds this story replays (the general ReplayTest story has no pools or run slots). */
    static final java.util.Set<Class<?>> REPLAYED = java.util.Set.of(SchedulerEvent.TaskQueued.class,
            SchedulerEvent.TaskAwaitingPool.class, SchedulerEvent.PoolDefined.class,
            SchedulerEvent.PoolSlotQueued.class, SchedulerEvent.PoolSlotGranted.class,
            SchedulerEvent.PoolSlotReleased.class);

    @Test
    void folding_each_partitions_log_gives_the_state_the_live_decisions_left() {
        PipelineSpec spec = limited(2, inPool(POOL, task("a")), inPool(POOL, priority(3, task("b"))), task("c"),
                task("d", "a", "b", "c"));
        Map<String, SchedulerState> live = new HashMap<>();
        Map<String, List<SchedulerEvent>> logs = new HashMap<>();
        ArrayDeque<SchedulerCommand> commands = new ArrayDeque<>(List.of(definePool(POOL, 1),
                new SchedulerCommand.RegisterPipeline("r", PIPELINE, spec, "h", USER),
                new SchedulerCommand.RequestRun("q1", PIPELINE, "train.1", Map.of(), "manual", USER),
                new SchedulerCommand.RequestRun("q2", PIPELINE, "train.2", Map.of(), "manual", USER)));
        SchedulerDecider decider = new SchedulerDecider(SchedulerSettings.defaults());
        long t = 0;
        List<SchedulerEvent.TaskDispatched> out = new ArrayList<>();
        while (!commands.isEmpty() && t < 1000) {
            SchedulerCommand c = commands.poll();
            SchedulerState state = live.computeIfAbsent(c.pipelineId(), k -> new SchedulerState());
            Decision d = decider.decide(state, c, seconds(++t));
            commands.addAll(PoolProtocol.outgoing(state, c, d.events()));
            for (SchedulerEvent e : d.events()) {
                state.apply(e);
                logs.computeIfAbsent(c.pipelineId(), k -> new ArrayList<>()).add(e);
                if (e instanceof SchedulerEvent.TaskDispatched x) {
                    // every dispatched attempt starts and succeeds, freeing its slots
                    out.add(x);
                    commands.add(new SchedulerCommand.ReportTaskStarted("s" + t, PIPELINE, x.runId(), x.taskId(),
                            x.attempt(), EXECUTOR));
                    commands.add(new SchedulerCommand.ReportTaskSucceeded("ok" + t, PIPELINE, x.runId(), x.taskId(),
                            x.attempt(), EXECUTOR, Map.of()));
                }
            }
        }
        assertThat(out).hasSize(8);
        assertThat(live.get(PIPELINE).activeRuns()).as("both runs finished").isEmpty();
        assertThat(live.get("pool:gpu").pool(POOL).orElseThrow().holders()).isEmpty();
        assertThat(logs.get("pool:gpu")).filteredOn(e -> e instanceof SchedulerEvent.PoolSlotQueued).isNotEmpty();
        assertThat(logs.get(PIPELINE)).filteredOn(e -> e instanceof SchedulerEvent.TaskQueued).isNotEmpty();
        java.util.Set<Class<?>> kinds = new java.util.HashSet<>();
        logs.values().forEach(l -> l.forEach(e -> kinds.add(e.getClass())));
        assertThat(kinds).containsAll(REPLAYED);
        for (String key : live.keySet()) {
            SchedulerState replayed = new SchedulerState();
            logs.get(key).forEach(replayed::apply);
            assertThat(StateView.of(replayed)).as("partition %s", key).isEqualTo(StateView.of(live.get(key)));
        }
    }

    @Test
    void a_state_mid_way_replays_identically() {
        PipelineSpec spec = limited(1, inPool(POOL, task("a")), task("b"));
        List<SchedulerEvent> runLog = List.of(
                SchedulerFixtures.registered(spec), SchedulerFixtures.runStarted("train.1"),
                LimitFixtures.awaitingPool("train.1", "a", 1, POOL, 0), LimitFixtures.queued("train.1", "b", 1, 1));
        SchedulerState a = new SchedulerState();
        SchedulerState b = new SchedulerState();
        runLog.forEach(a::apply);
        runLog.forEach(b::apply);
        assertThat(StateView.of(a)).isEqualTo(StateView.of(b));
        assertThat(a.activeRun("train.1").orElseThrow().tasks().get("a").awaitingPool()).isEqualTo(POOL);
        assertThat(a.activeRun("train.1").orElseThrow().tasks().get("b").awaitingPool()).isNull();
    }
}
