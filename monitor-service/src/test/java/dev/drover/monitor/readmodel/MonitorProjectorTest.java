package dev.drover.monitor.readmodel;

import dev.drover.embedded.TestInfrastructure;
import dev.drover.monitor.core.AlertKind;
import dev.drover.monitor.core.MonitorEvent;
import dev.drover.monitor.wire.EventEnvelope;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.monitor.wire.MonitorKeys;
import dev.drover.platform.kafka.Topics;
import dev.drover.platform.readmodel.TableProjector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor's projector on the shared test broker and a real PostgreSQL: poison in {@code drover.monitor.events}
 * — bytes that are no event, an event whose text the database refuses — is quarantined with its error, and the next
 * valid event is projected.
 */
class MonitorProjectorTest {
    private static final MonitorCodec CODEC = new MonitorCodec();

    @Test
    void poisonIsQuarantinedAndTheNextValidEventIsProjected() throws Exception {
        String model = "m" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafkaBootstrap()));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestInfrastructure.kafkaBootstrap(),
                     ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                     ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            Topics.ensureTopics(admin, 3, (short) 1);
            DataSource db = ReadModelDatabase.fresh("monitor_projector_poison");
            try (MonitorProjector projector = new MonitorProjector(TestInfrastructure.kafkaBootstrap(), db,
                    CODEC::decodeEvent)) {
                projector.start();
                String key = MonitorKeys.model(model);
                RecordMetadata garbage = producer.send(new ProducerRecord<>(Topics.MONITOR_EVENTS, key,
                        new byte[] {(byte) 0xC3, 0x01, 9, 9})).get();
                RecordMetadata nul = producer.send(new ProducerRecord<>(Topics.MONITOR_EVENTS, key,
                        CODEC.encodeEvent(alert(model, "drift in a\u0000b", 0)))).get();
                RecordMetadata valid = producer.send(new ProducerRecord<>(Topics.MONITOR_EVENTS, key,
                        CODEC.encodeEvent(alert(model, "drift in tenure", 1)))).get();
                assertThat(projector.awaitProjected(valid.partition(), valid.offset(), Duration.ofSeconds(30)))
                        .isTrue();

                assertThat(new MonitorQueries(db).alerts(model, 10, null).items())
                        .extracting(AlertView::message).containsExactly("drift in tenure");
                List<TableProjector.Quarantined> q = projector.projector().quarantine();
                assertThat(q).extracting(x -> x.position().offset()).contains(garbage.offset(), nul.offset());
                assertThat(q).filteredOn(x -> x.position().offset() == nul.offset()).singleElement()
                        .satisfies(x -> {
                            assertThat(x.error()).startsWith("cannot be applied");
                            assertThat(x.tries()).isEqualTo(TableProjector.MAX_TRIES);
                        });
            }
        }
    }

    private static EventEnvelope alert(String model, String message, int n) {
        Instant at = Instant.now();
        return new EventEnvelope(model + "-alert-" + n, at, MonitorKeys.model(model), model + "-cmd-" + n,
                "corr", 0, 1, new MonitorEvent.AlertRaised(model, AlertKind.DRIFT, message, List.of(), at));
    }
}
