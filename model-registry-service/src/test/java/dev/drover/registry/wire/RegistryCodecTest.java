package dev.drover.registry.wire;

import dev.drover.registry.core.FeatureSetCommand;
import dev.drover.registry.core.FeatureSetEvent;
import dev.drover.registry.core.ModelCommand;
import dev.drover.registry.core.ModelEvent;
import dev.drover.schemas.registry.command.RegistryCommandEnvelope;
import dev.drover.schemas.registry.event.RegistryEventEnvelope;
import dev.drover.platform.avro.AvroCodec;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.drover.registry.wire.RegistryWireSamples.FEATURE_SET;
import static dev.drover.registry.wire.RegistryWireSamples.MODEL;
import static dev.drover.registry.wire.RegistryWireSamples.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every registry command and event survives the trip through bytes unchanged, with every optional part set and with
 * every optional part null or empty; every subtype has a sample here and every payload branch of the schemas is
 * used, so a new command or event without a wire form fails this test; bytes that are not a registry record are
 * refused with a message that says what could not be read.
 */
class RegistryCodecTest {
    private final RegistryCodec codec = new RegistryCodec();

    static Stream<Object> commands() {
        return Stream.of(RegistryWireSamples.fullCommands(), RegistryWireSamples.sparseCommands(),
                RegistryWireSamples.commandsWithoutNestedValues()).flatMap(List::stream);
    }

    static Stream<Object> events() {
        return Stream.concat(RegistryWireSamples.fullEvents().stream(), RegistryWireSamples.sparseEvents().stream());
    }

    // ---- round trips

    @ParameterizedTest
    @MethodSource("commands")
    void every_command_round_trips(Object command) {
        CommandEnvelope envelope = new CommandEnvelope(command, T, "run-7");

        CommandEnvelope decoded = codec.decodeCommand(codec.encodeCommand(envelope));

        assertThat(decoded).isEqualTo(envelope);
        assertThat(decoded.command()).isEqualTo(command);
        assertThat(decoded.key()).isEqualTo(envelope.key());
    }

    @ParameterizedTest
    @MethodSource("events")
    void every_event_round_trips(Object event) {
        EventEnvelope envelope = new EventEnvelope("c-1#1", T, keyOf(event), "c-1", "run-7", 1, 2, event);

        EventEnvelope decoded = codec.decodeEvent(codec.encodeEvent(envelope));

        assertThat(decoded).isEqualTo(envelope);
        assertThat(decoded.event()).isEqualTo(event);
        assertThat(decoded.last()).isTrue();
    }

    @Test
    void envelopes_without_a_correlation_id_round_trip() {
        CommandEnvelope command = new CommandEnvelope(RegistryWireSamples.fullCommands().get(0), T, null);
        assertThat(codec.decodeCommand(codec.encodeCommand(command)).correlationId()).isNull();

        Object event = RegistryWireSamples.fullEvents().get(0);
        EventEnvelope envelope = new EventEnvelope("c-1#0", T, keyOf(event), "c-1", null, 0, 1, event);
        assertThat(codec.decodeEvent(codec.encodeEvent(envelope))).isEqualTo(envelope);
    }

    @Test
    void the_bytes_are_the_schemas_envelopes_with_the_name_in_the_key() {
        Object command = RegistryWireSamples.fullCommands().get(0);
        RegistryCommandEnvelope avroCommand = new AvroCodec<>(RegistryCommandEnvelope.class)
                .decode(codec.encodeCommand(new CommandEnvelope(command, T, "run-7")));
        assertThat(avroCommand.getKey()).isEqualTo("model/" + MODEL);
        assertThat(avroCommand.getCommandId()).isEqualTo("c-1");
        assertThat(avroCommand.getIssuedAt()).isEqualTo(T);

        Object event = RegistryWireSamples.fullEvents().get(RegistryWireSamples.fullEvents().size() - 2);
        RegistryEventEnvelope avroEvent = new AvroCodec<>(RegistryEventEnvelope.class)
                .decode(codec.encodeEvent(new EventEnvelope("c-20#0", T, keyOf(event), "c-20", null, 0, 1, event)));
        assertThat(avroEvent.getKey()).isEqualTo("feature-set/" + FEATURE_SET);
        assertThat(avroEvent.getTimestamp()).isEqualTo(T);
        assertThat(avroEvent.getIndex()).isZero();
        assertThat(avroEvent.getCount()).isEqualTo(1);
    }

    @Test
    void instants_are_kept_to_the_millisecond() {
        Instant micros = Instant.parse("2030-05-06T07:08:09.123456Z");
        Object command = RegistryWireSamples.fullCommands().get(0);

        assertThat(codec.decodeCommand(codec.encodeCommand(new CommandEnvelope(command, micros, null))).issuedAt())
                .isEqualTo(Instant.parse("2030-05-06T07:08:09.123Z"));
    }

    // ---- exhaustiveness

    @Test
    void every_command_type_has_a_full_and_a_sparse_sample() {
        Set<Class<?>> all = new HashSet<>(RegistryWireSamples.concreteTypes(ModelCommand.class));
        all.addAll(RegistryWireSamples.concreteTypes(FeatureSetCommand.class));

        assertThat(classes(RegistryWireSamples.fullCommands())).as("add a full sample of each new command")
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(classes(RegistryWireSamples.sparseCommands())).as("add a sparse sample of each new command")
                .containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void every_event_type_has_a_full_and_a_sparse_sample() {
        Set<Class<?>> all = new HashSet<>(RegistryWireSamples.concreteTypes(ModelEvent.class));
        all.addAll(RegistryWireSamples.concreteTypes(FeatureSetEvent.class));

        assertThat(classes(RegistryWireSamples.fullEvents())).as("add a full sample of each new event")
                .containsExactlyInAnyOrderElementsOf(all);
        assertThat(classes(RegistryWireSamples.sparseEvents())).as("add a sparse sample of each new event")
                .containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void every_payload_branch_is_used_and_named_after_its_java_type() {
        Set<String> commandBranches = branches(RegistryCommandEnvelope.getClassSchema());
        List<String> commandPayloads = new ArrayList<>();
        for (Object c : RegistryWireSamples.fullCommands()) {
            Object payload = CommandMapping.toAvro(c);
            assertThat(payload.getClass().getSimpleName()).isEqualTo(c.getClass().getSimpleName());
            commandPayloads.add(payload.getClass().getName());
        }
        assertThat(commandPayloads).containsExactlyInAnyOrderElementsOf(commandBranches);

        Set<String> eventBranches = branches(RegistryEventEnvelope.getClassSchema());
        List<String> eventPayloads = new ArrayList<>();
        for (Object e : RegistryWireSamples.fullEvents()) {
            Object payload = EventMapping.toAvro(e);
            assertThat(payload.getClass().getSimpleName()).isEqualTo(e.getClass().getSimpleName());
            eventPayloads.add(payload.getClass().getName());
        }
        assertThat(eventPayloads).containsExactlyInAnyOrderElementsOf(eventBranches);
    }

    // ---- what cannot be read

    @Test
    void garbage_is_not_a_command() {
        byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> codec.decodeCommand(garbage)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not read a registry command envelope from " + garbage.length + " bytes");
    }

    @Test
    void garbage_is_not_an_event() {
        assertThatThrownBy(() -> codec.decodeEvent(new byte[]{(byte) 0xC3, 0x01, 7, 7, 7}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not read a registry event envelope from 5 bytes");
        assertThatThrownBy(() -> codec.decodeEvent(new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("registry event envelope");
    }

    @Test
    void a_truncated_event_is_refused() {
        Object event = RegistryWireSamples.fullEvents().get(1);
        byte[] bytes = codec.encodeEvent(new EventEnvelope("c-1#0", T, keyOf(event), "c-1", null, 0, 1, event));

        assertThatThrownBy(() -> codec.decodeEvent(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not read a registry event envelope");
    }

    @Test
    void a_command_is_not_an_event() {
        byte[] command = codec.encodeCommand(new CommandEnvelope(RegistryWireSamples.fullCommands().get(1), T, "x"));

        assertThatThrownBy(() -> codec.decodeEvent(command)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("registry event envelope");
    }

    @Test
    void a_payload_under_the_other_aggregates_key_is_refused() {
        AvroCodec<RegistryCommandEnvelope> raw = new AvroCodec<>(RegistryCommandEnvelope.class);
        RegistryCommandEnvelope envelope = raw.decode(codec.encodeCommand(
                new CommandEnvelope(RegistryWireSamples.fullCommands().get(0), T, null)));
        envelope.setKey("feature-set/" + MODEL);

        assertThatThrownBy(() -> codec.decodeCommand(raw.encode(envelope)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("command c-1 has key 'feature-set/churn'")
                .hasMessageContaining("needs a key model/<name>");
    }

    @Test
    void a_malformed_duration_is_refused_with_the_field_it_is_in() {
        AvroCodec<RegistryEventEnvelope> raw = new AvroCodec<>(RegistryEventEnvelope.class);
        Object event = new ModelEvent.RetentionPolicySet(MODEL, RegistryWireSamples.POLICY, "alice", T);
        RegistryEventEnvelope envelope = raw.decode(codec.encodeEvent(
                new EventEnvelope("c-1#0", T, keyOf(event), "c-1", null, 0, 1, event)));
        ((dev.drover.schemas.registry.event.RetentionPolicySet) envelope.getPayload()).getPolicy()
                .setKeepNewerThan("30 days");

        assertThatThrownBy(() -> codec.decodeEvent(raw.encode(envelope)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keepNewerThan '30 days' is not an ISO-8601 duration");
    }

    @Test
    void an_event_keyed_for_another_aggregate_is_not_written() {
        Object event = RegistryWireSamples.fullEvents().get(0);

        assertThatThrownBy(() -> codec.encodeEvent(new EventEnvelope("c-1#0", T, "model/other", "c-1", null, 0, 1,
                event))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has key 'model/other' but belongs to 'model/churn'");
    }

    @Test
    void an_event_missing_a_required_field_is_not_written() {
        Object event = new ModelEvent.ModelTagSet(MODEL, "owner", null, "alice", T);

        assertThatThrownBy(() -> codec.encodeEvent(new EventEnvelope("c-1#0", T, keyOf(event), "c-1", null, 0, 1,
                event))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("could not encode registry event c-1#0 (ModelTagSet)");
    }

    // ---- helpers

    private static String keyOf(Object event) {
        return event instanceof ModelEvent m ? RegistryKeys.model(m.modelName())
                : RegistryKeys.featureSet(((FeatureSetEvent) event).featureSetName());
    }

    private static Set<Class<?>> classes(List<Object> samples) {
        return samples.stream().map(Object::getClass).collect(Collectors.toSet());
    }

    private static Set<String> branches(Schema envelope) {
        return envelope.getField("payload").schema().getTypes().stream().map(Schema::getFullName)
                .collect(Collectors.toSet());
    }
}
