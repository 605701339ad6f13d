package dev.drover.scheduler.loop;

import dev.drover.scheduler.core.DueTimer;
import dev.drover.scheduler.core.RunState;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerDecider;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.core.SchedulerSettings;
import dev.drover.scheduler.core.SchedulerState;
import dev.drover.scheduler.core.TaskState;
import dev.drover.scheduler.core.TaskStatus;
import dev.drover.scheduler.pipeline.ParseResult;
import dev.drover.scheduler.pipeline.PipelineSpecParser;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A snapshot keeps a mapped task's elements and its instances, so a restored scheduler carries on identically. */
class MappedTaskSnapshotTest {
    static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    static final String RUN = "fan.1";
    static final SchedulerDecider DECIDER = new SchedulerDecider(SchedulerSettings.defaults());

    /** Three instances over mixed elements: one succeeded, one running, one waiting for its retry. */
    static List<SchedulerEvent> story() {
        ParseResult parsed = PipelineSpecParser.parse("""
                id: fan
                tasks:
                  - id: each
                    type: shell
                    mapOver: "['a', 2, {'k': 'v'}]"
                    command: echo {{ map.index }} {{ map.item }}
                    retries: {count: 1, initialDelay: 10s, jitter: 0}
                  - {id: after, type: noop, dependsOn: [each]}
                """);
        assertThat(parsed.problems()).isEmpty();
        SchedulerState state = new SchedulerState();
        List<SchedulerEvent> log = new ArrayList<>();
        decide(state, log, new SchedulerCommand.RegisterPipeline("c1", "fan", parsed.spec(), parsed.hash(), "t"), T0);
        decide(state, log, new SchedulerCommand.RequestRun("c2", "fan", RUN, Map.of(), "manual", "t"), T0);
        for (int i = 0; i < 3; i++) {
            decide(state, log, new SchedulerCommand.ReportTaskStarted("s" + i, "fan", RUN, "each[" + i + "]", 1, "x"),
                    T0.plusSeconds(1));
        }
        decide(state, log, new SchedulerCommand.ReportTaskSucceeded("ok0", "fan", RUN, "each[0]", 1, "x",
                Map.of("n", 1L)), T0.plusSeconds(2));
        decide(state, log, new SchedulerCommand.ReportTaskFailed("f2", "fan", RUN, "each[2]", 1, "x", "boom", 1),
                T0.plusSeconds(3));
        return log;
    }

    static void decide(SchedulerState state, List<SchedulerEvent> log, SchedulerCommand c, Instant now) {
        List<SchedulerEvent> events = DECIDER.decide(state, c, now).events();
        events.forEach(state::apply);
        log.addAll(events);
    }

    static SchedulerState fold(List<SchedulerEvent> log) {
        SchedulerState s = new SchedulerState();
        log.forEach(s::apply);
        return s;
    }

    @Test
    void aSnapshotKeepsTheElementsAndEveryInstance() {
        SchedulerState live = fold(story());

        SchedulerState restored = SnapshotCodec.decode(SnapshotCodec.encode(0, 99, live)).state();

        RunState before = live.activeRun(RUN).orElseThrow();
        RunState after = restored.activeRun(RUN).orElseThrow();
        assertThat(after.tasks().keySet()).containsExactly("each", "after", "each[0]", "each[1]", "each[2]")
                .containsExactlyElementsOf(before.tasks().keySet());
        assertThat(after.tasks().get("each").status()).isEqualTo(TaskStatus.MAPPED);
        assertThat(after.tasks().get("each").mapItems()).isEqualTo(List.of("a", 2L, Map.of("k", "v")))
                .isEqualTo(before.tasks().get("each").mapItems());
        assertThat(after.tasks().get("each[0]").outputs()).isEqualTo(Map.of("n", 1L));
        assertThat(after.tasks().values()).extracting(TaskState::taskId, TaskState::status, TaskState::attempt,
                TaskState::retryAt).containsExactlyElementsOf(before.tasks().values().stream()
                .map(t -> org.assertj.core.groups.Tuple.tuple(t.taskId(), t.status(), t.attempt(), t.retryAt()))
                .toList());
        assertThat(after.tasks().get("after").mapItems()).isNull();
        assertThat(DueTimer.of(after, restored.revisionOf(after), SchedulerSettings.defaults()))
                .containsExactlyInAnyOrderElementsOf(DueTimer.of(before, live.revisionOf(before),
                        SchedulerSettings.defaults()));
    }

    @Test
    void aRestoredSchedulerDispatchesAnInstanceRetryWithItsElementAsTheLiveOneWould() {
        SchedulerState live = fold(story());
        SchedulerState restored = SnapshotCodec.decode(SnapshotCodec.encode(0, 99, live)).state();
        SchedulerCommand retry = new SchedulerCommand.DispatchRetry("r", "fan", RUN, "each[2]", 2);

        List<SchedulerEvent> fromRestored = DECIDER.decide(restored, retry, T0.plusSeconds(13)).events();

        assertThat(fromRestored).isEqualTo(DECIDER.decide(live, retry, T0.plusSeconds(13)).events());
        assertThat(fromRestored).singleElement().isInstanceOfSatisfying(SchedulerEvent.TaskDispatched.class,
                d -> assertThat(d.config()).containsEntry("command", "echo 2 {k=v}"));
    }
}
