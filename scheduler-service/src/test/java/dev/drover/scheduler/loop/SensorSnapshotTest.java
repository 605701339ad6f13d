package dev.drover.scheduler.loop;

import dev.drover.scheduler.core.DueTimer;
import dev.drover.scheduler.core.RunState;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.core.SchedulerSettings;
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

/** A snapshot keeps a sensor's poke number, its waiting start and its next poke, so its timers survive a restart. */
class SensorSnapshotTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final String RUN = "sense.1";

    static SchedulerState state() {
        ParseResult parsed = PipelineSpecParser.parse("""
                id: sense
                tasks:
                  - {id: file, type: wait_for_file, path: /data/x.csv, pokeInterval: 1m, timeout: 10m}
                  - {id: clock, type: wait_for_time, delay: 1h, timeout: 2h}
                """);
        assertThat(parsed.problems()).isEmpty();
        SchedulerState state = new SchedulerState();
        List.of(new SchedulerEvent.PipelineRegistered("sense", 1, parsed.spec(), parsed.hash(), "test", T0),
                new SchedulerEvent.RunStarted("sense", RUN, 1, Map.of(), "manual", "test", T0),
                new SchedulerEvent.TaskDispatched("sense", RUN, "file", 1, "wait_for_file", "default",
                        Map.of("path", "/data/x.csv"), 600_000, T0, 1),
                new SchedulerEvent.TaskStarted("sense", RUN, "file", 1, "exec", T0.plusSeconds(16),
                        T0.plusSeconds(601), T0.plusSeconds(1)),
                new SchedulerEvent.TaskRescheduled("sense", RUN, "file", 1, 1, "no file", T0.plusSeconds(62),
                        T0.plusSeconds(2)),
                new SchedulerEvent.TaskRescheduled("sense", RUN, "clock", 1, 0, "waiting", T0.plusSeconds(3600), T0))
                .forEach(state::apply);
        return state;
    }

    static List<DueTimer> timers(SchedulerState state) {
        RunState run = state.activeRun(RUN).orElseThrow();
        return DueTimer.of(run, state.revisionOf(run), SchedulerSettings.defaults());
    }

    @Test
    void aSensorWaitingForItsNextPokeKeepsItsProgressAndTimerAcrossASnapshot() {
        SchedulerState live = state();

        SchedulerState restored = SnapshotCodec.decode(SnapshotCodec.encode(0, 7, live)).state();

        TaskState file = restored.activeRun(RUN).orElseThrow().tasks().get("file");
        assertThat(file.status()).isEqualTo(TaskStatus.UP_FOR_RESCHEDULE);
        assertThat(file.poke()).isEqualTo(1);
        assertThat(file.waitingSince()).isEqualTo(T0);
        assertThat(file.rescheduleAt()).isEqualTo(T0.plusSeconds(62));
        assertThat(restored.activeRun(RUN).orElseThrow().tasks().get("clock").waitingSince()).isEqualTo(T0);
        assertThat(timers(restored)).containsExactlyInAnyOrderElementsOf(timers(live)).containsExactlyInAnyOrder(
                new DueTimer(T0.plusSeconds(62), DueTimer.Kind.POKE, "sense", RUN, "file", 1),
                new DueTimer(T0.plusSeconds(3600), DueTimer.Kind.POKE, "sense", RUN, "clock", 1));
    }
}
