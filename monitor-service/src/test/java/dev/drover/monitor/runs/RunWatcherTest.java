package dev.drover.monitor.runs;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.monitor.core.AlertKind;
import dev.drover.monitor.core.ClosedWindow;
import dev.drover.monitor.core.FeatureResult;
import dev.drover.monitor.core.FeatureSetRef;
import dev.drover.monitor.core.MonitorCommand;
import dev.drover.monitor.core.MonitorCommand.ConfigureMonitoring;
import dev.drover.monitor.core.MonitorCommand.RecordWindow;
import dev.drover.monitor.core.MonitorEvent;
import dev.drover.monitor.core.MonitorEvent.AlertRaised;
import dev.drover.monitor.core.MonitorEvent.RetrainRequested;
import dev.drover.monitor.core.MonitorEvent.RetrainRunLinked;
import dev.drover.monitor.core.MonitoringPolicy;
import dev.drover.monitor.core.TumblingWindow;
import dev.drover.monitor.loop.MonitorGateway;
import dev.drover.monitor.loop.MonitorLoop;
import dev.drover.monitor.wire.CommandEnvelope;
import dev.drover.monitor.wire.EventEnvelope;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.eventlog.DecisionLoop;
import dev.drover.platform.kafka.Topics;
import dev.drover.schemas.run.event.RunEventEnvelope;
import dev.drover.schemas.run.event.RunFinished;
import dev.drover.schemas.run.event.RunStarted;
import dev.drover.schemas.run.event.RunStatus;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The run watcher between the real run-event topic and the monitor's real decision loop: a drift run (delivered
 * twice) is linked to its report once, its failure raises a {@code RUN_FAILED} alert, runs with another trigger are
 * ignored and an unreadable run record is set aside.
 */
class RunWatcherTest {
    private static final MonitorCodec CODEC = new MonitorCodec();
    private static final AvroCodec<RunEventEnvelope> RUN_EVENTS = new AvroCodec<>(RunEventEnvelope.class);
    private static DecisionLoop loop;
    private static MonitorGateway gateway;
    private static RunWatcher watcher;
    private static KafkaProducer<String, byte[]> producer;
    private static KafkaConsumer<String, byte[]> monitorEvents;
    private static final List<EventEnvelope> seen = new ArrayList<>();

    @BeforeAll
    static void start() {
        String bootstrap = TestInfrastructure.kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics.ensureTopics(admin, 3, (short) 1);
            Topics.ensureTopics(admin, 3, (short) 1);
        }
        gateway = new MonitorGateway(bootstrap, CODEC);
        loop = MonitorLoop.create(bootstrap, "run-watcher-test", Duration.ofSeconds(10), CODEC, Clock.systemUTC());
        loop.start();
        watcher = new RunWatcher(bootstrap, gateway, Duration.ofSeconds(5));
        watcher.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        monitorEvents = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        monitorEvents.assign(monitorEvents.partitionsFor(Topics.MONITOR_EVENTS).stream()
                .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList());
    }

    @AfterAll
    static void stop() {
        monitorEvents.close();
        producer.close();
        watcher.close();
        loop.close();
        gateway.close();
    }

    @Test
    void aDriftRunIsLinkedOnceAndItsFailureRaisesAnAlert() throws Exception {
        String model = "churn-" + UUID.randomUUID().toString().substring(0, 8);
        String pipeline = "retrain-" + UUID.randomUUID().toString().substring(0, 8);
        send(new ConfigureMonitoring(id(), model, new MonitoringPolicy(TumblingWindow.ofRows(100), 0.5, Map.of(),
                Duration.ofHours(1), null, List.of()), "alice"));
        Instant end = Instant.now();
        List<MonitorEvent> decided = send(new RecordWindow(id(), model, new ClosedWindow("w-1", end.minusSeconds(60),
                end, 100, 1, new FeatureSetRef("churn-features", 1)),
                List.of(new FeatureResult("tenure", "KS", 0.4, 0.0001, 0.05, true)), Map.of()));
        String reportId = decided.stream().filter(RetrainRequested.class::isInstance).map(RetrainRequested.class::cast)
                .findFirst().orElseThrow().reportId();

        String runId = pipeline + ".drift-1";
        byte[] started = runEvent(pipeline, "drift/" + reportId + "/" + pipeline, RunStarted.newBuilder()
                .setRunId(runId).setRevision(1).setParametersJson("{}").setTrigger("drift").setRequestedBy("monitor")
                .setAt(Instant.now()).build());
        long deadBefore = watcher.deadLettered();
        produce(pipeline, started);
        produce(pipeline, started); // redelivered: the same event id, dropped by the monitor's loop
        produce(pipeline, new byte[]{7, 7, 7});
        produce(pipeline, runEvent(pipeline, "api-1", RunStarted.newBuilder().setRunId(pipeline + ".2").setRevision(1)
                .setParametersJson("{}").setTrigger("api").setRequestedBy("bob").setAt(Instant.now()).build()));
        produce(pipeline, runEvent(pipeline, "report-1", RunFinished.newBuilder().setRunId(pipeline + ".2")
                .setStatus(RunStatus.FAILED).setReason("not a drift run").setAt(Instant.now()).build()));
        produce(pipeline, runEvent(pipeline, "report-2", RunFinished.newBuilder().setRunId(runId)
                .setStatus(RunStatus.FAILED).setReason("task train failed").setAt(Instant.now()).build()));

        await("the failure alert").atMost(Duration.ofSeconds(30)).until(() -> events(model).stream()
                .anyMatch(e -> e instanceof AlertRaised a && a.kind() == AlertKind.RUN_FAILED));
        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.deadLettered() > deadBefore);

        List<MonitorEvent> events = events(model);
        assertThat(events).filteredOn(RetrainRunLinked.class::isInstance).singleElement().satisfies(e -> {
            RetrainRunLinked link = (RetrainRunLinked) e;
            assertThat(List.of(link.reportId(), link.pipelineId(), link.runId()))
                    .containsExactly(reportId, pipeline, runId);
        });
        assertThat(events).filteredOn(e -> e instanceof AlertRaised a && a.kind() == AlertKind.RUN_FAILED)
                .singleElement().satisfies(e -> assertThat(((AlertRaised) e).message())
                        .contains(runId).contains(reportId).contains("task train failed"));
        assertThat(watcher.linked()).isGreaterThanOrEqualTo(1);
        assertThat(watcher.failuresReported()).isGreaterThanOrEqualTo(1);
    }

    private static List<MonitorEvent> send(MonitorCommand command) throws Exception {
        return gateway.send(new CommandEnvelope(command, Instant.now(), "test")).get(30, TimeUnit.SECONDS)
                .events().stream().map(EventEnvelope::event).toList();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static byte[] runEvent(String pipeline, String causationId, Object payload) {
        return RUN_EVENTS.encode(RunEventEnvelope.newBuilder().setEventId(causationId + "#0")
                .setTimestamp(Instant.now()).setPipelineId(pipeline).setCausationId(causationId)
                .setCorrelationId(pipeline).setPayload(payload).build());
    }

    private static void produce(String pipeline, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(Topics.RUN_EVENTS, pipeline, value)).get();
    }

    private static List<MonitorEvent> events(String model) {
        for (ConsumerRecord<String, byte[]> r : monitorEvents.poll(Duration.ofMillis(200))) {
            if (("monitor/" + model).equals(r.key())) {
                seen.add(CODEC.decodeEvent(r.value()));
            }
        }
        return seen.stream().map(EventEnvelope::event).toList();
    }
}
