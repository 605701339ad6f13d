package dev.drover.schemas.golden;

import dev.drover.schemas.common.DeadLetter;
import dev.drover.schemas.run.command.CancelRun;
import dev.drover.schemas.run.command.DispatchRetry;
import dev.drover.schemas.run.command.ExpireTaskLease;
import dev.drover.schemas.run.command.RegisterPipeline;
import dev.drover.schemas.run.command.ReportTaskFailed;
import dev.drover.schemas.run.command.ReportTaskHeartbeat;
import dev.drover.schemas.run.command.ReportTaskStarted;
import dev.drover.schemas.run.command.ReportTaskSucceeded;
import dev.drover.schemas.run.command.RequestRun;
import dev.drover.schemas.run.command.RunCommandEnvelope;
import dev.drover.schemas.run.command.TimeOutTask;
import dev.drover.schemas.run.event.CommandRejected;
import dev.drover.schemas.run.event.PipelineRegistered;
import dev.drover.schemas.run.event.RejectionCode;
import dev.drover.schemas.run.event.RunEventEnvelope;
import dev.drover.schemas.run.event.RunFinished;
import dev.drover.schemas.run.event.RunStarted;
import dev.drover.schemas.run.event.RunStatus;
import dev.drover.schemas.run.event.TaskCanceled;
import dev.drover.schemas.run.event.TaskDispatched;
import dev.drover.schemas.run.event.TaskFailed;
import dev.drover.schemas.run.event.TaskFailedFinally;
import dev.drover.schemas.run.event.TaskLeaseRenewed;
import dev.drover.schemas.run.event.TaskLost;
import dev.drover.schemas.run.event.TaskRetryScheduled;
import dev.drover.schemas.run.event.TaskStarted;
import dev.drover.schemas.run.event.TaskSucceeded;
import dev.drover.schemas.run.event.TaskTimedOut;
import dev.drover.schemas.run.event.TaskUpstreamFailed;
import dev.drover.schemas.task.LogLine;
import dev.drover.schemas.task.LogStream;
import dev.drover.schemas.task.TaskDispatch;
import dev.drover.schemas.task.TaskLogBatch;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the golden records of a new released version: one record per top-level schema, and one envelope per payload
 * kind of {@link RunCommandEnvelope}, {@link RunEventEnvelope}, the registry's envelopes
 * ({@link RegistryGoldenSamples}) and the monitor's ({@link MonitorGoldenSamples}), binary-encoded with the current
 * schemas.
 *
 * <p>Run it once per release, right after copying the current {@code .avsc} files into the new version's folder,
 * never for a version that exists (released records are evidence: they must stay byte for byte what the old code
 * wrote; the generator refuses to overwrite them). From the {@code schemas} folder:
 *
 * <pre>
 * ../mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/test.classpath)" \
 *   -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.drover \
 *   dev.drover.schemas.golden.GoldenRecordGenerator src/test/resources/golden/v3
 * </pre>
 *
 * When a schema gains a payload kind, add a sample below first; {@code GoldenCompatibilityTest} insists that every
 * payload kind of every released envelope has a golden record.
 */
public final class GoldenRecordGenerator {
    static final String PIPELINE = "golden-pipeline";
    static final String RUN = PIPELINE + ".1";
    static final Instant T = Instant.parse("2025-01-02T03:04:05.678Z");

    private GoldenRecordGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: GoldenRecordGenerator <golden version folder, e.g. "
                    + "schemas/src/test/resources/golden/v2>");
        }
        Path version = Path.of(args[0]);
        Map<String, Schema> released = GoldenFiles.schemas(version);
        for (var current : GoldenFiles.CURRENT.keySet()) {
            Schema schema = GoldenFiles.current(current);
            Schema golden = released.get(current);
            if (golden == null || !GoldenFiles.withoutDocs(golden).equals(GoldenFiles.withoutDocs(schema))) {
                throw new IllegalStateException(version + "/" + current + ".avsc is missing or differs from the "
                        + "current schema; copy the current .avsc files into " + version + " first");
            }
        }
        Path dir = Files.createDirectories(version.resolve("records"));
        for (Map.Entry<String, SpecificRecord> sample : samples().entrySet()) {
            Path file = dir.resolve(sample.getKey() + ".bin");
            if (Files.exists(file)) {
                throw new IllegalStateException(file + " exists: released golden records are never rewritten; "
                        + "release a new version instead");
            }
            Files.write(file, encode(sample.getValue()));
            System.out.println("wrote " + file);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static byte[] encode(SpecificRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter(record.getClass()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** One sample per file name ({@code <Schema>} or {@code <Schema>-<Payload>}), fields filled where optional. */
    static Map<String, SpecificRecord> samples() {
        Map<String, SpecificRecord> out = new LinkedHashMap<>();
        List<Object> commands = List.of(
                RegisterPipeline.newBuilder().setSpecJson("{\"id\":\"golden-pipeline\",\"description\":\"\","
                        + "\"parameters\":{},\"tasks\":[]}").setSpecHash("sha256:0123").setRequestedBy("alice")
                        .build(),
                RequestRun.newBuilder().setRunId(RUN).setParametersJson("{\"epochs\":3,\"lr\":0.1}")
                        .setTrigger("manual").setRequestedBy("alice").build(),
                CancelRun.newBuilder().setRunId(RUN).setReason("no longer needed").setRequestedBy("alice").build(),
                ReportTaskStarted.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1)
                        .setExecutorId("executor-1").build(),
                ReportTaskHeartbeat.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1)
                        .setExecutorId("executor-1").build(),
                ReportTaskSucceeded.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1)
                        .setExecutorId("executor-1").setOutputsJson("{\"accuracy\":0.93}").build(),
                ReportTaskFailed.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1)
                        .setExecutorId("executor-1").setMessage("exit code 2").setExitCode(2).build(),
                TimeOutTask.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1).build(),
                ExpireTaskLease.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1).build(),
                DispatchRetry.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(2).build());
        for (Object payload : commands) {
            out.put("RunCommandEnvelope-" + payload.getClass().getSimpleName(), RunCommandEnvelope.newBuilder()
                    .setCommandId("golden-command").setIssuedAt(T).setPipelineId(PIPELINE).setCorrelationId(RUN)
                    .setIssuedBy("alice").setPayload(payload).build());
        }
        List<Object> events = List.of(
                PipelineRegistered.newBuilder().setRevision(1).setSpecJson("{\"id\":\"golden-pipeline\","
                        + "\"description\":\"\",\"parameters\":{},\"tasks\":[]}").setSpecHash("sha256:0123")
                        .setRegisteredBy("alice").setAt(T).build(),
                RunStarted.newBuilder().setRunId(RUN).setRevision(1).setParametersJson("{\"epochs\":3,\"lr\":0.1}")
                        .setTrigger("manual").setRequestedBy("alice").setAt(T).build(),
                TaskDispatched.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1).setType("shell")
                        .setQueue("default").setConfigJson("{\"command\":\"python train.py\"}").setTimeoutMs(60_000)
                        .setAt(T).build(),
                TaskStarted.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1).setExecutorId("executor-1")
                        .setLeaseExpiresAt(T.plusSeconds(30)).setTimeoutAt(T.plusSeconds(60)).setAt(T).build(),
                TaskLeaseRenewed.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1)
                        .setLeaseExpiresAt(T.plusSeconds(40)).build(),
                TaskSucceeded.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1)
                        .setOutputsJson("{\"accuracy\":0.93}").setAt(T).build(),
                TaskFailed.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1).setMessage("exit code 2")
                        .setExitCode(2).setAt(T).build(),
                TaskTimedOut.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1).setAt(T).build(),
                TaskLost.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1).setExecutorId("executor-1")
                        .setAt(T).build(),
                TaskRetryScheduled.newBuilder().setRunId(RUN).setTaskId("train").setNextAttempt(2)
                        .setDueAt(T.plusSeconds(5)).build(),
                TaskFailedFinally.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(3)
                        .setReason("no attempts left").build(),
                TaskUpstreamFailed.newBuilder().setRunId(RUN).setTaskId("evaluate").setUpstreamTaskId("train")
                        .build(),
                TaskCanceled.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1).build(),
                RunFinished.newBuilder().setRunId(RUN).setStatus(RunStatus.FAILED).setReason("train failed")
                        .setAt(T).build(),
                CommandRejected.newBuilder().setCommandId("golden-command").setCode(RejectionCode.STALE_ATTEMPT)
                        .setMessage("attempt 1 is not the live attempt of train").build());
        for (Object payload : events) {
            out.put("RunEventEnvelope-" + payload.getClass().getSimpleName(), RunEventEnvelope.newBuilder()
                    .setEventId("golden-command#0").setTimestamp(T).setPipelineId(PIPELINE)
                    .setCausationId("golden-command").setCorrelationId(RUN).setPayload(payload).build());
        }
        out.put("TaskDispatch", TaskDispatch.newBuilder().setDispatchId("golden-command#0").setPipelineId(PIPELINE)
                .setRunId(RUN).setTaskId("train").setAttempt(1).setType("shell").setQueue("default")
                .setConfigJson("{\"command\":\"python train.py\"}").setTimeoutMs(60_000).setDispatchedAt(T)
                .build());
        out.put("TaskLogBatch", TaskLogBatch.newBuilder().setPipelineId(PIPELINE).setRunId(RUN).setTaskId("train")
                .setAttempt(1).setExecutorId("executor-1").setLines(List.of(
                        LogLine.newBuilder().setSeq(0).setTimestamp(T).setStream(LogStream.SYSTEM)
                                .setLine("starting").build(),
                        LogLine.newBuilder().setSeq(1).setTimestamp(T).setStream(LogStream.STDOUT)
                                .setLine("epoch 1").build(),
                        LogLine.newBuilder().setSeq(2).setTimestamp(T).setStream(LogStream.STDERR)
                                .setLine("warning: slow").build()))
                .build());
        out.put("DeadLetter", DeadLetter.newBuilder().setSourceTopic("drover.run.commands").setPartition(3)
                .setOffset(42).setKey(ByteBuffer.wrap(PIPELINE.getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(new byte[]{1, 2, 3})).setReason("could not decode").setFailedAt(T)
                .setService("scheduler").build());
        out.putAll(RegistryGoldenSamples.samples());
        out.putAll(MonitorGoldenSamples.samples());
        return out;
    }
}
