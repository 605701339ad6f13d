package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.core.SchedulerEvent.PipelineRegistered;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.core.SchedulerEvent.TaskCanceled;
import dev.drover.scheduler.core.SchedulerEvent.TaskDispatched;
import dev.drover.scheduler.core.SchedulerEvent.TaskFailed;
import dev.drover.scheduler.core.SchedulerEvent.TaskFailedFinally;
import dev.drover.scheduler.core.SchedulerEvent.TaskLeaseRenewed;
import dev.drover.scheduler.core.SchedulerEvent.TaskLost;
import dev.drover.scheduler.core.SchedulerEvent.TaskRetryScheduled;
import dev.drover.scheduler.core.SchedulerEvent.TaskStarted;
import dev.drover.scheduler.core.SchedulerEvent.TaskSucceeded;
import dev.drover.scheduler.core.SchedulerEvent.TaskTimedOut;
import dev.drover.scheduler.core.SchedulerEvent.TaskUpstreamFailed;
import dev.drover.scheduler.pipeline.PipelineSpec;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.USER;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Every event the scheduler can log has an applier: adding an event to {@link SchedulerEvent} without teaching
 * {@link SchedulerState#apply} about it fails here (first because this test has no example of it, then because
 * applying the example fails or changes nothing).
 */
class EventApplierCoverageTest {
    static final PipelineSpec SPEC = pipeline(task("a"), task("b", "a"));

    /** A run whose task a is running on {@link SchedulerFixtures#EXECUTOR}, b waiting for it. */
    static List<SchedulerEvent> background() {
        return List.of(registered(SPEC), runStarted(RUN), dispatched(RUN, "a", 1, T0),
                started(RUN, "a", 1, EXECUTOR, T0),
                // a finished run the state keeps, for RunReopened
                runStarted("train.0"), new RunFinished(PIPELINE, "train.0", RunStatus.FAILED, "failed", T0),
                // a paused pipeline with a backfill, so that resuming, skipping and finishing change something
                new SchedulerEvent.PipelinePaused(PIPELINE, "background", "bob", T0),
                new SchedulerEvent.BackfillRequested(PIPELINE, "train.backfill-1", T0, seconds(86_400 * 3), 2,
                        Map.of(), 1, T0, 3, "bob", T0));
    }

    /** One example of every event, each valid on top of {@link #background()}. */
    static final Map<Class<?>, SchedulerEvent> EXAMPLES = examples(
            new PipelineRegistered(PIPELINE, 2, pipeline(task("a")), "hash-2", "bob", seconds(1)),
            new RunStarted(PIPELINE, "train.2", 1, Map.of("x", 1L), "api", "bob", seconds(1)),
            new TaskDispatched(PIPELINE, RUN, "b", 1, "shell", "default", Map.of("command", "true"), 1000, seconds(1)),
            new TaskStarted(PIPELINE, RUN, "a", 1, "exec-9", seconds(16), seconds(601), seconds(1)),
            new TaskLeaseRenewed(PIPELINE, RUN, "a", 1, seconds(20)),
            new TaskSucceeded(PIPELINE, RUN, "a", 1, Map.of("k", "v"), seconds(1)),
            new TaskFailed(PIPELINE, RUN, "a", 1, "boom", 1, seconds(1)),
            new TaskTimedOut(PIPELINE, RUN, "a", 1, seconds(1)),
            new TaskLost(PIPELINE, RUN, "a", 1, EXECUTOR, seconds(1)),
            new TaskRetryScheduled(PIPELINE, RUN, "a", 2, seconds(30)),
            new TaskFailedFinally(PIPELINE, RUN, "a", 1, "boom"),
            new TaskUpstreamFailed(PIPELINE, RUN, "b", "a"),
            new TaskCanceled(PIPELINE, RUN, "a", 1),
            new SchedulerEvent.TaskSkipped(PIPELINE, RUN, "b", "when was false"),
            new SchedulerEvent.TaskRescheduled(PIPELINE, RUN, "a", 1, 1, "no file yet", seconds(31), seconds(1)),
            new SchedulerEvent.TaskExpanded(PIPELINE, RUN, "b", List.of("x", "y")),
            new RunFinished(PIPELINE, RUN, RunStatus.CANCELED, "stop", seconds(1)),
            new CommandRejected(PIPELINE, "c-1", RejectionCode.UNKNOWN_RUN, "no such run"),
            new SchedulerEvent.AssetUpdated(PIPELINE, RUN, "a", "s3://b/k", RUN + "/a/1/s3://b/k", Map.of(),
                    seconds(1)),
            new SchedulerEvent.AssetUpdateRecorded(PIPELINE, "s3://b/k", "u-1", "other", "other.1", "t", T0,
                    seconds(1)),
            new SchedulerEvent.AssetRunTriggered(PIPELINE, "train.asset-1", "any:[s3://b/k]",
                    List.of(new AssetRef("s3://b/k", "u-1"))),
            new SchedulerEvent.TasksCleared(PIPELINE, RUN, List.of("a"), false, "bob", seconds(1)),
            new SchedulerEvent.RunReopened(PIPELINE, "train.0", "bob", seconds(1)),
            new SchedulerEvent.TaskMarked(PIPELINE, RUN, "a", TaskStatus.FAILED, 1, "bob", seconds(1)),
            new SchedulerEvent.RunDeadlineMissed(PIPELINE, RUN, 1000, seconds(1)),
            new SchedulerEvent.TaskDeadlineMissed(PIPELINE, RUN, "a", 1000, seconds(1)),
            new SchedulerEvent.TaskQueued(PIPELINE, RUN, "b", 1, "waiting for a run slot"),
            new SchedulerEvent.TaskAwaitingPool(PIPELINE, RUN, "b", 1, "gpu", 0),
            new SchedulerEvent.PoolDefined("gpu", 2, "", USER, seconds(1)),
            new SchedulerEvent.PoolSlotQueued("gpu", PIPELINE, RUN, "b", 1, 0, seconds(1)),
            new SchedulerEvent.PoolSlotGranted("gpu", PIPELINE, RUN, "b", 1, 0, seconds(1)),
            new SchedulerEvent.PoolSlotReleased("gpu", PIPELINE, RUN, "b", 1, false, "canceled", seconds(1)),
            new SchedulerEvent.RunQueued(PIPELINE, "train.2", 1, Map.of(), "api", "bob", null, "paused", seconds(1)),
            new SchedulerEvent.PipelinePaused(PIPELINE, "maintenance", "bob", seconds(1)),
            new SchedulerEvent.PipelineResumed(PIPELINE, "bob", seconds(1)),
            new SchedulerEvent.ScheduledRunSkipped(PIPELINE, "train.2030-01-01T00-00Z",
                    new dev.drover.scheduler.schedule.DataInterval(T0, seconds(86_400)), "paused", seconds(1)),
            new SchedulerEvent.BackfillRequested(PIPELINE, "train.backfill-1", T0, seconds(86_400 * 3), 2, Map.of(), 1,
                    T0, 3, "bob", seconds(1)),
            new SchedulerEvent.BackfillIntervalSkipped(PIPELINE, "train.backfill-1", "train.2030-01-01T00-00Z",
                    new dev.drover.scheduler.schedule.DataInterval(T0, seconds(86_400)), "exists"),
            new SchedulerEvent.BackfillFinished(PIPELINE, "train.backfill-1", "CANCELED", "stop", seconds(1)));

    /** Every concrete event type, found through the sealed hierarchy (nested sealed interfaces included). */
    static Set<Class<?>> eventClasses() {
        Set<Class<?>> out = new LinkedHashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(SchedulerEvent.class));
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (c.isSealed()) {
                todo.addAll(List.of(c.getPermittedSubclasses()));
            } else if (!c.isInterface()) {
                out.add(c);
            }
        }
        return out;
    }

    @Test
    void the_hierarchy_is_found() {
        assertThat(eventClasses()).contains(TaskLost.class, CommandRejected.class).hasSizeGreaterThanOrEqualTo(15)
                .allMatch(SchedulerEvent.class::isAssignableFrom);
    }

    @Test
    void every_event_type_has_an_example_here() {
        assertThat(EXAMPLES.keySet())
                .as("add an example of each new event to %s", getClass().getSimpleName())
                .containsExactlyInAnyOrderElementsOf(eventClasses());
    }

    @TestFactory
    Stream<DynamicTest> every_event_is_applied() {
        return eventClasses().stream().filter(EXAMPLES::containsKey).map(type -> DynamicTest.dynamicTest(
                type.getSimpleName(), () -> {
                    SchedulerState state = new SchedulerState();
                    background().forEach(state::apply);
                    StateView before = StateView.of(state);

                    assertThatCode(() -> state.apply(EXAMPLES.get(type))).doesNotThrowAnyException();
                    if (type == CommandRejected.class || type == SchedulerEvent.AssetUpdated.class) {
                        // a rejection, and an asset update (a fact for the asset router and the read model)
                        assertThat(StateView.of(state)).as("a rejection changes nothing").isEqualTo(before);
                    } else {
                        assertThat(StateView.of(state)).as("applying %s changes the state", type.getSimpleName())
                                .isNotEqualTo(before);
                    }
                }));
    }

    private static Map<Class<?>, SchedulerEvent> examples(SchedulerEvent... events) {
        Map<Class<?>, SchedulerEvent> out = new java.util.LinkedHashMap<>();
        for (SchedulerEvent e : events) {
            out.put(e.getClass(), e);
        }
        return out;
    }
}
