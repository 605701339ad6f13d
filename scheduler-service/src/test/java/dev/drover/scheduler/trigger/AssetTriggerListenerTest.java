package dev.drover.scheduler.trigger;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.AssetTriggering;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent.AssetRunTriggered;
import dev.drover.scheduler.core.SchedulerEvent.AssetUpdateRecorded;
import dev.drover.scheduler.core.SchedulerEvent.AssetUpdated;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.loop.EventEnvelope;
import dev.drover.scheduler.loop.LogCodec;
import dev.drover.scheduler.loop.SchedulerHarness;
import dev.drover.scheduler.projection.ReadModelProjector;
import dev.drover.schemas.task.TaskDispatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.drover.scheduler.loop.SchedulerHarness.EXECUTOR;
import static dev.drover.scheduler.loop.SchedulerHarness.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The asset router on the real broker and a real read model: a task's outlet update starts the pipeline that
 * consumes it with {@code any}, counts towards the one that needs {@code all}, and an external update completes that
 * one; an update delivered again starts nothing more; pipelines that do not consume the asset hear nothing.
 */
class AssetTriggerListenerTest {
    private static SchedulerHarness scheduler;
    private static ReadModelProjector projector;
    private static AssetTriggerListener router;
    private static AssetConsumers consumers;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void start() {
        scheduler = new SchedulerHarness();
        scheduler.startLoop(uniqueId("asset-router"));
        String url = TestInfrastructure.newDatabase("asset_router");
        Flyway.configure().dataSource(url, TestInfrastructure.postgresUser(), TestInfrastructure.postgresPassword())
                .locations("classpath:db/scheduler").load().migrate();
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(url);
        db.setUser(TestInfrastructure.postgresUser());
        db.setPassword(TestInfrastructure.postgresPassword());
        String bootstrap = TestInfrastructure.kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics.ensureTopics(admin, 3, (short) 1);
        }
        projector = new ReadModelProjector(bootstrap, db, new LogCodec());
        projector.start();
        consumers = new AssetConsumers(db);
        router = new AssetTriggerListener(bootstrap, consumers, scheduler.gateway(), Duration.ofSeconds(30));
        router.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    @AfterAll
    static void stop() {
        producer.close();
        router.close();
        projector.close();
        scheduler.close();
    }

    @Test
    void aTaskUpdateAndAnExternalUpdateStartTheConsumersOnce() throws Exception {
        String features = "s3://test/" + uniqueId("features");
        String labels = "asset:" + uniqueId("labels");
        String producerId = scheduler.register("id: " + uniqueId("asset-producer") + "\n"
                + "tasks: [{id: build, type: shell, command: 'true', outlets: [\"" + features + "\"]}]\n");
        String anyId = scheduler.register("id: " + uniqueId("asset-any") + "\n"
                + "parameters: {triggering_assets: {default: '[]'}}\n"
                + "tasks: [{id: fit, type: noop}]\ntriggers: [{assets: {any: [\"" + features + "\"]}}]\n");
        String allId = scheduler.register("id: " + uniqueId("asset-all") + "\n"
                + "tasks: [{id: fit, type: noop}]\ntriggers: [{assets: {all: [\"" + features + "\", \"" + labels
                + "\"]}}]\n");
        String otherId = scheduler.register("id: " + uniqueId("asset-other") + "\n"
                + "tasks: [{id: fit, type: noop}]\ntriggers: [{assets: {any: [s3://test/unrelated]}}]\n");
        await("the read model knows the consumers").atMost(Duration.ofSeconds(30))
                .until(() -> consumers.of(features), ids -> ids.equals(List.of(anyId, allId).stream().sorted().toList()));

        String runId = scheduler.requestRun(producerId);
        TaskDispatch build = scheduler.awaitDispatch(runId, "build", 1);
        scheduler.decide(SchedulerHarness.started(build, EXECUTOR), runId);
        scheduler.decide(SchedulerHarness.succeeded(build, EXECUTOR, Map.of()), runId);

        EventEnvelope updated = scheduler.awaitEvent(producerId, AssetUpdated.class, e -> e.uri().equals(features));
        String updateId = ((AssetUpdated) updated.event()).updateId();
        assertThat(updateId).isEqualTo(runId + "/build/1/" + features);
        EventEnvelope anyRun = scheduler.awaitEvent(anyId, RunStarted.class, e -> true);
        RunStarted started = (RunStarted) anyRun.event();
        assertThat(started.trigger()).isEqualTo("asset");
        assertThat(started.parameters()).containsEntry("triggering_assets",
                "[{\"uri\":\"" + features + "\",\"updateId\":\"" + updateId + "\"}]");
        scheduler.awaitEvent(allId, AssetUpdateRecorded.class, e -> e.updateId().equals(updateId));
        assertThat(started(allId)).isEmpty();

        // the same update delivered again: recorded once, no second run
        long duplicatesBefore = router.duplicates();
        producer.send(new ProducerRecord<>(Topics.RUN_EVENTS, producerId, scheduler.codec().encodeEvent(updated)))
                .get();
        await("the redelivery is recognised by both consumers").atMost(Duration.ofSeconds(30))
                .until(() -> router.duplicates() >= duplicatesBefore + 2);
        assertThat(started(anyId)).hasSize(1);

        // an external update of the other asset completes the all-trigger
        EventEnvelope published = scheduler.decide(new SchedulerCommand.PublishAssetUpdate("ext-" + uniqueId("k"),
                AssetTriggering.EXTERNAL_PIPELINE, labels, Map.of("rows", 12L), "etl"), null);
        assertThat(published.event()).isInstanceOf(AssetUpdated.class);
        EventEnvelope triggered = scheduler.awaitEvent(allId, AssetRunTriggered.class, e -> true);
        assertThat(((AssetRunTriggered) triggered.event()).updates()).extracting(r -> r.updateId())
                .containsExactly(updateId, ((AssetUpdated) published.event()).updateId());
        assertThat(started(allId)).singleElement().extracting(RunStarted::runId)
                .isEqualTo(((AssetRunTriggered) triggered.event()).runId());
        assertThat(scheduler.pipelineEvents(otherId).stream().map(EventEnvelope::event))
                .noneMatch(e -> e instanceof AssetUpdateRecorded || e instanceof RunStarted);
    }

    private static List<RunStarted> started(String pipelineId) {
        return scheduler.pipelineEvents(pipelineId).stream().map(EventEnvelope::event)
                .filter(RunStarted.class::isInstance).map(RunStarted.class::cast).toList();
    }
}
