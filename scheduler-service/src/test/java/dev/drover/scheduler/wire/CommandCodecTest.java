package dev.drover.scheduler.wire;

import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.schemas.run.command.RunCommandEnvelope;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandCodecTest {

    static List<SchedulerCommand> commands() {
        return WireSamples.commands();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void roundTripsThroughBytes(SchedulerCommand command) {
        RunCommandEnvelope avro = CommandCodec.toAvro(command, WireSamples.T, "corr-1", "alice");
        RunCommandEnvelope decoded = CommandCodec.decode(CommandCodec.codec().encode(avro));
        assertThat(decoded).isEqualTo(avro);
        assertThat(CommandCodec.toDomain(decoded)).isEqualTo(command);
        assertThat(decoded.getCommandId()).isEqualTo(command.commandId());
        assertThat(decoded.getPipelineId()).isEqualTo(command.pipelineId());
        assertThat(decoded.getIssuedAt()).isEqualTo(WireSamples.T);
        assertThat(decoded.getCorrelationId()).isEqualTo("corr-1");
        assertThat(decoded.getIssuedBy()).isEqualTo("alice");
    }

    @Test
    void envelopeFieldsMayBeNull() {
        SchedulerCommand command = new SchedulerCommand.TimeOutTask("c", "p", "p.1", "t", 1);
        RunCommandEnvelope decoded = CommandCodec.decode(CommandCodec.encode(command, WireSamples.T, null, null));
        assertThat(decoded.getCorrelationId()).isNull();
        assertThat(decoded.getIssuedBy()).isNull();
        assertThat(CommandCodec.toDomain(decoded)).isEqualTo(command);
    }

    @Test
    void everyCommandTypeHasASample() {
        Set<Class<?>> sampled = commands().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(
                Arrays.asList(SchedulerCommand.class.getPermittedSubclasses()));
    }

    @Test
    void everyPayloadBranchOfTheSchemaIsUsed() {
        Set<String> branches = RunCommandEnvelope.getClassSchema().getField("payload").schema().getTypes().stream()
                .map(Schema::getFullName).collect(Collectors.toSet());
        Set<String> used = commands().stream().map(c -> CommandCodec.payload(c).getClass().getName())
                .collect(Collectors.toSet());
        assertThat(used).isEqualTo(branches);
    }

    @Test
    void payloadsAreNamedAfterTheirCommands() {
        for (SchedulerCommand c : commands()) {
            assertThat(CommandCodec.payload(c).getClass().getSimpleName()).isEqualTo(c.getClass().getSimpleName());
        }
    }

    @Test
    void instantsAreKeptToTheMillisecond() {
        SchedulerCommand command = new SchedulerCommand.TimeOutTask("c", "p", "p.1", "t", 1);
        Instant micros = Instant.parse("2025-05-06T07:08:09.123456Z");
        assertThat(CommandCodec.decode(CommandCodec.encode(command, micros, null, null)).getIssuedAt())
                .isEqualTo(Instant.parse("2025-05-06T07:08:09.123Z"));
    }

    @Test
    void refusesAnEnvelopeWithoutAPayloadItKnows() {
        RunCommandEnvelope envelope = CommandCodec.toAvro(new SchedulerCommand.TimeOutTask("c", "p", "p.1", "t", 1),
                WireSamples.T, null, null);
        envelope.setPayload("not a command");
        assertThatThrownBy(() -> CommandCodec.toDomain(envelope)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown payload");
    }
}
