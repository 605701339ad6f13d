package dev.drover.scheduler.loop;

import dev.drover.scheduler.core.DueTimer;
import dev.drover.scheduler.core.PipelineScheduling;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.core.SchedulerState;
import dev.drover.scheduler.pipeline.ParseResult;
import dev.drover.scheduler.pipeline.PipelineSpecParser;
import dev.drover.scheduler.schedule.DataInterval;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots keep each pipeline's schedule cursor, pause, run queue and backfills, and runs' data intervals. */
class SchedulingSnapshotTest {
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    static SchedulerState state() {
        ParseResult parsed = PipelineSpecParser.parse("""
                id: snap
                schedule: {cron: "@daily", timezone: Europe/Berlin}
                maxActiveRuns: 1
                tasks: [{id: a, type: noop}]
                """);
        DataInterval day = new DataInterval(T0, T0.plusSeconds(86_400));
        SchedulerState state = new SchedulerState();
        List.of(new SchedulerEvent.PipelineRegistered("snap", 1, parsed.spec(), parsed.hash(), "test", T0),
                new SchedulerEvent.RunStarted("snap", "snap.2026-11-01T00-00Z", 1, Map.of(), "schedule", "scheduler",
                        T0.plusSeconds(86_400), day, null),
                new SchedulerEvent.RunQueued("snap", "snap.9", 1, Map.of("x", 1L), "api", "bob", null, "full",
                        T0.plusSeconds(90_000)),
                new SchedulerEvent.BackfillRequested("snap", "snap.backfill-1", T0.minusSeconds(864_000), T0, 2,
                        Map.of(), 1, T0.minusSeconds(864_000), 10, "bob", T0.plusSeconds(90_001)),
                new SchedulerEvent.PipelinePaused("snap", "maintenance", "bob", T0.plusSeconds(90_002)))
                .forEach(state::apply);
        return state;
    }

    @Test
    void theSchedulingStateSurvivesASnapshot() {
        SchedulerState live = state();
        byte[] bytes = SnapshotCodec.encode(0, 7, live);

        SchedulerState restored = SnapshotCodec.decode(bytes).state();

        PipelineScheduling s = restored.scheduling("snap");
        assertThat(s.paused()).isTrue();
        assertThat(s.pausedBy()).isEqualTo("bob");
        assertThat(s.cursor()).isEqualTo(T0.plusSeconds(86_400));
        assertThat(s.scheduledSince()).isEqualTo(T0);
        assertThat(s.queue()).isEqualTo(live.scheduling("snap").queue());
        assertThat(s.activeRunIds()).containsExactly("snap.2026-11-01T00-00Z");
        assertThat(s.backfills()).singleElement().satisfies(b -> {
            assertThat(b.request()).isEqualTo(live.scheduling("snap").backfills().get(0).request());
            assertThat(b.next()).isEqualTo(T0.minusSeconds(864_000));
        });
        assertThat(s.backfillsRequested()).isEqualTo(1);
        assertThat(restored.activeRun("snap.2026-11-01T00-00Z").orElseThrow().interval())
                .isEqualTo(new DataInterval(T0, T0.plusSeconds(86_400)));
        assertThat(DueTimer.ofPipeline(restored, "snap")).isEqualTo(DueTimer.ofPipeline(live, "snap")).isPresent();
        assertThat(SnapshotCodec.encode(0, 7, restored)).as("a restored state snapshots to the same bytes")
                .isEqualTo(bytes);
    }
}
