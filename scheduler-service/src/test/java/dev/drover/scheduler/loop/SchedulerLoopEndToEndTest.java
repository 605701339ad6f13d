package dev.drover.scheduler.loop;

import dev.drover.platform.json.JsonValues;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.core.SchedulerEvent.PipelineRegistered;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.RunEvent;
import dev.drover.scheduler.core.SchedulerEvent.TaskDispatched;
import dev.drover.scheduler.core.SchedulerEvent.TaskStarted;
import dev.drover.scheduler.core.SchedulerEvent.TaskSucceeded;
import dev.drover.scheduler.core.RejectionCode;
import dev.drover.scheduler.core.RunStatus;
import dev.drover.schemas.task.TaskDispatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.drover.scheduler.loop.SchedulerHarness.EXECUTOR;
import static dev.drover.scheduler.loop.SchedulerHarness.started;
import static dev.drover.scheduler.loop.SchedulerHarness.succeeded;
import static dev.drover.scheduler.loop.SchedulerHarness.types;
import static dev.drover.scheduler.loop.SchedulerHarness.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduler loop against a real broker, with the test playing the executor: commands in, events and dispatches
 * out, every event carrying its id, causation and correlation.
 */
class SchedulerLoopEndToEndTest {
    private static SchedulerHarness scheduler;

    @BeforeAll
    static void startScheduler() {
        scheduler = new SchedulerHarness();
        scheduler.startLoop(uniqueId("e2e"));
    }

    @AfterAll
    static void stopScheduler() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    void aNoopPipelineRunsToSuccessThroughTheLog() {
        String pipelineId = scheduler.register("""
                id: %s
                tasks:
                  - {id: extract, type: noop}
                  - {id: train, type: noop, dependsOn: [extract]}
                """.formatted(uniqueId("e2e")));
        String runId = scheduler.requestRun(pipelineId);

        // play the executor: take each dispatch, report it started, then succeeded
        TaskDispatch extract = scheduler.awaitDispatch(runId, "extract", 1);
        EventEnvelope extractStarted = scheduler.decide(started(extract, EXECUTOR), runId);
        assertThat(extractStarted.event()).isInstanceOf(TaskStarted.class);
        SchedulerCommand.ReportTaskSucceeded extractDone = succeeded(extract, EXECUTOR, Map.of());
        assertThat(scheduler.decide(extractDone, runId).event()).isInstanceOf(TaskSucceeded.class);

        TaskDispatch train = scheduler.awaitDispatch(runId, "train", 1);
        scheduler.decide(started(train, EXECUTOR), runId);
        SchedulerCommand.ReportTaskSucceeded trainDone = succeeded(train, EXECUTOR, Map.of());
        scheduler.decide(trainDone, runId);

        List<EventEnvelope> events = scheduler.awaitPipelineEvents(pipelineId, "the run's end",
                all -> all.stream().anyMatch(e -> e.event() instanceof RunFinished));
        assertThat(types(events)).containsExactly("PipelineRegistered", "RunStarted", "TaskDispatched", "TaskStarted",
                "TaskSucceeded", "TaskDispatched", "TaskStarted", "TaskSucceeded", "RunFinished");
        RunFinished finished = (RunFinished) events.get(events.size() - 1).event();
        assertThat(finished.status()).isEqualTo(RunStatus.SUCCEEDED);

        // the follow-on decisions are made in the step of the command that caused them
        assertThat(events.get(4).causationId()).isEqualTo(extractDone.commandId());
        assertThat(events.get(5).causationId()).isEqualTo(extractDone.commandId());
        assertThat(events.get(8).causationId()).isEqualTo(trainDone.commandId());

        // every event has an id, a timestamp, a causation id and a correlation id (the run for run events)
        Set<String> ids = new HashSet<>();
        for (EventEnvelope e : events) {
            assertThat(e.eventId()).isNotBlank();
            assertThat(ids.add(e.eventId())).as("event id %s is unique", e.eventId()).isTrue();
            assertThat(e.timestamp()).isNotNull();
            assertThat(e.causationId()).isNotBlank();
            if (e.event() instanceof RunEvent) {
                assertThat(e.correlationId()).isEqualTo(runId);
            } else {
                assertThat(e.event()).isInstanceOf(PipelineRegistered.class);
                assertThat(e.correlationId()).isEqualTo(pipelineId);
            }
        }
        // the events of one pipeline share one partition, so they are totally ordered
        assertThat(scheduler.pipelineEntries(pipelineId).stream().map(TopicReader.Entry::partition).distinct())
                .hasSize(1);

        // each dispatch record mirrors its TaskDispatched event and carries its id as the attempt's idempotency key
        List<EventEnvelope> dispatched = events.stream().filter(e -> e.event() instanceof TaskDispatched).toList();
        assertThat(scheduler.dispatches(runId)).extracting(TaskDispatch::getDispatchId)
                .containsExactly(dispatched.get(0).eventId(), dispatched.get(1).eventId());
        assertThat(extract.getPipelineId()).isEqualTo(pipelineId);
        assertThat(extract.getType()).isEqualTo("noop");
        assertThat(extract.getQueue()).isEqualTo(SchedulerHarness.QUEUE);
    }

    @Test
    void eachEventIsCausedByTheCommandItWasDecidedFrom() {
        String pipelineId = scheduler.register("""
                id: %s
                tasks:
                  - {id: only, type: noop}
                """.formatted(uniqueId("e2e")));
        SchedulerCommand.RequestRun request = new SchedulerCommand.RequestRun(SchedulerHarness.commandId(),
                pipelineId, pipelineId + ".custom", Map.of(), "test", "alice");
        EventEnvelope runStarted = scheduler.decide(request, null);
        String runId = pipelineId + ".custom";
        assertThat(runStarted.causationId()).isEqualTo(request.commandId());
        assertThat(runStarted.correlationId()).isEqualTo(runId);

        TaskDispatch only = scheduler.awaitDispatch(runId, "only", 1);
        SchedulerCommand.ReportTaskStarted start = started(only, EXECUTOR);
        SchedulerCommand.ReportTaskSucceeded done = succeeded(only, EXECUTOR, Map.of("rows", 3L));
        scheduler.decide(start, runId);
        scheduler.decide(done, runId);
        // a report from an attempt that is over is rejected, with the reason, and logged like any decision
        SchedulerCommand.ReportTaskSucceeded again = succeeded(only, EXECUTOR, Map.of());
        EventEnvelope rejected = scheduler.decide(again, runId);
        assertThat(rejected.event()).isInstanceOf(CommandRejected.class);
        assertThat(((CommandRejected) rejected.event()).code()).isEqualTo(RejectionCode.RUN_FINISHED);
        assertThat(rejected.causationId()).isEqualTo(again.commandId());
        assertThat(rejected.correlationId()).isEqualTo(runId);

        List<EventEnvelope> events = scheduler.awaitPipelineEvents(pipelineId, "the rejection",
                all -> all.stream().anyMatch(e -> e.event() instanceof CommandRejected));
        assertThat(events).extracting(e -> types(List.of(e)).get(0) + "<-" + e.causationId()).containsExactly(
                "PipelineRegistered<-" + events.get(0).causationId(),
                "RunStarted<-" + request.commandId(),
                "TaskDispatched<-" + request.commandId(),
                "TaskStarted<-" + start.commandId(),
                "TaskSucceeded<-" + done.commandId(),
                "RunFinished<-" + done.commandId(),
                "CommandRejected<-" + again.commandId());
        TaskSucceeded success = (TaskSucceeded) events.get(4).event();
        assertThat(success.outputs()).isEqualTo(Map.of("rows", 3L));
    }

    @Test
    void outputsOfATaskAreRenderedIntoTheDispatchOfTheTaskAfterIt() {
        String pipelineId = scheduler.register("""
                id: %s
                parameters:
                  epochs: {type: integer, default: 3}
                tasks:
                  - {id: prepare, type: noop}
                  - id: train
                    type: shell
                    dependsOn: [prepare]
                    command: >-
                      train --rows {{ tasks.prepare.outputs.rows }} --epochs {{ params.epochs }}
                      --run {{ run.id }}
                """.formatted(uniqueId("e2e")));
        String runId = scheduler.requestRun(pipelineId, Map.of("epochs", 7));

        TaskDispatch prepare = scheduler.awaitDispatch(runId, "prepare", 1);
        scheduler.decide(started(prepare, EXECUTOR), runId);
        scheduler.decide(succeeded(prepare, EXECUTOR, Map.of("rows", 1200L)), runId);

        TaskDispatch train = scheduler.awaitDispatch(runId, "train", 1);
        assertThat(JsonValues.fromJson(train.getConfigJson()))
                .containsEntry("command", "train --rows 1200 --epochs 7 --run " + runId);
        assertThat(train.getTimeoutMs()).isEqualTo(3_600_000L);

        scheduler.decide(SchedulerHarness.cancel(pipelineId, runId), runId);
    }
}
