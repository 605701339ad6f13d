package dev.drover.registry.readmodel;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.platform.kafka.Topics;
import dev.drover.registry.core.ModelCommand.SetModelTag;
import dev.drover.registry.core.ModelEvent;
import dev.drover.registry.wire.EventEnvelope;
import dev.drover.registry.wire.RegistryCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.drover.registry.readmodel.ReadModelDatabase.dump;
import static dev.drover.registry.readmodel.ReadModelDatabase.execute;
import static dev.drover.registry.readmodel.ReadModelDatabase.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The projector on the shared test broker and a real PostgreSQL: it projects what is in
 * {@code drover.registry.events}, commits rows with offsets, resumes where it stopped,
 * quarantines what it cannot decode or apply, rebuilds to the same rows, and wakes read-your-writes waiters.
 *
 * <p>The topic is shared with every test in the JVM, so each test writes a story about models of its own (a unique
 * marker in every name and command id) and looks only at those rows. Records are written with the registry's own
 * codec, as the decision loop writes them.
 */
class RegistryProjectorTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final RegistryCodec CODEC = new RegistryCodec();
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void broker() throws Exception {
        String bootstrap = TestInfrastructure.kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Topics.ensureTopics(admin, 3, (short) 1);
        }
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    @AfterAll
    static void close() {
        if (producer != null) {
            producer.close();
        }
    }

    /** Where a record landed. */
    private record Position(int partition, long offset) {
    }

    private static List<Position> send(List<EventEnvelope> envelopes) throws Exception {
        List<Position> out = new ArrayList<>();
        for (EventEnvelope e : envelopes) {
            out.add(sendRaw(e.key(), CODEC.encodeEvent(e)));
        }
        return out;
    }

    private static Position sendRaw(String key, byte[] value) throws Exception {
        RecordMetadata m = producer.send(new ProducerRecord<>(Topics.REGISTRY_EVENTS, key, value)).get();
        return new Position(m.partition(), m.offset());
    }

    private static RegistryProjector projector(DataSource db) {
        RegistryProjector p = new RegistryProjector(TestInfrastructure.kafkaBootstrap(), db, CODEC::decodeEvent);
        p.start();
        return p;
    }

    private static void awaitProjected(RegistryProjector projector, Position last) {
        assertThat(projector.awaitProjected(last.partition(), last.offset(), PATIENCE))
                .as("projected up to %s within %s", last, PATIENCE).isTrue();
    }

    private static String marker() {
        return "p" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ---- tests

    @Test
    void projectsTheLogWithTheRecordsPositionsAndAnswersWaiters() throws Exception {
        String marker = marker();
        RegistryStory story = RegistryStory.everyEventType(marker, marker + "-churn", marker + "-features");
        DataSource db = ReadModelDatabase.fresh("projector");
        try (RegistryProjector projector = projector(db)) {
            List<Position> positions = send(story.envelopes());
            Position last = positions.get(positions.size() - 1);
            awaitProjected(projector, last);
            assertThat(projector.hasProjected(last.partition(), last.offset())).isTrue();

            RegistryQueries queries = new RegistryQueries(db);
            assertThat(queries.alias(marker + "-churn", "champion").orElseThrow().version().version()).isEqualTo(1);
            assertThat(queries.history(marker + "-churn")).hasSize((int) story.envelopes().stream()
                    .filter(e -> e.event() instanceof ModelEvent).count());
            for (int i = 0; i < positions.size(); i++) {
                EventEnvelope e = story.envelopes().get(i);
                if (e.last()) {
                    DecidedCommand d = queries.decidedCommand(e.causationId()).orElseThrow();
                    assertThat(new Position(d.partition(), d.lastOffset())).isEqualTo(positions.get(i));
                }
            }

            // nothing lies beyond the stored offsets: rows and offsets were committed together
            assertThat(query(db, "select count(*) from decided_commands d left join projection_offsets o "
                    + "on o.partition_no = d.partition and o.topic = 'drover.registry.events' "
                    + "where o.next_offset is null or d.last_offset >= o.next_offset"))
                    .containsExactly("0");

            // a wait for a position not yet written times out, having waited
            long start = System.nanoTime();
            assertThat(projector.awaitProjected(last.partition(), last.offset() + 1_000_000, Duration.ofMillis(300)))
                    .isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void poisonIsQuarantinedWithItsErrorAndWhatFollowsIsProjected() throws Exception {
        String marker = marker();
        RegistryStory story = new RegistryStory(marker);
        String model = marker + "-model";
        DataSource db = ReadModelDatabase.fresh("projector_poison");
        try (RegistryProjector projector = projector(db)) {
            Position created = send(story.model(new dev.drover.registry.core.ModelCommand.CreateModel(
                    story.nextId(), model, null, null, RegistryStory.ALICE))).get(0);
            awaitProjected(projector, created);

            // garbage bytes, then a well-formed event whose content PostgreSQL refuses (a NUL in a name, as one
            // reached the log before the input rules existed), then a valid event on the same partition
            Position garbage = sendRaw(dev.drover.registry.wire.RegistryKeys.model(model),
                    "not an event".getBytes(StandardCharsets.UTF_8));
            java.time.Instant now = java.time.Instant.now();
            Position nul = send(List.of(new EventEnvelope(marker + "-poison#0", now,
                    dev.drover.registry.wire.RegistryKeys.model(model), marker + "-poison", "corr", 0, 1,
                    new ModelEvent.ModelTagSet(model, "k\u0000", "v", RegistryStory.ALICE, now)))).get(0);
            Position tagged = send(story.model(new SetModelTag(story.nextId(), model, "k", "v",
                    RegistryStory.ALICE))).get(0);
            assertThat(tagged.partition()).as("same key, same partition").isEqualTo(garbage.partition());
            awaitProjected(projector, tagged);

            assertThat(new RegistryQueries(db).model(model).orElseThrow().tags()).isEqualTo(Map.of("k", "v"));
            List<dev.drover.platform.readmodel.TableProjector.Quarantined> q = projector.projector().quarantine();
            assertThat(q).extracting(x -> x.position().offset()).containsExactly(garbage.offset(), nul.offset());
            assertThat(q.get(0).error()).startsWith("cannot be decoded");
            assertThat(q.get(1).error()).startsWith("cannot be applied").contains("\\u0000 cannot be converted");
            assertThat(q.get(1).tries()).isEqualTo(dev.drover.platform.readmodel.TableProjector.MAX_TRIES);
            assertThat(projector.projector().quarantined()).isEqualTo(2);
        }
    }

    @Test
    void rebuildEmptiesTheTablesAndProjectsTheSameRowsAgain() throws Exception {
        String marker = marker();
        String model = marker + "-churn";
        RegistryStory story = RegistryStory.everyEventType(marker, model, marker + "-features");
        DataSource db = ReadModelDatabase.fresh("projector_rebuild");
        try (RegistryProjector projector = projector(db)) {
            List<Position> positions = send(story.envelopes());
            Position last = positions.get(positions.size() - 1);
            awaitProjected(projector, last);
            Map<String, List<String>> reference = dump(db, marker);
            assertThat(reference.get("model_events")).hasSizeGreaterThan(20);

            // damage the read model the way a bug or a hand-made fix would
            execute(db, "update model_versions set stage = 'TAMPERED' where model_name = '" + model + "'");
            execute(db, "delete from alias_history where model_name = '" + model + "'");
            execute(db, "insert into registered_models (name, created_at, updated_at) values ('" + marker
                    + "-ghost', now(), now())");
            assertThat(dump(db, marker)).isNotEqualTo(reference);

            projector.rebuild();
            await("rebuild").atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() ->
                    // the ghost goes only with the truncation, so progress read after that is the rebuild's
                    query(db, "select count(*) from registered_models where name = ?", marker + "-ghost")
                            .equals(List.of("0")) && projector.hasProjected(last.partition(), last.offset()));
            assertThat(dump(db, marker)).isEqualTo(reference);
        }
    }

    @Test
    void aRestartedProjectorResumesFromItsOffsetsAndNothingDoubles() throws Exception {
        String marker = marker();
        String model = marker + "-churn";
        RegistryStory story = RegistryStory.everyEventType(marker, model, marker + "-features");
        DataSource db = ReadModelDatabase.fresh("projector_restart");
        List<Position> positions = send(story.envelopes());
        try (RegistryProjector projector = projector(db)) {
            awaitProjected(projector, positions.get(positions.size() - 1));
        }
        Map<String, List<String>> before = dump(db, marker);

        // while it is down, the model changes
        Position tagged = send(story.model(new SetModelTag(story.nextId(), model, "while", "down",
                RegistryStory.ALICE))).get(0);
        try (RegistryProjector projector = projector(db)) {
            awaitProjected(projector, tagged);
        }
        Map<String, List<String>> after = dump(db, marker);
        assertThat(after.get("model_events")).hasSize(before.get("model_events").size() + 1);
        assertThat(new RegistryQueries(db).model(model).orElseThrow().tags()).containsEntry("while", "down");

        // with its offsets lost, it projects the whole log again over the rows it has: still nothing doubles
        execute(db, "delete from projection_offsets");
        try (RegistryProjector projector = projector(db)) {
            awaitProjected(projector, tagged);
        }
        assertThat(dump(db, marker)).isEqualTo(after);
    }
}
