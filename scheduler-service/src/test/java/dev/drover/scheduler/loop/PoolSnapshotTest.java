package dev.drover.scheduler.loop;

import dev.drover.scheduler.core.PoolState;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.core.SchedulerState;
import dev.drover.scheduler.core.TaskState;
import dev.drover.scheduler.core.TaskStatus;
import dev.drover.scheduler.pipeline.ParseResult;
import dev.drover.scheduler.pipeline.PipelineSpecParser;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots keep pools (holders and the queue in arrival order) and which tasks wait for a pool or a run slot. */
class PoolSnapshotTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    static SchedulerState state() {
        ParseResult parsed = PipelineSpecParser.parse("""
                id: snap
                maxActiveTasks: 1
                tasks:
                  - {id: a, type: noop, pool: gpu, priority: 2}
                  - {id: b, type: noop}
                """);
        SchedulerState state = new SchedulerState();
        List<SchedulerEvent> events = List.of(
                new SchedulerEvent.PipelineRegistered("snap", 1, parsed.spec(), parsed.hash(), "test", T0),
                new SchedulerEvent.RunStarted("snap", "snap.1", 1, Map.of(), "manual", "test", T0),
                new SchedulerEvent.TaskAwaitingPool("snap", "snap.1", "a", 1, "gpu", 2),
                new SchedulerEvent.TaskQueued("snap", "snap.1", "b", 1, "waiting"),
                new SchedulerEvent.PoolDefined("gpu", 1, "A100s", "alice", T0),
                new SchedulerEvent.PoolSlotGranted("gpu", "other", "other.1", "x", 1, 0, T0.plusSeconds(1)),
                new SchedulerEvent.PoolSlotQueued("gpu", "snap", "snap.1", "a", 1, 2, T0.plusSeconds(2)),
                new SchedulerEvent.PoolSlotQueued("gpu", "third", "third.1", "y", 3, 2, T0.plusSeconds(3)));
        events.forEach(state::apply);
        return state;
    }

    @Test
    void poolsAndWaitingTasksSurviveASnapshot() {
        SchedulerState restored = SnapshotCodec.decode(SnapshotCodec.encode(0, 7, state())).state();

        PoolState pool = restored.pool("gpu").orElseThrow();
        assertThat(pool.slots()).isEqualTo(1);
        assertThat(pool.description()).isEqualTo("A100s");
        assertThat(pool.holders()).extracting(PoolState.Slot::holder).containsExactly("other.1/x/1");
        assertThat(pool.queue()).extracting(PoolState.Slot::holder).containsExactly("snap.1/a/1", "third.1/y/3");
        assertThat(pool.queue()).isEqualTo(state().pool("gpu").orElseThrow().queue());
        Map<String, TaskState> tasks = restored.activeRun("snap.1").orElseThrow().tasks();
        assertThat(tasks.get("a").status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(tasks.get("a").awaitingPool()).isEqualTo("gpu");
        assertThat(tasks.get("b").status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(tasks.get("b").awaitingPool()).isNull();
        assertThat(new String(SnapshotCodec.encode(0, 7, restored)))
                .as("a restored state snapshots to the same bytes").isEqualTo(new String(SnapshotCodec.encode(0, 7,
                        state())));
    }
}
