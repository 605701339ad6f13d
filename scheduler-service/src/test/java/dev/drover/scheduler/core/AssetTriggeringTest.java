package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerCommand.PublishAssetUpdate;
import dev.drover.scheduler.core.SchedulerCommand.RecordAssetUpdate;
import dev.drover.scheduler.core.SchedulerEvent.AssetRunTriggered;
import dev.drover.scheduler.core.SchedulerEvent.AssetUpdateRecorded;
import dev.drover.scheduler.core.SchedulerEvent.AssetUpdated;
import dev.drover.scheduler.core.SchedulerEvent.PipelineRegistered;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.core.SchedulerEvent.TaskDispatched;
import dev.drover.scheduler.pipeline.ParameterType;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.TaskSpec;
import dev.drover.scheduler.pipeline.Trigger;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.TIMEOUT;
import static dev.drover.scheduler.core.SchedulerFixtures.USER;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.failed;
import static dev.drover.scheduler.core.SchedulerFixtures.failedFinally;
import static dev.drover.scheduler.core.SchedulerFixtures.optional;
import static dev.drover.scheduler.core.SchedulerFixtures.parameters;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.reportFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.required;
import static dev.drover.scheduler.core.SchedulerFixtures.runFinished;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.runSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.succeeded;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Data-aware scheduling: outlets produce asset updates; asset triggers turn recorded updates into runs. */
class AssetTriggeringTest {
    static final String FEATURES = "s3://bucket/features/churn";
    static final String LABELS = "asset:churn-labels";
    static final String OTHER = "s3://bucket/other";

    static TaskSpec withOutlets(TaskSpec t, String... uris) {
        return t.withOptions(t.options().withOutlets(List.of(uris)));
    }

    static PipelineSpec consumer(Trigger... triggers) {
        return new PipelineSpec(PIPELINE, "", Map.of(), List.of(task("fit")), List.of(triggers));
    }

    static RecordAssetUpdate update(String uri, String updateId) {
        return new RecordAssetUpdate("asset/" + updateId + "/" + PIPELINE, PIPELINE, uri, updateId, "features",
                "features.1", "build", T0);
    }

    static AssetUpdateRecorded recorded(String uri, String updateId, Instant at) {
        return new AssetUpdateRecorded(PIPELINE, uri, updateId, "features", "features.1", "build", T0, at);
    }

    static final Trigger.Assets ALL = new Trigger.Assets(List.of(FEATURES, LABELS), true);
    static final Trigger.Assets ANY = new Trigger.Assets(List.of(FEATURES, LABELS), false);
    static final String ALL_KEY = "all:[" + LABELS + ", " + FEATURES + "]";
    static final String ANY_KEY = "any:[" + LABELS + ", " + FEATURES + "]";

    static List<SchedulerEvent> runOf(String runId, Map<String, Object> parameters, Instant at) {
        return List.of(new RunStarted(PIPELINE, runId, 1, parameters, AssetTriggering.TRIGGER,
                        AssetTriggering.REQUESTED_BY, at),
                new TaskDispatched(PIPELINE, runId, "fit", 1, "shell", "default", Map.of(), TIMEOUT.toMillis(), at));
    }

    // ---- producing

    @Test
    void aTaskWithOutletsThatSucceedsUpdatesEachOutletInTheSameDecision() {
        PipelineSpec producer = pipeline(withOutlets(task("build"), FEATURES, LABELS), task("report", "build"));

        given(registered(producer), runStarted(RUN), dispatched(RUN, "build", 1, T0),
                started(RUN, "build", 1, EXECUTOR, seconds(1)))
                .when(reportSucceeded(RUN, "build", 1, EXECUTOR), seconds(2))
                .then(succeeded(RUN, "build", 1, seconds(2)),
                        new AssetUpdated(PIPELINE, RUN, "build", FEATURES, RUN + "/build/1/" + FEATURES, Map.of(),
                                seconds(2)),
                        new AssetUpdated(PIPELINE, RUN, "build", LABELS, RUN + "/build/1/" + LABELS, Map.of(),
                                seconds(2)),
                        dispatched(RUN, "report", 1, seconds(2)));
    }

    @Test
    void aFailedTaskUpdatesNothing() {
        PipelineSpec producer = pipeline(withOutlets(task("build"), FEATURES));

        given(registered(producer), runStarted(RUN), dispatched(RUN, "build", 1, T0),
                started(RUN, "build", 1, EXECUTOR, seconds(1)))
                .when(reportFailed(RUN, "build", 1, EXECUTOR, "boom", 1), seconds(2))
                .then(failed(RUN, "build", 1, "boom", 1, seconds(2)), failedFinally(RUN, "build", 1, "boom"),
                        runFinished(RUN, RunStatus.FAILED, "task(s) failed: build", seconds(2)));
    }

    @Test
    void aTaskWithoutOutletsUpdatesNothing() {
        given(registered(pipeline(task("build"))), runStarted(RUN), dispatched(RUN, "build", 1, T0),
                started(RUN, "build", 1, EXECUTOR, seconds(1)))
                .when(reportSucceeded(RUN, "build", 1, EXECUTOR), seconds(2))
                .then(succeeded(RUN, "build", 1, seconds(2)), runSucceeded(RUN, seconds(2)));
    }

    @Test
    void anExternalUpdateIsRecordedUnderTheAssetsKeyWithAnIdFromItsCommand() {
        given().when(new PublishAssetUpdate("key-1", AssetTriggering.EXTERNAL_PIPELINE, FEATURES,
                        Map.of("rows", 10L), USER), seconds(1))
                .then(new AssetUpdated(AssetTriggering.EXTERNAL_PIPELINE, null, null, FEATURES, "external/key-1",
                        Map.of("rows", 10L), seconds(1)));
    }

    @Test
    void anExternalUpdateOfNoAssetUriIsRefused() {
        given().when(new PublishAssetUpdate("key-1", AssetTriggering.EXTERNAL_PIPELINE, "not a uri", Map.of(),
                        USER), seconds(1))
                .thenRejected(RejectionCode.INVALID_PARAMETERS);
    }

    // ---- consuming

    @Test
    void anyStartsARunOnEveryUpdate() {
        String runId = AssetTriggering.runId(PIPELINE, ANY_KEY, List.of(new AssetRef(LABELS, "u1")));
        List<SchedulerEvent> expected = new ArrayList<>(List.of(recorded(LABELS, "u1", seconds(1)),
                new AssetRunTriggered(PIPELINE, runId, ANY_KEY, List.of(new AssetRef(LABELS, "u1")))));
        expected.addAll(runOf(runId, Map.of(), seconds(1)));

        SchedulerScenario s = given(registered(consumer(ANY)))
                .when(update(LABELS, "u1"), seconds(1))
                .then(expected.toArray(SchedulerEvent[]::new));

        assertThat(runId).startsWith(PIPELINE + ".asset-");
        assertThat(s.stateAfter().pipelineState(PIPELINE).orElseThrow().assets().pending(ANY_KEY)).isEmpty();
        assertThat(s.stateAfter().activeRun(runId)).isPresent();
    }

    @Test
    void allWaitsForEveryAssetThenStartsOneRunAndStartsCountingAgain() {
        SchedulerScenario first = given(registered(consumer(ALL)))
                .when(update(FEATURES, "u1"), seconds(1))
                .then(recorded(FEATURES, "u1", seconds(1)));
        assertThat(first.stateAfter().pipelineState(PIPELINE).orElseThrow().assets().pending(ALL_KEY))
                .containsExactly(new AssetRef(FEATURES, "u1"));

        List<AssetRef> consumed = List.of(new AssetRef(FEATURES, "u1"), new AssetRef(FEATURES, "u2"),
                new AssetRef(LABELS, "u3"));
        String runId = AssetTriggering.runId(PIPELINE, ALL_KEY, consumed);
        List<SchedulerEvent> expected = new ArrayList<>(List.of(recorded(LABELS, "u3", seconds(3)),
                new AssetRunTriggered(PIPELINE, runId, ALL_KEY, consumed)));
        expected.addAll(runOf(runId, Map.of(), seconds(3)));

        SchedulerScenario fired = given(registered(consumer(ALL)), recorded(FEATURES, "u1", seconds(1)),
                recorded(FEATURES, "u2", seconds(2)))
                .when(update(LABELS, "u3"), seconds(3))
                .then(expected.toArray(SchedulerEvent[]::new));

        // reset: the next update of one asset alone starts nothing
        SchedulerState after = fired.stateAfter();
        assertThat(after.pipelineState(PIPELINE).orElseThrow().assets().pending(ALL_KEY)).isEmpty();
        List<SchedulerEvent> history = new ArrayList<>(List.of(registered(consumer(ALL)),
                recorded(FEATURES, "u1", seconds(1)), recorded(FEATURES, "u2", seconds(2))));
        history.addAll(fired.events());
        given(history).when(update(LABELS, "u4"), seconds(4)).then(recorded(LABELS, "u4", seconds(4)));
    }

    @Test
    void anUpdateOfAnAssetNoTriggerListsIsRecordedButStartsNothing() {
        given(registered(consumer(ANY)))
                .when(update(OTHER, "u1"), seconds(1))
                .then(recorded(OTHER, "u1", seconds(1)));
    }

    @Test
    void aRepeatedUpdateIdIsRecordedOnce() {
        given(registered(consumer(ALL)), recorded(FEATURES, "u1", seconds(1)))
                .when(update(FEATURES, "u1"), seconds(2))
                .thenRejected(RejectionCode.UNCHANGED);
        // also after it was consumed by a run
        String runId = AssetTriggering.runId(PIPELINE, ANY_KEY, List.of(new AssetRef(FEATURES, "u1")));
        given(registered(consumer(ANY)), recorded(FEATURES, "u1", seconds(1)),
                new AssetRunTriggered(PIPELINE, runId, ANY_KEY, List.of(new AssetRef(FEATURES, "u1"))))
                .when(update(FEATURES, "u1"), seconds(2))
                .thenRejected(RejectionCode.UNCHANGED);
    }

    @Test
    void anUnknownConsumerIsRefused() {
        given().when(update(FEATURES, "u1"), seconds(1)).thenRejected(RejectionCode.UNKNOWN_PIPELINE);
    }

    @Test
    void aDeclaredTriggeringAssetsParameterReceivesTheUpdates() {
        PipelineSpec spec = new PipelineSpec(PIPELINE, "", parameters(AssetTriggering.PARAMETER,
                optional(ParameterType.STRING, "[]"), "epochs", optional(ParameterType.INTEGER, 3L)),
                List.of(task("fit")), List.of(ANY));

        List<SchedulerEvent> events = given(registered(spec)).when(update(FEATURES, "u1"), seconds(1)).events();

        RunStarted run = (RunStarted) events.get(2);
        assertThat(run.parameters()).containsEntry(AssetTriggering.PARAMETER,
                "[{\"uri\":\"" + FEATURES + "\",\"updateId\":\"u1\"}]").containsEntry("epochs", 3L);
    }

    @Test
    void aRunThatCannotStartLeavesTheUpdatesPendingAndSaysWhy() {
        PipelineSpec spec = new PipelineSpec(PIPELINE, "", parameters("dataset", required(ParameterType.STRING)),
                List.of(task("fit")), List.of(ALL));

        SchedulerScenario s = given(registered(spec), recorded(FEATURES, "u1", seconds(1)))
                .when(update(LABELS, "u2"), seconds(2));

        assertThat(s.events()).hasSize(2).first().isEqualTo(recorded(LABELS, "u2", seconds(2)));
        SchedulerEvent.CommandRejected why = (SchedulerEvent.CommandRejected) s.events().get(1);
        assertThat(why.code()).isEqualTo(RejectionCode.INVALID_PARAMETERS);
        assertThat(why.message()).contains("could not start run", "dataset");
        assertThat(s.stateAfter().pipelineState(PIPELINE).orElseThrow().assets().pending(ALL_KEY)).hasSize(2);
    }

    @Test
    void twoTriggersOnOneAssetEachStartTheirOwnRun() {
        Trigger.Assets any = new Trigger.Assets(List.of(FEATURES), false);
        List<SchedulerEvent> events = given(registered(consumer(any, new Trigger.Assets(List.of(FEATURES), true))))
                .when(update(FEATURES, "u1"), seconds(1)).events();

        List<String> runs = events.stream().filter(e -> e instanceof RunStarted).map(e -> ((RunStarted) e).runId())
                .toList();
        assertThat(runs).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void aNewRevisionKeepsWhatAnUnchangedTriggerHasSeen() {
        PipelineSpec v2 = new PipelineSpec(PIPELINE, "changed", Map.of(), List.of(task("fit")),
                List.of(new Trigger.Assets(List.of(LABELS, FEATURES), true)));
        PipelineRegistered second = registered(v2, 2);

        List<SchedulerEvent> events = given(registered(consumer(ALL)), recorded(FEATURES, "u1", seconds(1)), second)
                .when(update(LABELS, "u2"), seconds(2)).events();

        assertThat(events).hasAtLeastOneElementOfType(AssetRunTriggered.class);
    }

    /** The events {@link #replayBuildsTheSameAssetState} replays (the main {@link ReplayTest} story has none). */
    static final java.util.Set<Class<?>> REPLAYED = java.util.Set.of(AssetUpdated.class, AssetUpdateRecorded.class,
            AssetRunTriggered.class);

    @Test
    void replayBuildsTheSameAssetState() {
        ReplayTest.Live live = new ReplayTest.Live();
        PipelineSpec producer = new PipelineSpec("features", "", Map.of(),
                List.of(withOutlets(task("build"), FEATURES)), List.of());
        live.decide(new SchedulerCommand.RegisterPipeline("p", "features", producer, "hp", USER), seconds(0));
        live.decide(new SchedulerCommand.RequestRun("rr", "features", "features.1", Map.of(), "manual", USER),
                seconds(0));
        live.decide(new SchedulerCommand.ReportTaskStarted("s", "features", "features.1", "build", 1, EXECUTOR),
                seconds(0));
        live.decide(new SchedulerCommand.ReportTaskSucceeded("ok", "features", "features.1", "build", 1, EXECUTOR,
                Map.of()), seconds(0));
        live.decide(new PublishAssetUpdate("x", AssetTriggering.EXTERNAL_PIPELINE, FEATURES, Map.of(), USER),
                seconds(0));
        live.decide(new SchedulerCommand.RegisterPipeline("r", PIPELINE, consumer(ALL, ANY), "h", USER), seconds(0));
        live.decide(update(FEATURES, "u1"), seconds(1));
        live.decide(update(FEATURES, "u1"), seconds(2));
        live.decide(update(FEATURES, "u2"), seconds(3));
        live.decide(update(LABELS, "u3"), seconds(4));
        live.decide(update(OTHER, "u4"), seconds(5));
        live.decide(update(LABELS, "u5"), seconds(6));

        SchedulerState replayed = ReplayTest.fold(live.log);

        assertThat(StateView.of(replayed)).isEqualTo(StateView.of(live.state));
        assertThat(replayed.pipelineState(PIPELINE).orElseThrow().assets().pending(ALL_KEY))
                .containsExactly(new AssetRef(LABELS, "u5"));
        // features.1; any: u1 u2 u3 u5; all: u3
        assertThat(live.log.stream().filter(e -> e instanceof RunStarted)).hasSize(6);
        assertThat(live.log.stream().map(Object::getClass).toList()).containsAll(REPLAYED);
    }
}
