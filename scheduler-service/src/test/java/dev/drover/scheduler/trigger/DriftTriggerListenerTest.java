package dev.drover.scheduler.trigger;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.loop.EventEnvelope;
import dev.drover.scheduler.loop.LogCodec;
import dev.drover.scheduler.loop.SchedulerHarness;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.projection.ReadModelProjector;
import dev.drover.schemas.monitor.event.FeatureSetRef;
import dev.drover.schemas.monitor.event.MonitorEventEnvelope;
import dev.drover.schemas.monitor.event.RetrainRequested;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.drover.scheduler.loop.SchedulerHarness.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drift triggers on the real broker and a real read model: a retrain request delivered twice (and a garbage record
 * beside it) starts exactly one run of each pipeline that declares a drift trigger for the model, with the report's
 * id and reason where the pipeline declares those parameters, and none of the others.
 */
class DriftTriggerListenerTest {
    private static final AvroCodec<MonitorEventEnvelope> EVENTS = new AvroCodec<>(MonitorEventEnvelope.class);
    private static SchedulerHarness scheduler;
    private static ReadModelProjector projector;
    private static DriftTriggerListener listener;
    private static KafkaProducer<String, byte[]> producer;
    private static TriggeredPipelines pipelines;

    @BeforeAll
    static void start() {
        scheduler = new SchedulerHarness();
        scheduler.startLoop(uniqueId("drift-trigger"));
        String url = TestInfrastructure.newDatabase("drift_trigger");
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
        pipelines = new TriggeredPipelines(db);
        listener = new DriftTriggerListener(bootstrap, pipelines, scheduler.gateway(), Duration.ofSeconds(30));
        listener.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    @AfterAll
    static void stop() {
        producer.close();
        listener.close();
        projector.close();
        scheduler.close();
    }

    private static String pipeline(String id, String extra) {
        return "id: " + id + "\ntasks: [{id: train, type: noop}]\n" + extra;
    }

    @Test
    void aRetrainRequestDeliveredTwiceStartsOneRunOfEachTriggeredPipeline() throws Exception {
        String model = "churn-" + UUID.randomUUID().toString().substring(0, 8);
        String withParameters = scheduler.register(pipeline(uniqueId("drift-params"), """
                parameters:
                  drift_report_id: {type: string, default: ""}
                  drift_reason: {type: string, default: ""}
                  drift_window_data: {type: string, default: ""}
                  drift_training_data: {type: string, default: ""}
                  drift_evaluation_data: {type: string, default: ""}
                  champion_version: {type: integer, default: 0}
                  champion_artifact: {type: string, default: ""}
                  rows: {type: integer, default: 7}
                triggers: [{drift: {model: %s}}]
                """.formatted(model)));
        String plain = scheduler.register(pipeline(uniqueId("drift-plain"),
                "triggers: [{drift: {model: other-model}}, {drift: {model: " + model + "}}]\n"));
        String untriggered = scheduler.register(pipeline(uniqueId("drift-none"), ""));
        String otherModel = scheduler.register(pipeline(uniqueId("drift-other"),
                "triggers: [{drift: {model: " + model + "-2}}]\n"));
        await("the read model has the pipelines").atMost(Duration.ofSeconds(30))
                .until(() -> pipelines.triggeredByDriftOf(model).stream().map(PipelineSpec::id).toList(),
                        ids -> ids.containsAll(List.of(withParameters, plain)) && ids.size() == 2);

        String reportId = model + "/w-17";
        byte[] request = EVENTS.encode(MonitorEventEnvelope.newBuilder()
                .setEventId("cmd-" + UUID.randomUUID() + "#1").setTimestamp(Instant.now()).setKey("monitor/" + model)
                .setCausationId("cmd").setCorrelationId(null).setIndex(1).setCount(3)
                .setPayload(RetrainRequested.newBuilder().setReportId(reportId)
                        .setReason("2 of 3 features drifted (share 0.67 >= 0.5)").setChampionVersion(3)
                        .setFeatureSet(new FeatureSetRef("churn-features", 1)).setAt(Instant.now())
                        .setWindowData(List.of("/d/churn/windows/w-16.csv", "/d/churn/windows/w-17.csv"))
                        .setTrainingData(List.of("/d/churn/labeled/p-1.csv"))
                        .setEvaluationData(List.of("/d/churn/labeled/p-2.csv"))
                        .setChampionArtifact("/models/churn-3.json").build())
                .build());
        long deadBefore = listener.deadLettered();
        producer.send(new ProducerRecord<>(Topics.MONITOR_EVENTS, "monitor/" + model, request)).get();
        producer.send(new ProducerRecord<>(Topics.MONITOR_EVENTS, "monitor/" + model, new byte[]{1, 2, 3})).get();
        producer.send(new ProducerRecord<>(Topics.MONITOR_EVENTS, "monitor/" + model, request)).get();

        await("both deliveries handled").atMost(Duration.ofSeconds(30))
                .until(() -> listener.duplicates() >= 2 && listener.deadLettered() > deadBefore);

        List<RunStarted> runs = started(withParameters);
        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(run.runId()).isEqualTo(DriftTriggerListener.runId(withParameters, reportId));
            assertThat(run.trigger()).isEqualTo("drift");
            assertThat(run.requestedBy()).isEqualTo("monitor");
            assertThat(run.parameters()).containsEntry("drift_report_id", reportId)
                    .containsEntry("drift_reason", "2 of 3 features drifted (share 0.67 >= 0.5)")
                    .containsEntry("drift_window_data", "/d/churn/windows/w-16.csv,/d/churn/windows/w-17.csv")
                    .containsEntry("drift_training_data", "/d/churn/labeled/p-1.csv")
                    .containsEntry("drift_evaluation_data", "/d/churn/labeled/p-2.csv")
                    .containsEntry("champion_version", 3L)
                    .containsEntry("champion_artifact", "/models/churn-3.json")
                    .containsEntry("rows", 7L);
        });
        assertThat(started(plain)).singleElement().satisfies(run -> {
            assertThat(run.trigger()).isEqualTo("drift");
            assertThat(run.parameters()).isEmpty();
        });
        assertThat(started(untriggered)).isEmpty();
        assertThat(started(otherModel)).isEmpty();
        assertThat(scheduler.pipelineEvents(withParameters).stream()
                .filter(e -> e.event() instanceof RunStarted).map(EventEnvelope::causationId))
                .containsExactly("drift/" + reportId + "/" + withParameters);
    }

    private static List<RunStarted> started(String pipelineId) {
        return scheduler.pipelineEvents(pipelineId).stream().map(EventEnvelope::event)
                .filter(RunStarted.class::isInstance).map(RunStarted.class::cast).toList();
    }
}
