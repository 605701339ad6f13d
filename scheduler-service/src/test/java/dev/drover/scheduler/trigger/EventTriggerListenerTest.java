package dev.drover.scheduler.trigger;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.kafka.Topics;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.loop.EventEnvelope;
import dev.drover.scheduler.loop.LogCodec;
import dev.drover.scheduler.loop.SchedulerHarness;
import dev.drover.scheduler.loop.TopicReader;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.projection.ReadModelProjector;
import dev.drover.schemas.common.DeadLetter;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.drover.scheduler.loop.SchedulerHarness.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Event triggers on the real broker and a real read model: CloudEvents published to {@code drover.external.events}
 * by the CloudEvents SDK's own Kafka serializer, in binary and structured mode, start runs with the mapped
 * parameters; a false filter starts nothing; a redelivered event starts one run; a run the scheduler refuses is
 * recorded with the reason; a record that is not a CloudEvent is dead-lettered with the reason.
 */
class EventTriggerListenerTest {
    private static final AvroCodec<DeadLetter> DEAD_LETTERS = new AvroCodec<>(DeadLetter.class);
    private static SchedulerHarness scheduler;
    private static ReadModelProjector projector;
    private static EventTriggerListener listener;
    private static KafkaProducer<String, CloudEvent> binary;
    private static KafkaProducer<String, CloudEvent> structured;
    private static KafkaProducer<String, byte[]> raw;
    private static ExternalEventStore store;
    private static TopicReader<DeadLetter> deadLetters;

    @BeforeAll
    static void start() {
        scheduler = new SchedulerHarness();
        scheduler.startLoop(uniqueId("event-trigger"));
        String url = TestInfrastructure.newDatabase("event_trigger");
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
        store = new ExternalEventStore(db);
        listener = new EventTriggerListener(bootstrap, store, scheduler.gateway(), Duration.ofSeconds(30));
        listener.start();
        binary = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class,
                CloudEventSerializer.ENCODING_CONFIG, Encoding.BINARY.name()));
        structured = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class,
                CloudEventSerializer.ENCODING_CONFIG, Encoding.STRUCTURED.name(),
                CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE));
        raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        deadLetters = new TopicReader<>(Topics.DEAD_LETTER, DEAD_LETTERS::decode);
    }

    @AfterAll
    static void stop() {
        deadLetters.close();
        raw.close();
        structured.close();
        binary.close();
        listener.close();
        projector.close();
        scheduler.close();
    }

    private static CloudEvent event(String type, String id, String json) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/warehouse/loader")).withType(type)
                .withSubject("churn").withData("application/json", json.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static String register(String type, String prefix) {
        String id = scheduler.register("""
                id: %s
                parameters:
                  table: {}
                  rows: {type: integer, default: 0}
                tasks: [{id: train, type: noop}]
                triggers:
                  - event:
                      type: %s
                      filter: data.rows > 100
                      parameters: {table: data.table, rows: data.rows}
                """.formatted(uniqueId(prefix), type));
        await("the read model has " + id).atMost(Duration.ofSeconds(30))
                .until(() -> store.pipelinesTriggeredBy(type).stream().map(PipelineSpec::id).toList().contains(id));
        return id;
    }

    private static ExternalEventStore.Received recorded(String type, String id) {
        return await("event " + id + " recorded").atMost(Duration.ofSeconds(30))
                .until(() -> store.list(type, null, null, null, 100).events().stream()
                        .filter(r -> r.event().id().equals(id)).findFirst(), java.util.Optional::isPresent).get();
    }

    @Test
    void binaryAndStructuredEventsStartRunsWithTheMappedParametersAndAFalseFilterStartsNone() throws Exception {
        String type = "com.example." + UUID.randomUUID() + ".updated";
        String pipeline = register(type, "event-modes");

        binary.send(new ProducerRecord<>(Topics.EXTERNAL_EVENTS, "k", event(type, "b-1",
                "{\"table\": \"churn_features\", \"rows\": 1200}"))).get();
        structured.send(new ProducerRecord<>(Topics.EXTERNAL_EVENTS, "k", event(type, "s-1",
                "{\"table\": \"churn_labels\", \"rows\": 300}"))).get();
        binary.send(new ProducerRecord<>(Topics.EXTERNAL_EVENTS, "k", event(type, "small-1",
                "{\"table\": \"tiny\", \"rows\": 3}"))).get();

        ExternalEventStore.Received b = recorded(type, "b-1");
        ExternalEventStore.Received s = recorded(type, "s-1");
        ExternalEventStore.Received small = recorded(type, "small-1");
        assertThat(b.outcomes()).singleElement().satisfies(o -> {
            assertThat(o).containsEntry("pipelineId", pipeline).containsEntry("status", "STARTED");
            assertThat(o.get("runId")).asString().startsWith(pipeline + ".event-");
        });
        assertThat(b.event().subject()).isEqualTo("churn");
        assertThat(b.event().data()).isEqualTo(Map.of("table", "churn_features", "rows", 1200L));
        assertThat(s.outcomes()).singleElement().satisfies(o -> assertThat(o).containsEntry("status", "STARTED"));
        assertThat(small.outcomes()).singleElement().satisfies(o -> assertThat(o)
                .containsEntry("status", "NOT_MATCHED").containsEntry("runId", null));

        List<RunStarted> runs = started(pipeline);
        assertThat(runs).extracting(RunStarted::parameters).containsExactlyInAnyOrder(
                Map.of("table", "churn_features", "rows", 1200L), Map.of("table", "churn_labels", "rows", 300L));
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.trigger()).isEqualTo("event");
            assertThat(r.requestedBy()).isEqualTo("event:/warehouse/loader");
        });
    }

    @Test
    void anEventDeliveredTwiceStartsOneRun() throws Exception {
        String type = "com.example." + UUID.randomUUID() + ".updated";
        String pipeline = register(type, "event-dup");
        CloudEvent e = event(type, "dup-1", "{\"table\": \"t\", \"rows\": 500}");
        long duplicatesBefore = listener.duplicates();

        binary.send(new ProducerRecord<>(Topics.EXTERNAL_EVENTS, "k", e)).get();
        structured.send(new ProducerRecord<>(Topics.EXTERNAL_EVENTS, "k", e)).get();

        await("the second delivery refused as a duplicate").atMost(Duration.ofSeconds(30))
                .until(() -> listener.duplicates() > duplicatesBefore);
        assertThat(started(pipeline)).singleElement().satisfies(r -> assertThat(r.runId())
                .isEqualTo(recorded(type, "dup-1").outcomes().get(0).get("runId")));
        assertThat(store.list(type, null, null, null, 100).events()).hasSize(1);
    }

    @Test
    void aRunTheSchedulerRefusesIsRecordedWithTheReason() throws Exception {
        String type = "com.example." + UUID.randomUUID() + ".updated";
        String pipeline = register(type, "event-refused");

        // table is an object: the scheduler refuses it for the string parameter
        binary.send(new ProducerRecord<>(Topics.EXTERNAL_EVENTS, "k", event(type, "bad-1",
                "{\"table\": {\"name\": \"t\"}, \"rows\": 500}"))).get();
        // no data.table at all: the mapping fails
        binary.send(new ProducerRecord<>(Topics.EXTERNAL_EVENTS, "k", event(type, "bad-2", "{\"rows\": 500}"))).get();

        assertThat(recorded(type, "bad-1").outcomes()).singleElement().satisfies(o -> {
            assertThat(o).containsEntry("pipelineId", pipeline).containsEntry("status", "REJECTED");
            assertThat(o.get("reason")).asString().startsWith("INVALID_PARAMETERS: ").contains("table");
        });
        assertThat(recorded(type, "bad-2").outcomes()).singleElement().satisfies(o -> {
            assertThat(o).containsEntry("status", "FAILED");
            assertThat(o.get("reason")).asString().startsWith("parameter table of triggers[0] of pipeline "
                    + pipeline + ": `data.table` failed: ");
        });
        assertThat(started(pipeline)).isEmpty();
    }

    @Test
    void aRecordThatIsNotACloudEventIsDeadLetteredWithTheReason() throws Exception {
        RecordMetadata poison = raw.send(new ProducerRecord<>(Topics.EXTERNAL_EVENTS, "k",
                "{\"hello\": 1}".getBytes(StandardCharsets.UTF_8))).get();
        ProducerRecord<String, byte[]> noType = new ProducerRecord<>(Topics.EXTERNAL_EVENTS, "k", new byte[0]);
        noType.headers().add("ce_specversion", "1.0".getBytes()).add("ce_id", "x".getBytes())
                .add("ce_source", "/s".getBytes());
        RecordMetadata missing = raw.send(noType).get();

        DeadLetter first = deadLetters.awaitFirst("the dead letter of the record", d -> same(d, poison));
        assertThat(first.getReason()).startsWith("not a valid CloudEvent: not a CloudEvent: there is neither a "
                + "content type application/cloudevents+json");
        assertThat(first.getService()).isEqualTo("scheduler-event-triggers");
        DeadLetter second = deadLetters.awaitFirst("the dead letter of the event without type",
                d -> same(d, missing));
        assertThat(second.getReason()).isEqualTo("not a valid CloudEvent: header ce_type is missing; a CloudEvent "
                + "needs specversion, id, source and type: set it to the kind of event, e.g. com.example.table.updated");
    }

    @Test
    void receivedEventsAreListedInOrderWithFiltersAndPages() throws Exception {
        String type = "com.example." + UUID.randomUUID() + ".listed";
        Instant before = Instant.now().minusSeconds(1);
        for (int i = 0; i < 3; i++) {
            binary.send(new ProducerRecord<>(Topics.EXTERNAL_EVENTS, "k", event(type, "l-" + i, "{\"i\": " + i + "}")))
                    .get();
        }
        recorded(type, "l-2");
        ExternalEventStore.Page first = store.list(type, "/warehouse/loader", before, null, 2);
        assertThat(first.events()).extracting(r -> r.event().id()).containsExactly("l-0", "l-1");
        ExternalEventStore.Page second = store.list(type, null, null, Long.valueOf(first.nextPosition()), 2);
        assertThat(second.events()).extracting(r -> r.event().id()).containsExactly("l-2");
        assertThat(second.nextPosition()).isNull();
        assertThat(store.list(type, "/elsewhere", null, null, 10).events()).isEmpty();
        assertThat(store.list(type, null, second.events().get(0).receivedAt(), null, 10).events()).isEmpty();
    }

    private static boolean same(DeadLetter d, RecordMetadata m) {
        return d.getSourceTopic().equals(m.topic()) && d.getPartition() == m.partition() && d.getOffset() == m.offset();
    }

    private static List<RunStarted> started(String pipelineId) {
        return scheduler.pipelineEvents(pipelineId).stream().map(EventEnvelope::event)
                .filter(RunStarted.class::isInstance).map(RunStarted.class::cast).toList();
    }
}
