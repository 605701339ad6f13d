package dev.drover.scheduler.wire;

import dev.drover.scheduler.core.RejectionCode;
import dev.drover.scheduler.core.RunStatus;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.schemas.run.event.RunEventEnvelope;
import dev.drover.schemas.task.TaskDispatch;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class EventCodecTest {

    static List<SchedulerEvent> events() {
        return WireSamples.events();
    }

    @ParameterizedTest
    @MethodSource("events")
    void roundTripsThroughBytes(SchedulerEvent event) {
        RunEventEnvelope avro = EventCodec.toAvro("c1#0", WireSamples.T, "c1", WireSamples.RUN, event);
        RunEventEnvelope decoded = EventCodec.decode(EventCodec.codec().encode(avro));
        assertThat(decoded).isEqualTo(avro);
        assertThat(EventCodec.toDomain(decoded)).isEqualTo(event);
        assertThat(decoded.getEventId()).isEqualTo("c1#0");
        assertThat(decoded.getTimestamp()).isEqualTo(WireSamples.T);
        assertThat(decoded.getPipelineId()).isEqualTo(event.pipelineId());
        assertThat(decoded.getCausationId()).isEqualTo("c1");
        assertThat(decoded.getCorrelationId()).isEqualTo(WireSamples.RUN);
    }

    @Test
    void encodeIsToAvroThenTheCodec() {
        SchedulerEvent event = events().get(0);
        assertThat(EventCodec.encode("e", WireSamples.T, "c", "r", event))
                .isEqualTo(EventCodec.codec().encode(EventCodec.toAvro("e", WireSamples.T, "c", "r", event)));
    }

    @Test
    void everyEventTypeHasASample() {
        Set<Class<?>> sampled = events().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(
                Arrays.asList(SchedulerEvent.class.getPermittedSubclasses()));
    }

    @Test
    void everyPayloadBranchOfTheSchemaIsUsed() {
        Set<String> branches = RunEventEnvelope.getClassSchema().getField("payload").schema().getTypes().stream()
                .map(Schema::getFullName).collect(Collectors.toSet());
        Set<String> used = events().stream().map(e -> EventCodec.payload(e).getClass().getName())
                .collect(Collectors.toSet());
        assertThat(used).isEqualTo(branches);
    }

    @Test
    void payloadsAreNamedAfterTheirEvents() {
        for (SchedulerEvent e : events()) {
            assertThat(EventCodec.payload(e).getClass().getSimpleName()).isEqualTo(e.getClass().getSimpleName());
        }
    }

    @Test
    void enumsHaveTheSameSymbolsOnBothSides() {
        // symbols map by name; a symbol on one side only would fail at run time, so keep them equal
        assertThat(names(dev.drover.schemas.run.event.RunStatus.values())).isEqualTo(names(RunStatus.values()));
        assertThat(names(dev.drover.schemas.run.event.RejectionCode.values()))
                .isEqualTo(names(RejectionCode.values()));
    }

    @Test
    void instantsAreKeptToTheMillisecond() {
        Instant micros = Instant.parse("2025-05-06T07:08:09.123456Z");
        SchedulerEvent event = new SchedulerEvent.TaskTimedOut("p", "p.1", "t", 1, micros);
        SchedulerEvent back = EventCodec.toDomain(EventCodec.decode(EventCodec.encode("e", micros, "c", "p.1",
                event)));
        assertThat(back).isEqualTo(new SchedulerEvent.TaskTimedOut("p", "p.1", "t", 1,
                Instant.parse("2025-05-06T07:08:09.123Z")));
    }

    @Test
    void dispatchMirrorsTheDispatchedEvent() {
        SchedulerEvent.TaskDispatched event = new SchedulerEvent.TaskDispatched(WireSamples.P, WireSamples.RUN,
                "train", 2, "shell", "gpu", WireSamples.json(), 60_000L, WireSamples.T);
        TaskDispatch d = DispatchCodec.codec().decode(DispatchCodec.encode("c1#3", event));
        assertThat(d.getDispatchId()).isEqualTo("c1#3");
        assertThat(d.getPipelineId()).isEqualTo(WireSamples.P);
        assertThat(d.getRunId()).isEqualTo(WireSamples.RUN);
        assertThat(d.getTaskId()).isEqualTo("train");
        assertThat(d.getAttempt()).isEqualTo(2);
        assertThat(d.getType()).isEqualTo("shell");
        assertThat(d.getQueue()).isEqualTo("gpu");
        assertThat(dev.drover.platform.json.JsonValues.fromJson(d.getConfigJson())).isEqualTo(WireSamples.json());
        assertThat(d.getTimeoutMs()).isEqualTo(60_000L);
        assertThat(d.getDispatchedAt()).isEqualTo(WireSamples.T);
    }

    @Test
    void aSensorDispatchCarriesItsPokeNumber() {
        SchedulerEvent.TaskDispatched event = new SchedulerEvent.TaskDispatched(WireSamples.P, WireSamples.RUN,
                "wait", 1, "wait_for_file", "default", WireSamples.json(), 60_000L, WireSamples.T, 7);
        assertThat(DispatchCodec.codec().decode(DispatchCodec.encode("c1#0", event)).getPoke()).isEqualTo(7);
        assertThat(DispatchCodec.codec().decode(DispatchCodec.encode("c1#0", new SchedulerEvent.TaskDispatched(
                WireSamples.P, WireSamples.RUN, "train", 1, "shell", "gpu", Map.of(), 1L, WireSamples.T)))
                .getPoke()).as("every other task").isZero();
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
