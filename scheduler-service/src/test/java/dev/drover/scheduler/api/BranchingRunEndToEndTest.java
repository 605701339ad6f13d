package dev.drover.scheduler.api;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.TaskSkipped;
import dev.drover.scheduler.loop.EventEnvelope;
import dev.drover.scheduler.loop.LogCodec;
import dev.drover.scheduler.loop.SchedulerHarness;
import dev.drover.scheduler.loop.TopicReader;
import dev.drover.scheduler.projection.ReadModelProjector;
import dev.drover.schemas.task.TaskDispatch;
import io.micronaut.jdbc.DataSourceResolver;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.util.List;
import java.util.Map;

import static dev.drover.scheduler.loop.SchedulerHarness.EXECUTOR;
import static dev.drover.scheduler.loop.SchedulerHarness.started;
import static dev.drover.scheduler.loop.SchedulerHarness.succeeded;
import static dev.drover.scheduler.loop.SchedulerHarness.types;
import static dev.drover.scheduler.loop.SchedulerHarness.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A branching pipeline through the real scheduler loop (real Kafka) into the read models (real PostgreSQL), read back
 * the way the REST API reads them ({@link SchedulerQueries}): a {@code when} that is false skips its task and the
 * task after it, the {@code none_failed_min_one_success} join still runs, and the run succeeds with the skips shown.
 */
class BranchingRunEndToEndTest {
    private static SchedulerHarness scheduler;
    private static ReadModelProjector projector;
    private static SchedulerQueries queries;

    @BeforeAll
    static void start() {
        scheduler = new SchedulerHarness();
        scheduler.startLoop(uniqueId("branching"));
        String url = TestInfrastructure.newDatabase(BranchingRunEndToEndTest.class.getSimpleName());
        Flyway.configure().dataSource(url, TestInfrastructure.postgresUser(), TestInfrastructure.postgresPassword())
                .locations("classpath:db/scheduler").load().migrate();
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(url);
        db.setUser(TestInfrastructure.postgresUser());
        db.setPassword(TestInfrastructure.postgresPassword());
        projector = new ReadModelProjector(TestInfrastructure.kafkaBootstrap(), db, new LogCodec());
        projector.start();
        queries = new SchedulerQueries(db, DataSourceResolver.DEFAULT);
    }

    @AfterAll
    static void stop() {
        if (projector != null) {
            projector.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
    }

    @Test
    void aFalseWhenSkipsItsBranchAndTheJoinRuns() {
        String pipelineId = scheduler.register("""
                id: %s
                parameters:
                  deploy: {type: boolean, default: false}
                tasks:
                  - {id: check, type: noop}
                  - {id: deploy, type: noop, dependsOn: [check], when: "params.deploy && tasks.check.outputs.ok"}
                  - {id: notify, type: noop, dependsOn: [deploy]}
                  - {id: finish, type: noop, dependsOn: [notify, check], triggerRule: none_failed_min_one_success}
                """.formatted(uniqueId("branching")));
        String runId = scheduler.requestRun(pipelineId);

        TaskDispatch check = scheduler.awaitDispatch(runId, "check", 1);
        scheduler.decide(started(check, EXECUTOR), runId);
        scheduler.decide(succeeded(check, EXECUTOR, Map.of("ok", true)), runId);
        TaskDispatch finish = scheduler.awaitDispatch(runId, "finish", 1);
        scheduler.decide(started(finish, EXECUTOR), runId);
        scheduler.decide(succeeded(finish, EXECUTOR, Map.of()), runId);

        List<EventEnvelope> events = scheduler.awaitPipelineEvents(pipelineId, "the run's end",
                all -> all.stream().anyMatch(e -> e.event() instanceof RunFinished));
        assertThat(types(events)).containsExactly("PipelineRegistered", "RunStarted", "TaskDispatched",
                "TaskStarted", "TaskSucceeded", "TaskSkipped", "TaskSkipped", "TaskDispatched", "TaskStarted",
                "TaskSucceeded", "RunFinished");
        // the skips are decided in the step of the report that made them certain, and carry ids like any event
        assertThat(events.subList(4, 8)).extracting(EventEnvelope::causationId)
                .containsOnly(events.get(4).causationId());
        assertThat(events.subList(4, 8)).extracting(EventEnvelope::eventId).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(events.subList(5, 7)).extracting(e -> ((TaskSkipped) e.event()).taskId())
                .containsExactly("deploy", "notify");
        assertThat(scheduler.dispatches(runId)).extracting(TaskDispatch::getTaskId).containsExactly("check", "finish");

        // what GET /api/v1/runs/{id} and /events answer, from PostgreSQL
        EventEnvelope last = events.get(events.size() - 1);
        TopicReader.Entry<EventEnvelope> lastEntry = scheduler.pipelineEntries(pipelineId).stream()
                .filter(e -> e.value().eventId().equals(last.eventId())).findFirst().orElseThrow();
        await("projection of the run's end").atMost(TopicReader.PATIENCE)
                .until(() -> projector.hasProjected(lastEntry.partition(), lastEntry.offset()));
        Map<String, Object> run = queries.run(runId).orElseThrow();
        assertThat(run).containsEntry("status", "SUCCEEDED")
                .containsEntry("reason", "no final task failed (skipped: deploy, notify)");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tasks = (List<Map<String, Object>>) run.get("tasks");
        assertThat(tasks).extracting(t -> t.get("taskId") + "=" + t.get("status"))
                .containsExactly("check=SUCCEEDED", "deploy=SKIPPED", "notify=SKIPPED", "finish=SUCCEEDED");
        assertThat(queries.events(runId)).filteredOn(e -> "TaskSkipped".equals(e.get("type")))
                .extracting(e -> e.get("taskId") + ": " + e.get("detail")).containsExactly(
                        "deploy: `when` was false: params.deploy && tasks.check.outputs.ok",
                        "notify: trigger rule all_success: upstream task deploy was skipped");
        // the stored revision keeps the control-flow keys (GET /api/v1/pipelines/{id}/revisions)
        assertThat(queries.revisions(pipelineId).get(0).get("spec").toString())
                .contains("none_failed_min_one_success", "params.deploy && tasks.check.outputs.ok");
    }
}
