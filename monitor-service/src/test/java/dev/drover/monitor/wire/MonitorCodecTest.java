package dev.drover.monitor.wire;

import dev.drover.monitor.core.MonitorCommand;
import dev.drover.monitor.core.MonitorEvent;
import dev.drover.platform.avro.AvroCodec;
import dev.drover.schemas.monitor.command.MonitorCommandEnvelope;
import dev.drover.schemas.monitor.event.MonitorEventEnvelope;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.drover.monitor.wire.MonitorWireSamples.MODEL;
import static dev.drover.monitor.wire.MonitorWireSamples.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every monitor command and event survives the trip through bytes unchanged, with every optional part set and with
 * every optional part null or empty; every subtype has a sample here and every payload branch of the schemas is
 * used, so a new command or event without a wire form fails this test. Predictions and labels keep every value
 * type. Bytes that are not the record asked for are refused with a message that says what could not be read.
 */
class MonitorCodecTest {
    private final MonitorCodec codec = new MonitorCodec();

    static Stream<MonitorCommand> commands() {
        return Stream.of(MonitorWireSamples.fullCommands(), MonitorWireSamples.sparseCommands(),
                MonitorWireSamples.hollowCommands()).flatMap(List::stream);
    }

    static Stream<MonitorEvent> events() {
        return Stream.concat(MonitorWireSamples.fullEvents().stream(), MonitorWireSamples.sparseEvents().stream());
    }

    // ---- round trips

    @ParameterizedTest
    @MethodSource("commands")
    void every_command_round_trips(MonitorCommand command) {
        CommandEnvelope envelope = new CommandEnvelope(command, T, "window-w-42");

        CommandEnvelope decoded = codec.decodeCommand(codec.encodeCommand(envelope));

        assertThat(decoded).isEqualTo(envelope);
        assertThat(decoded.key()).isEqualTo("monitor/" + MODEL);
    }

    @ParameterizedTest
    @MethodSource("events")
    void every_event_round_trips(MonitorEvent event) {
        EventEnvelope envelope = new EventEnvelope("c-1#1", T, MonitorKeys.model(MODEL), "c-1", "window-w-42", 1, 2,
                event);

        EventEnvelope decoded = codec.decodeEvent(codec.encodeEvent(envelope));

        assertThat(decoded).isEqualTo(envelope);
        assertThat(decoded.last()).isTrue();
    }

    @Test
    void the_bytes_are_the_schemas_envelopes_with_the_name_in_the_key() {
        MonitorCommandEnvelope avroCommand = new AvroCodec<>(MonitorCommandEnvelope.class).decode(codec.encodeCommand(
                new CommandEnvelope(MonitorWireSamples.fullCommands().get(0), T, null)));
        assertThat(avroCommand.getKey()).isEqualTo("monitor/churn");
        assertThat(avroCommand.getCommandId()).isEqualTo("c-1");
        assertThat(avroCommand.getCorrelationId()).isNull();

        MonitorEventEnvelope avroEvent = new AvroCodec<>(MonitorEventEnvelope.class).decode(codec.encodeEvent(
                new EventEnvelope("c-2#0", T, "monitor/churn", "c-2", null, 0, 1,
                        MonitorWireSamples.fullEvents().get(1))));
        assertThat(avroEvent.getKey()).isEqualTo("monitor/churn");
        assertThat(avroEvent.getTimestamp()).isEqualTo(T);
        assertThat(avroEvent.getPayload()).isInstanceOf(dev.drover.schemas.monitor.event.DriftReportRecorded.class);
    }

    @Test
    void predictions_keep_every_value_type_and_missing_values() {
        Map<String, Object> features = new HashMap<>();
        features.put("age", 42.5);
        features.put("plan", "pro");
        features.put("churned_before", true);
        features.put("income", null);
        Prediction prediction = new Prediction(MODEL, 3, T, "req-1", features, 0.87);

        Prediction decoded = codec.decodePrediction(codec.encodePrediction(prediction));

        assertThat(decoded).isEqualTo(prediction);
        assertThat(decoded.features()).containsEntry("income", null).containsEntry("plan", "pro")
                .containsEntry("churned_before", true);
        assertThat(codec.decodePrediction(codec.encodePrediction(new Prediction(MODEL, 3, T, "req-2", Map.of(),
                "churn"))).prediction()).isEqualTo("churn");
        assertThat(codec.decodePrediction(codec.encodePrediction(new Prediction(MODEL, 3, T, "req-3", null,
                false))).prediction()).isEqualTo(false);
    }

    @Test
    void labels_keep_every_value_type() {
        for (Object value : List.of(1.0, "churn", true)) {
            Label label = new Label(MODEL, "req-1", T, value);
            assertThat(codec.decodeLabel(codec.encodeLabel(label))).isEqualTo(label);
        }
    }

    @Test
    void instants_are_kept_to_the_millisecond() {
        Instant micros = Instant.parse("2030-05-06T07:08:09.123456Z");

        assertThat(codec.decodeCommand(codec.encodeCommand(new CommandEnvelope(
                MonitorWireSamples.fullCommands().get(3), micros, null))).issuedAt())
                .isEqualTo(Instant.parse("2030-05-06T07:08:09.123Z"));
    }

    // ---- exhaustiveness

    @Test
    void every_command_type_has_a_full_and_a_sparse_sample() {
        Set<Class<?>> all = MonitorWireSamples.concreteTypes(MonitorCommand.class);

        assertThat(classes(MonitorWireSamples.fullCommands())).as("add a full sample of each new command")
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(classes(MonitorWireSamples.sparseCommands())).as("add a sparse sample of each new command")
                .containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void every_event_type_has_a_full_and_a_sparse_sample() {
        Set<Class<?>> all = MonitorWireSamples.concreteTypes(MonitorEvent.class);

        assertThat(classes(MonitorWireSamples.fullEvents())).as("add a full sample of each new event")
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(classes(MonitorWireSamples.sparseEvents())).as("add a sparse sample of each new event")
                .containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void every_payload_branch_is_used_and_named_after_its_java_type() {
        List<String> commandPayloads = new ArrayList<>();
        for (MonitorCommand c : MonitorWireSamples.fullCommands()) {
            Object payload = CommandMapping.toAvro(c);
            assertThat(payload.getClass().getSimpleName()).isEqualTo(c.getClass().getSimpleName());
            commandPayloads.add(payload.getClass().getName());
        }
        assertThat(commandPayloads).containsExactlyInAnyOrderElementsOf(
                branches(MonitorCommandEnvelope.getClassSchema()));

        List<String> eventPayloads = new ArrayList<>();
        for (MonitorEvent e : MonitorWireSamples.fullEvents()) {
            Object payload = EventMapping.toAvro(e);
            assertThat(payload.getClass().getSimpleName()).isEqualTo(e.getClass().getSimpleName());
            eventPayloads.add(payload.getClass().getName());
        }
        assertThat(eventPayloads).containsExactlyInAnyOrderElementsOf(branches(MonitorEventEnvelope.getClassSchema()));
    }

    // ---- what cannot be read or written

    @Test
    void garbage_is_no_monitor_record() {
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decodeCommand(garbage)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not read a monitor command envelope from " + garbage.length + " bytes");
        assertThatThrownBy(() -> codec.decodeEvent(new byte[]{(byte) 0xC3, 0x01, 7, 7}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not read a monitor event envelope from 4 bytes");
        assertThatThrownBy(() -> codec.decodePrediction(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not read a prediction from 0 bytes");
        assertThatThrownBy(() -> codec.decodeLabel(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not read a label from a record without a value");
    }

    @Test
    void a_truncated_event_is_refused() {
        byte[] bytes = codec.encodeEvent(new EventEnvelope("c-1#0", T, "monitor/churn", "c-1", null, 0, 1,
                MonitorWireSamples.fullEvents().get(1)));

        assertThatThrownBy(() -> codec.decodeEvent(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not read a monitor event envelope");
    }

    @Test
    void a_label_is_not_a_prediction() {
        byte[] label = codec.encodeLabel(new Label(MODEL, "req-1", T, "churn"));

        assertThatThrownBy(() -> codec.decodePrediction(label)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not read a prediction");
    }

    @Test
    void a_record_without_the_monitor_key_is_refused() {
        AvroCodec<MonitorCommandEnvelope> raw = new AvroCodec<>(MonitorCommandEnvelope.class);
        MonitorCommandEnvelope envelope = raw.decode(codec.encodeCommand(
                new CommandEnvelope(MonitorWireSamples.fullCommands().get(0), T, null)));
        envelope.setKey("model/churn");

        assertThatThrownBy(() -> codec.decodeCommand(raw.encode(envelope)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("command c-1 has key 'model/churn', but monitor records need a key "
                        + "monitor/<model name>");
    }

    @Test
    void a_malformed_duration_is_refused_with_the_field_it_is_in() {
        AvroCodec<MonitorEventEnvelope> raw = new AvroCodec<>(MonitorEventEnvelope.class);
        MonitorEventEnvelope envelope = raw.decode(codec.encodeEvent(new EventEnvelope("c-1#0", T, "monitor/churn",
                "c-1", null, 0, 1, MonitorWireSamples.fullEvents().get(0))));
        ((dev.drover.schemas.monitor.event.MonitoringConfigured) envelope.getPayload()).getPolicy()
                .setRetrainCooldown("90 minutes");

        assertThatThrownBy(() -> codec.decodeEvent(raw.encode(envelope)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not read monitor event c-1#0 (MonitoringConfigured)")
                .hasMessageContaining("retrainCooldown '90 minutes' is not an ISO-8601 duration");
    }

    @Test
    void an_event_keyed_for_another_model_is_not_written() {
        assertThatThrownBy(() -> codec.encodeEvent(new EventEnvelope("c-1#0", T, "monitor/other", "c-1", null, 0, 1,
                MonitorWireSamples.fullEvents().get(0)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has key 'monitor/other' but belongs to 'monitor/churn'");
    }

    @Test
    void an_event_missing_a_required_value_is_not_written() {
        MonitorEvent event = new MonitorEvent.RollbackRequested(MODEL, 3, null, T);

        assertThatThrownBy(() -> codec.encodeEvent(new EventEnvelope("c-1#0", T, "monitor/churn", "c-1", null, 0, 1,
                event))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not encode monitor event c-1#0 (RollbackRequested)");
    }

    @Test
    void an_inference_value_of_another_type_is_refused_with_where_it_is() {
        assertThatThrownBy(() -> codec.encodePrediction(new Prediction(MODEL, 3, T, "req-1", Map.of("age", 42),
                1.0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prediction req-1 of model churn, feature 'age' is a Integer (42)")
                .hasMessageContaining("convert numbers to double");
        assertThatThrownBy(() -> codec.encodePrediction(new Prediction(MODEL, 3, T, "req-1", Map.of(), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no predicted value");
        assertThatThrownBy(() -> codec.encodeLabel(new Label(MODEL, "req-1", T, 1L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label req-1 of model churn is a Long (1)");
        assertThatThrownBy(() -> codec.encodeLabel(new Label(MODEL, null, T, 1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not encode label null of model churn");
    }

    // ---- helpers

    private static Set<Class<?>> classes(List<?> samples) {
        return samples.stream().map(Object::getClass).collect(Collectors.toSet());
    }

    private static Set<String> branches(Schema envelope) {
        return envelope.getField("payload").schema().getTypes().stream().map(Schema::getFullName)
                .collect(Collectors.toSet());
    }
}
