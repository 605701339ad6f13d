package dev.drover.scheduler.loop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.scheduler.core.DueTimer;
import dev.drover.scheduler.core.RunState;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.core.SchedulerSettings;
import dev.drover.scheduler.core.SchedulerState;
import dev.drover.scheduler.core.TaskStatus;
import dev.drover.scheduler.pipeline.ParseResult;
import dev.drover.scheduler.pipeline.PipelineSpecParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a snapshot must keep for the timers of a restored state to be the ones the live state had. */
class SnapshotCodecTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final String RUN = "snap.1";

    /** queued waits for an executor (its own 2m start timeout), running runs, default waits with the default. */
    static SchedulerState state() {
        ParseResult parsed = PipelineSpecParser.parse("""
                id: snap
                tasks:
                  - {id: queued, type: noop, queue: gpu, startTimeout: 2m}
                  - {id: running, type: noop}
                  - {id: waiting, type: noop}
                """);
        SchedulerState state = new SchedulerState();
        List<SchedulerEvent> events = List.of(
                new SchedulerEvent.PipelineRegistered("snap", 1, parsed.spec(), parsed.hash(), "test", T0),
                new SchedulerEvent.RunStarted("snap", RUN, 1, Map.of(), "manual", "test", T0),
                new SchedulerEvent.TaskDispatched("snap", RUN, "queued", 1, "noop", "gpu", Map.of(), 3_600_000,
                        T0.plusSeconds(1)),
                new SchedulerEvent.TaskDispatched("snap", RUN, "running", 1, "noop", "default", Map.of(), 3_600_000,
                        T0.plusSeconds(2)),
                new SchedulerEvent.TaskDispatched("snap", RUN, "waiting", 1, "noop", "default", Map.of(), 3_600_000,
                        T0.plusSeconds(3)),
                new SchedulerEvent.TaskStarted("snap", RUN, "running", 1, "exec", T0.plusSeconds(20),
                        T0.plusSeconds(3605), T0.plusSeconds(5)));
        events.forEach(state::apply);
        return state;
    }

    static List<DueTimer> timers(SchedulerState state) {
        RunState run = state.activeRun(RUN).orElseThrow();
        return DueTimer.of(run, state.revisionOf(run), SchedulerSettings.defaults());
    }

    @Test
    void assetTriggersKeepWhatTheyHaveSeen() {
        ParseResult parsed = PipelineSpecParser.parse("""
                id: consumer
                tasks: [{id: fit, type: noop}]
                triggers: [{assets: {all: [s3://b/a, s3://b/b]}}]
                """);
        SchedulerState state = new SchedulerState();
        List.of(new SchedulerEvent.PipelineRegistered("consumer", 1, parsed.spec(), parsed.hash(), "test", T0),
                new SchedulerEvent.AssetUpdateRecorded("consumer", "s3://b/a", "u2", "p", "p.1", "t", T0, T0),
                new SchedulerEvent.AssetUpdateRecorded("consumer", "s3://b/a", "u1", null, null, null, T0, T0),
                new SchedulerEvent.AssetUpdateRecorded("consumer", "s3://b/z", "u3", null, null, null, T0, T0))
                .forEach(state::apply);

        SchedulerState restored = SnapshotCodec.decode(SnapshotCodec.encode(0, 7, state)).state();

        var before = state.pipelineState("consumer").orElseThrow().assets();
        var after = restored.pipelineState("consumer").orElseThrow().assets();
        assertThat(after.pending()).isEqualTo(before.pending()).hasSize(1);
        assertThat(after.recent()).containsExactly("u2", "u1", "u3");
        assertThat(after.seen("u3")).isTrue();
    }

    @Test
    void queuedAttemptsKeepTheirDispatchTimeAndSoTheirStartDeadlines() {
        SchedulerState live = state();

        SchedulerState restored = SnapshotCodec.decode(SnapshotCodec.encode(0, 41, live)).state();

        assertThat(restored.activeRun(RUN).orElseThrow().tasks().get("queued").dispatchedAt())
                .isEqualTo(T0.plusSeconds(1));
        assertThat(timers(restored)).containsExactlyInAnyOrderElementsOf(timers(live))
                .contains(new DueTimer(T0.plusSeconds(1).plus(Duration.ofMinutes(2)), DueTimer.Kind.START, "snap", RUN,
                                "queued", 1),
                        new DueTimer(T0.plusSeconds(3).plus(SchedulerSettings.DEFAULT_START_TIMEOUT),
                                DueTimer.Kind.START, "snap", RUN, "waiting", 1));
    }

    @Test
    void aSnapshotFromBeforeStartDeadlinesStillLoadsAndItsQueuedAttemptsWaitAsBefore() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode old = (ObjectNode) json.readTree(SnapshotCodec.encode(0, 41, state()));
        old.withArray("runs").forEach(run -> run.withArray("tasks")
                .forEach(task -> ((ObjectNode) task).remove("dispatchedAt")));

        SchedulerState restored = SnapshotCodec.decode(json.writeValueAsBytes(old)).state();

        RunState run = restored.activeRun(RUN).orElseThrow();
        assertThat(run.tasks().get("queued").status()).isEqualTo(TaskStatus.DISPATCHED);
        assertThat(run.tasks().get("queued").dispatchedAt()).isNull();
        assertThat(timers(restored)).noneMatch(t -> t.kind() == DueTimer.Kind.START)
                .anyMatch(t -> t.kind() == DueTimer.Kind.LEASE && t.taskId().equals("running"));
    }
}
