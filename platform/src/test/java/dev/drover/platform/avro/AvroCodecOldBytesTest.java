package dev.drover.platform.avro;

import dev.drover.schemas.common.DeadLetter;
import dev.drover.schemas.identity.command.IdentityCommandEnvelope;
import dev.drover.schemas.identity.event.IdentityEventEnvelope;
import dev.drover.schemas.monitor.command.MonitorCommandEnvelope;
import dev.drover.schemas.monitor.event.MonitorEventEnvelope;
import dev.drover.schemas.monitor.inference.Label;
import dev.drover.schemas.monitor.inference.Prediction;
import dev.drover.schemas.registry.command.RegistryCommandEnvelope;
import dev.drover.schemas.registry.event.RegistryEventEnvelope;
import dev.drover.schemas.run.command.RunCommandEnvelope;
import dev.drover.schemas.run.event.RunEventEnvelope;
import dev.drover.schemas.run.event.RunStarted;
import dev.drover.schemas.task.TaskDispatch;
import dev.drover.schemas.task.TaskLogBatch;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading bytes written by older code (docs/schemas.md, "Reading old bytes"): the raw records of releases v1 to v3
 * (the golden records of module {@code schemas}), records in single-object encoding written with an older released
 * schema, and the failure for an unknown writer schema.
 */
class AvroCodecOldBytesTest {
    /** The golden sets of module schemas, from this module's folder (the tests' working directory). */
    private static final Path GOLDEN = Path.of("..", "schemas", "src", "test", "resources", "golden");
    /** Releases whose code wrote raw Avro (before single-object encoding); their golden records are such bytes. */
    private static final int LAST_RAW_RELEASE = 3;

    private static final Map<String, Class<? extends SpecificRecord>> TYPES = new LinkedHashMap<>();

    static {
        for (Class<? extends SpecificRecord> c : List.of(RunCommandEnvelope.class, RunEventEnvelope.class,
                TaskDispatch.class, TaskLogBatch.class, DeadLetter.class, RegistryCommandEnvelope.class,
                RegistryEventEnvelope.class, MonitorCommandEnvelope.class, MonitorEventEnvelope.class,
                Prediction.class, Label.class)) {
            TYPES.put(c.getSimpleName(), c);
        }
    }

    @TestFactory
    List<DynamicTest> everyRawGoldenRecordOfV1ToV3DecodesWithTheCurrentCodec() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (int v = 1; v <= LAST_RAW_RELEASE; v++) {
            for (Path record : records(v)) {
                String base = record.getFileName().toString().replace(".bin", "");
                String name = base.contains("-") ? base.substring(0, base.indexOf('-')) : base;
                String payload = base.contains("-") ? base.substring(base.indexOf('-') + 1) : null;
                tests.add(DynamicTest.dynamicTest("v" + v + "/records/" + record.getFileName(), () -> {
                    byte[] bytes = Files.readAllBytes(record);
                    assertThat(bytes[0]).as("a raw record never starts with C3").isNotEqualTo(AvroCodec.MAGIC_0);
                    SpecificRecord decoded = codec(TYPES.get(name)).decode(bytes);
                    assertThat(decoded).isInstanceOf(TYPES.get(name));
                    if (payload != null) {
                        Object value = decoded.get(decoded.getSchema().getField("payload").pos());
                        assertThat(value.getClass().getSimpleName()).isEqualTo(payload);
                    }
                }));
            }
        }
        assertThat(tests).hasSizeGreaterThan(100);
        return tests;
    }

    @Test
    void aV1RawRecordGainsTheDefaultsOfFieldsAddedSince() throws IOException {
        byte[] bytes = Files.readAllBytes(GOLDEN.resolve("v1/records/RunEventEnvelope-RunStarted.bin"));
        RunEventEnvelope event = new AvroCodec<>(RunEventEnvelope.class).decode(bytes);
        assertThat(event.getPayload()).isInstanceOf(RunStarted.class);
        RunStarted started = (RunStarted) event.getPayload();
        assertThat(started.getRunId()).isNotEmpty();
        // fields RunStarted gained after v1 take their defaults
        assertThat(started.getLogicalDate()).isNull();
        assertThat(started.getBackfillId()).isNull();
        // written with v1, read with the current schema: re-encoding it now writes the current schema's fingerprint
        AvroCodec<RunEventEnvelope> codec = new AvroCodec<>(RunEventEnvelope.class);
        assertThat(codec.decode(codec.encode(event))).isEqualTo(event);

        TaskDispatch dispatch = new AvroCodec<>(TaskDispatch.class)
                .decode(Files.readAllBytes(GOLDEN.resolve("v1/records/TaskDispatch.bin")));
        assertThat(dispatch.getDispatchId()).isNotEmpty();
    }

    @Test
    void findsTheReleasedSchemasOfEachTypeOnTheClasspath() {
        assertThat(new AvroCodec<>(TaskDispatch.class).released().firstVersion()).isEqualTo(1);
        assertThat(new AvroCodec<>(RegistryCommandEnvelope.class).released().firstVersion()).isEqualTo(2);
        assertThat(new AvroCodec<>(MonitorEventEnvelope.class).released().firstVersion()).isEqualTo(3);
        assertThat(new AvroCodec<>(IdentityCommandEnvelope.class).released().firstVersion()).isEqualTo(6);
        assertThat(new AvroCodec<>(IdentityEventEnvelope.class).released().firstVersion()).isEqualTo(6);
        ReleasedSchemas dispatch = new AvroCodec<>(TaskDispatch.class).released();
        // every vN present is picked up (v4 and later included), without gaps after the first
        assertThat(dispatch.latestVersion()).isGreaterThanOrEqualTo(3);
        assertThat(dispatch.byVersion().keySet()).startsWith(1, 2, 3).hasSize(dispatch.latestVersion());
        dispatch.byVersion().values().forEach(s -> assertThat(s.getFullName()).isEqualTo(TaskDispatch.class.getName()));
    }

    @Test
    void decodesSingleObjectRecordsWrittenWithAnOlderReleasedSchema() throws IOException {
        // The v1 TaskDispatch schema differs from the current one (fields were added since)
        Schema v1 = parse(GOLDEN.resolve("v1/TaskDispatch.avsc"));
        assertThat(SchemaNormalization.parsingFingerprint64(v1))
                .isNotEqualTo(SchemaNormalization.parsingFingerprint64(TaskDispatch.getClassSchema()));
        GenericRecord old = new GenericDatumReader<GenericRecord>(v1).read(null, DecoderFactory.get()
                .binaryDecoder(Files.readAllBytes(GOLDEN.resolve("v1/records/TaskDispatch.bin")), null));
        byte[] bytes = toArray(new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old));
        assertThat(ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo(SchemaNormalization.parsingFingerprint64(v1));

        AvroCodec<TaskDispatch> codec = new AvroCodec<>(TaskDispatch.class);
        TaskDispatch decoded = codec.decode(bytes);
        assertThat(decoded.getDispatchId()).isEqualTo(old.get("dispatchId").toString());
        assertThat(decoded.getAttempt()).isEqualTo(old.get("attempt"));
        // the same record, raw, decodes to the same value
        assertThat(codec.decode(Files.readAllBytes(GOLDEN.resolve("v1/records/TaskDispatch.bin"))))
                .isEqualTo(decoded);
    }

    @Test
    void anUnknownWriterFingerprintFailsClearly() {
        AvroCodec<TaskDispatch> codec = new AvroCodec<>(TaskDispatch.class);
        byte[] bytes = codec.encode(AvroCodecTest.dispatch(1));
        long unknown = 0x0123456789abcdefL;
        ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(unknown);
        assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(AvroCodecException.class)
                .hasMessageContaining("unknown schema")
                .hasMessageContaining("fingerprint efcdab8967452301")
                .hasMessageContaining("newer schema")
                .hasMessageContaining(AvroCodec.hex(codec.fingerprint()) + " (current)")
                .hasMessageContaining("v1, v2, v3");
    }

    @Test
    void anotherTypesFingerprintIsUnknown() {
        // the lookup is among schemas of the same full name only
        AvroCodec<TaskLogBatch> logs = new AvroCodec<>(TaskLogBatch.class);
        byte[] bytes = logs.encode(TaskLogBatch.newBuilder().setPipelineId("p").setRunId("p.1").setTaskId("t")
                .setAttempt(1).setExecutorId("x").setLines(List.of()).build());
        assertThatThrownBy(() -> new AvroCodec<>(TaskDispatch.class).decode(bytes))
                .isInstanceOf(AvroCodecException.class).hasMessageContaining("unknown schema")
                .hasMessageContaining(AvroCodec.hex(logs.fingerprint()));
    }

    @Test
    void refusesATruncatedHeaderOrBody() {
        AvroCodec<TaskDispatch> codec = new AvroCodec<>(TaskDispatch.class);
        byte[] bytes = codec.encode(AvroCodecTest.dispatch(1));
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(bytes, 5))).isInstanceOf(AvroCodecException.class)
                .hasMessageContaining("too short for the single-object header");
        assertThatThrownBy(() -> codec.decode(Arrays.copyOf(bytes, 10))).isInstanceOf(AvroCodecException.class)
                .hasMessageContaining("TaskDispatch");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AvroCodec<SpecificRecord> codec(Class<? extends SpecificRecord> type) {
        assertThat(type).as("a current type").isNotNull();
        return new AvroCodec(type);
    }

    private static List<Path> records(int version) throws IOException {
        Path dir = GOLDEN.resolve("v" + version).resolve("records");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".bin")).sorted().toList();
        }
    }

    private static Schema parse(Path avsc) {
        try {
            return new Schema.Parser().parse(Files.readString(avsc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
