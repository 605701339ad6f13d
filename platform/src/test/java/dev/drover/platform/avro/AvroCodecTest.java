package dev.drover.platform.avro;

import dev.drover.schemas.run.event.RunEventEnvelope;
import dev.drover.schemas.run.event.TaskStarted;
import dev.drover.schemas.task.LogLine;
import dev.drover.schemas.task.LogStream;
import dev.drover.schemas.task.TaskDispatch;
import dev.drover.schemas.task.TaskLogBatch;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroCodecTest {
    private static final Instant T = Instant.parse("2025-03-04T05:06:07.089Z");

    private final AvroCodec<TaskDispatch> dispatches = new AvroCodec<>(TaskDispatch.class);

    static TaskDispatch dispatch(int attempt) {
        return TaskDispatch.newBuilder().setDispatchId("d-" + attempt).setPipelineId("p").setRunId("p.1")
                .setTaskId("train").setAttempt(attempt).setType("shell").setQueue("default")
                .setConfigJson("{\"command\":\"echo hi\"}").setTimeoutMs(60_000).setDispatchedAt(T).build();
    }

    @Test
    void roundTripsARecord() {
        TaskDispatch d = dispatch(1);
        assertThat(dispatches.decode(dispatches.encode(d))).isEqualTo(d);
        assertThat(dispatches.type()).isEqualTo(TaskDispatch.class);
        assertThat(dispatches.schema()).isEqualTo(TaskDispatch.getClassSchema());
    }

    @Test
    void roundTripsUnionsNullsArraysEnumsAndTimestamps() {
        AvroCodec<RunEventEnvelope> events = new AvroCodec<>(RunEventEnvelope.class);
        RunEventEnvelope e = RunEventEnvelope.newBuilder().setEventId("c#0").setTimestamp(T).setPipelineId("p")
                .setCausationId("c").setCorrelationId("p.1").setPayload(TaskStarted.newBuilder().setRunId("p.1")
                        .setTaskId("t").setAttempt(2).setExecutorId("x").setLeaseExpiresAt(T.plusSeconds(30))
                        .setTimeoutAt(null).setAt(T).build())
                .build();
        assertThat(events.decode(events.encode(e))).isEqualTo(e);

        AvroCodec<TaskLogBatch> logs = new AvroCodec<>(TaskLogBatch.class);
        TaskLogBatch batch = TaskLogBatch.newBuilder().setPipelineId("p").setRunId("p.1").setTaskId("t").setAttempt(1)
                .setExecutorId("x").setLines(List.of(
                        LogLine.newBuilder().setSeq(7).setTimestamp(T).setStream(LogStream.STDERR).setLine("é ✓")
                                .build())).build();
        assertThat(logs.decode(logs.encode(batch))).isEqualTo(batch);
    }

    @Test
    void encodesInSingleObjectEncoding() throws Exception {
        byte[] bytes = dispatches.encode(dispatch(1));
        // C3 01, the writer schema's CRC-64-AVRO fingerprint (8 bytes, little-endian), then the plain record
        assertThat(Arrays.copyOf(bytes, 2)).containsExactly(0xC3, 0x01);
        long fingerprint = SchemaNormalization.parsingFingerprint64(TaskDispatch.getClassSchema());
        assertThat(ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(fingerprint);
        assertThat(dispatches.fingerprint()).isEqualTo(fingerprint);
        // first field, dispatchId "d-1": zigzag length 3 -> 0x06, then the UTF-8 bytes
        assertThat(Arrays.copyOfRange(bytes, 10, 14)).containsExactly(0x06, 'd', '-', '1');
        // exactly Avro's own format: its decoder reads our bytes, and we read its encoder's
        SpecificData model = SpecificData.getForClass(TaskDispatch.class);
        assertThat(new BinaryMessageDecoder<TaskDispatch>(model, TaskDispatch.getClassSchema()).decode(bytes))
                .isEqualTo(dispatch(1));
        ByteBuffer theirs = new BinaryMessageEncoder<TaskDispatch>(model, TaskDispatch.getClassSchema())
                .encode(dispatch(2));
        byte[] theirBytes = new byte[theirs.remaining()];
        theirs.get(theirBytes);
        assertThat(theirBytes).isEqualTo(dispatches.encode(dispatch(2)));
        assertThat(dispatches.decode(theirBytes)).isEqualTo(dispatch(2));
    }

    @Test
    void refusesTruncatedBytes() {
        byte[] bytes = dispatches.encode(dispatch(1));
        assertThatThrownBy(() -> dispatches.decode(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(AvroCodecException.class).hasMessageContaining("TaskDispatch");
    }

    @Test
    void refusesTrailingBytes() {
        byte[] bytes = dispatches.encode(dispatch(1));
        assertThatThrownBy(() -> dispatches.decode(Arrays.copyOf(bytes, bytes.length + 2)))
                .isInstanceOf(AvroCodecException.class).hasMessageContaining("bytes left");
    }

    @Test
    void refusesGarbageWithoutAllocatingWildly() {
        // a string length of about 2^31 followed by nothing
        byte[] garbage = {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F};
        assertThatThrownBy(() -> dispatches.decode(garbage)).isInstanceOf(AvroCodecException.class);
        assertThatThrownBy(() -> dispatches.decode(new byte[0])).isInstanceOf(AvroCodecException.class);
    }

    @Test
    void refusesToEncodeARecordMissingARequiredValue() {
        TaskDispatch broken = dispatch(1);
        broken.setQueue(null);
        assertThatThrownBy(() -> dispatches.encode(broken)).isInstanceOf(AvroCodecException.class)
                .hasMessageContaining("queue");
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 2_000; i++) {
                        TaskDispatch d = dispatch(i);
                        if (dispatches.decode(dispatches.encode(d)).equals(d)) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(2_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void kafkaAdaptersUseTheCodecAndPassNullsThrough() {
        AvroSerializer<TaskDispatch> serializer = new AvroSerializer<>(dispatches);
        AvroDeserializer<TaskDispatch> deserializer = new AvroDeserializer<>(dispatches);
        TaskDispatch d = dispatch(3);
        byte[] bytes = serializer.serialize("drover.task.dispatch.default", d);
        assertThat(bytes).isEqualTo(dispatches.encode(d));
        assertThat(deserializer.deserialize("drover.task.dispatch.default", bytes)).isEqualTo(d);
        assertThat(serializer.serialize("t", null)).isNull();
        assertThat(deserializer.deserialize("t", null)).isNull();
        assertThatThrownBy(() -> deserializer.deserialize("drover.task.dispatch.default", new byte[]{1, 2}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("drover.task.dispatch.default");
    }

    @Test
    void trustsDroverPackagesWithoutTheSystemProperty() throws Exception {
        // A fresh JVM without org.apache.avro.SERIALIZABLE_PACKAGES (surefire sets it for this one) must still decode
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                TrustCheck.class.getName()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("decoded");
        assertThat(p.exitValue()).as(output).isZero();
    }

    /** The child JVM of {@link #trustsDroverPackagesWithoutTheSystemProperty}. */
    public static final class TrustCheck {
        public static void main(String[] args) {
            if (System.getProperty(AvroCodec.SERIALIZABLE_PACKAGES) != null) {
                throw new IllegalStateException("property already set; the check would prove nothing");
            }
            AvroCodec<TaskDispatch> codec = new AvroCodec<>(TaskDispatch.class);
            TaskDispatch d = dispatch(1);
            if (!codec.decode(codec.encode(d)).equals(d)) {
                throw new IllegalStateException("round trip changed the record");
            }
            System.out.println("decoded");
        }
    }
}
