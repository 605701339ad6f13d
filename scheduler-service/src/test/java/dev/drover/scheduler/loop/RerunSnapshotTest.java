package dev.drover.scheduler.loop;

import dev.drover.scheduler.core.DueTimer;
import dev.drover.scheduler.core.RunState;
import dev.drover.scheduler.core.RunStatus;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.core.SchedulerSettings;
import dev.drover.scheduler.core.SchedulerState;
import dev.drover.scheduler.core.TaskState;
import dev.drover.scheduler.core.TaskStatus;
import dev.drover.scheduler.pipeline.ParseResult;
import dev.drover.scheduler.pipeline.PipelineSpecParser;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a snapshot must keep for reruns and deadlines: finished runs, retry bases, deadline timers and flags. */
class RerunSnapshotTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    static SchedulerState state(int keep) {
        ParseResult parsed = PipelineSpecParser.parse("""
                id: late
                deadline: 1h
                tasks:
                  - {id: a, type: noop, deadline: 10m}
                  - {id: b, type: noop, dependsOn: [a]}
                """);
        assertThat(parsed.ok()).as("%s", parsed).isTrue();
        SchedulerState state = new SchedulerState(keep);
        List<SchedulerEvent> events = List.of(
                new SchedulerEvent.PipelineRegistered("late", 1, parsed.spec(), parsed.hash(), "test", T0),
                new SchedulerEvent.RunStarted("late", "late.1", 1, Map.of(), "manual", "test", T0),
                new SchedulerEvent.TaskDispatched("late", "late.1", "a", 1, "noop", "default", Map.of(), 1000, T0),
                new SchedulerEvent.TaskFailed("late", "late.1", "a", 1, "boom", 1, T0.plusSeconds(1)),
                new SchedulerEvent.TaskFailedFinally("late", "late.1", "a", 1, "boom"),
                new SchedulerEvent.TaskUpstreamFailed("late", "late.1", "b", "a"),
                new SchedulerEvent.RunFinished("late", "late.1", RunStatus.FAILED, "a failed", T0.plusSeconds(1)),
                new SchedulerEvent.RunStarted("late", "late.2", 1, Map.of(), "manual", "test", T0.plusSeconds(2)),
                new SchedulerEvent.TaskDispatched("late", "late.2", "a", 1, "noop", "default", Map.of(), 1000,
                        T0.plusSeconds(2)),
                new SchedulerEvent.TaskDeadlineMissed("late", "late.2", "a", 600_000, T0.plusSeconds(602)),
                new SchedulerEvent.RunStarted("late", "late.3", 1, Map.of(), "manual", "test", T0.plusSeconds(3)),
                new SchedulerEvent.TaskDispatched("late", "late.3", "a", 1, "noop", "default", Map.of(), 1000,
                        T0.plusSeconds(3)),
                new SchedulerEvent.TaskFailed("late", "late.3", "a", 1, "boom", 1, T0.plusSeconds(4)),
                new SchedulerEvent.TaskFailedFinally("late", "late.3", "a", 1, "boom"),
                new SchedulerEvent.TaskUpstreamFailed("late", "late.3", "b", "a"),
                new SchedulerEvent.RunFinished("late", "late.3", RunStatus.FAILED, "a failed", T0.plusSeconds(4)),
                new SchedulerEvent.RunReopened("late", "late.3", "alice", T0.plusSeconds(5)),
                new SchedulerEvent.TasksCleared("late", "late.3", List.of("a", "b"), false, "alice",
                        T0.plusSeconds(5)),
                new SchedulerEvent.TaskDispatched("late", "late.3", "a", 2, "noop", "default", Map.of(), 1000,
                        T0.plusSeconds(5)));
        events.forEach(state::apply);
        return state;
    }

    static List<DueTimer> timers(SchedulerState state, String runId) {
        RunState run = state.activeRun(runId).orElseThrow();
        return DueTimer.of(run, state.revisionOf(run), SchedulerSettings.defaults());
    }

    @Test
    void aRestoredStateHasTheSameFinishedRunsRetryBasesAndDeadlineTimers() {
        SchedulerState live = state(5);

        SchedulerState restored = SnapshotCodec.decode(SnapshotCodec.encode(0, 99, live), 5).state();

        assertThat(restored.finishedRuns()).extracting(RunState::runId).containsExactly("late.1");
        RunState finished = restored.finishedRun("late", "late.1").orElseThrow();
        assertThat(finished.status()).isEqualTo(RunStatus.FAILED);
        assertThat(finished.tasks().get("b").status()).isEqualTo(TaskStatus.UPSTREAM_FAILED);
        for (String run : List.of("late.2", "late.3")) {
            assertThat(timers(restored, run)).containsExactlyInAnyOrderElementsOf(timers(live, run));
            assertThat(restored.activeRun(run).orElseThrow().deadlineSettled())
                    .isEqualTo(live.activeRun(run).orElseThrow().deadlineSettled());
        }
        TaskState a3 = restored.activeRun("late.3").orElseThrow().tasks().get("a");
        assertThat(a3.attemptBase()).isEqualTo(1);
        assertThat(a3.firstDispatchedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(timers(restored, "late.3")).contains(new DueTimer(T0.plusSeconds(5).plus(Duration.ofMinutes(10)),
                DueTimer.Kind.TASK_DEADLINE, "late", "late.3", "a", 0));
        // late.2 raised its task alert already, so only its run deadline is left; late.3 was reopened: none
        assertThat(timers(restored, "late.2")).filteredOn(t -> t.kind() == DueTimer.Kind.TASK_DEADLINE).isEmpty();
        assertThat(timers(restored, "late.2")).contains(new DueTimer(T0.plusSeconds(2).plus(Duration.ofHours(1)),
                DueTimer.Kind.RUN_DEADLINE, "late", "late.2", "", 0));
        assertThat(timers(restored, "late.3")).noneMatch(t -> t.kind() == DueTimer.Kind.RUN_DEADLINE);
    }

    @Test
    void aSmallerLimitOnRestoreKeepsOnlyTheNewestFinishedRuns() {
        SchedulerState live = state(5);
        live.apply(new SchedulerEvent.TaskCanceled("late", "late.2", "a", 1));
        live.apply(new SchedulerEvent.TaskCanceled("late", "late.2", "b", 0));
        live.apply(new SchedulerEvent.RunFinished("late", "late.2", RunStatus.CANCELED, "stop", T0.plusSeconds(9)));

        SchedulerState restored = SnapshotCodec.decode(SnapshotCodec.encode(0, 99, live), 1).state();

        assertThat(restored.finishedRuns()).extracting(RunState::runId).containsExactly("late.2");
    }
}
