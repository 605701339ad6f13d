package dev.drover.schemas.golden;

import dev.drover.schemas.common.DeadLetter;
import dev.drover.schemas.run.command.AcquirePoolSlot;
import dev.drover.schemas.run.command.CancelBackfill;
import dev.drover.schemas.run.command.CancelRun;
import dev.drover.schemas.run.command.CheckRunDeadline;
import dev.drover.schemas.run.command.CheckTaskDeadline;
import dev.drover.schemas.run.command.ClearTasks;
import dev.drover.schemas.run.command.DefinePool;
import dev.drover.schemas.run.command.DenyPoolSlot;
import dev.drover.schemas.run.command.DispatchRetry;
import dev.drover.schemas.run.command.ExpireTaskLease;
import dev.drover.schemas.run.command.FireSchedule;
import dev.drover.schemas.run.command.GrantPoolSlot;
import dev.drover.schemas.run.command.MarkTask;
import dev.drover.schemas.run.command.PausePipeline;
import dev.drover.schemas.run.command.PublishAssetUpdate;
import dev.drover.schemas.run.command.RecordAssetUpdate;
import dev.drover.schemas.run.command.RegisterPipeline;
import dev.drover.schemas.run.command.ReleasePoolSlot;
import dev.drover.schemas.run.command.ReportTaskFailed;
import dev.drover.schemas.run.command.ReportTaskHeartbeat;
import dev.drover.schemas.run.command.ReportTaskRescheduled;
import dev.drover.schemas.run.command.ReportTaskStarted;
import dev.drover.schemas.run.command.ReportTaskSucceeded;
import dev.drover.schemas.run.command.RequestBackfill;
import dev.drover.schemas.run.command.RequestRun;
import dev.drover.schemas.run.command.ResumePipeline;
import dev.drover.schemas.run.command.RunCommandEnvelope;
import dev.drover.schemas.run.command.TimeOutTask;
import dev.drover.schemas.run.event.AssetRef;
import dev.drover.schemas.run.event.AssetRunTriggered;
import dev.drover.schemas.run.event.AssetUpdateRecorded;
import dev.drover.schemas.run.event.AssetUpdated;
import dev.drover.schemas.run.event.BackfillFinished;
import dev.drover.schemas.run.event.BackfillIntervalSkipped;
import dev.drover.schemas.run.event.BackfillRequested;
import dev.drover.schemas.run.event.CommandRejected;
import dev.drover.schemas.run.event.PipelinePaused;
import dev.drover.schemas.run.event.PipelineRegistered;
import dev.drover.schemas.run.event.PipelineResumed;
import dev.drover.schemas.run.event.PoolDefined;
import dev.drover.schemas.run.event.PoolSlotGranted;
import dev.drover.schemas.run.event.PoolSlotQueued;
import dev.drover.schemas.run.event.PoolSlotReleased;
import dev.drover.schemas.run.event.RejectionCode;
import dev.drover.schemas.run.event.RunDeadlineMissed;
import dev.drover.schemas.run.event.RunEventEnvelope;
import dev.drover.schemas.run.event.RunFinished;
import dev.drover.schemas.run.event.RunQueued;
import dev.drover.schemas.run.event.RunReopened;
import dev.drover.schemas.run.event.RunStarted;
import dev.drover.schemas.run.event.RunStatus;
import dev.drover.schemas.run.event.ScheduledRunSkipped;
import dev.drover.schemas.run.event.TaskAwaitingPool;
import dev.drover.schemas.run.event.TaskCanceled;
import dev.drover.schemas.run.event.TaskDeadlineMissed;
import dev.drover.schemas.run.event.TaskDispatched;
import dev.drover.schemas.run.event.TaskExpanded;
import dev.drover.schemas.run.event.TaskFailed;
import dev.drover.schemas.run.event.TaskFailedFinally;
import dev.drover.schemas.run.event.TaskLeaseRenewed;
import dev.drover.schemas.run.event.TaskLost;
import dev.drover.schemas.run.event.TaskMarked;
import dev.drover.schemas.run.event.TaskQueued;
import dev.drover.schemas.run.event.TaskRescheduled;
import dev.drover.schemas.run.event.TaskRetryScheduled;
import dev.drover.schemas.run.event.TaskSkipped;
import dev.drover.schemas.run.event.TaskStarted;
import dev.drover.schemas.run.event.TaskSucceeded;
import dev.drover.schemas.run.event.TaskTimedOut;
import dev.drover.schemas.run.event.TaskUpstreamFailed;
import dev.drover.schemas.run.event.TasksCleared;
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
 * ({@link RegistryGoldenSamples}), the monitor's ({@link MonitorGoldenSamples}) and the identity envelopes
 * ({@link IdentityGoldenSamples}), binary-encoded with the current schemas.
 *
 * <p>Run it once per release, right after copying the current {@code .avsc} files into the new version's folder,
 * never for a version that exists (released records are evidence: they must stay byte for byte what the old code
 * wrote; the generator refuses to overwrite them). From the {@code schemas} folder:
 *
 * <pre>
 * ../mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/test.classpath)" \
 *   -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.drover \
 *   dev.drover.schemas.golden.GoldenRecordGenerator src/test/resources/golden/v4
 * </pre>
 *
 * When a schema gains a payload kind, add a sample below first; {@code GoldenCompatibilityTest} insists that every
 * payload kind of every released envelope has a golden record.
 */
public final class GoldenRecordGenerator {
    static final String PIPELINE = "golden-pipeline";
    static final String RUN = PIPELINE + ".1";
    static final Instant T = Instant.parse("2025-01-02T03:04:05.678Z");
    /** A daily schedule's interval that ended before {@link #T}: its logical date and end (v4 on). */
    static final Instant DAY = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant DAY_END = Instant.parse("2025-01-02T00:00:00Z");
    /** The run of that interval ({@code ScheduleClock.runId}) and the backfill that started it (v4 on). */
    static final String INTERVAL_RUN = PIPELINE + ".2025-01-01T00-00Z";
    static final String BACKFILL = PIPELINE + ".backfill-1";
    /** An asset the golden pipeline consumes, its producer, and one update of it (v4 on). */
    static final String ASSET = "s3://golden-bucket/features/churn";
    static final String PRODUCER = "golden-producer";
    static final String PRODUCER_RUN = PRODUCER + ".7";
    static final String UPDATE = PRODUCER_RUN + "/export/1/" + ASSET;

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
                        .setExecutorId("executor-1").setPoke(1).build(),
                ReportTaskHeartbeat.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1)
                        .setExecutorId("executor-1").setPoke(1).build(),
                ReportTaskSucceeded.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1)
                        .setExecutorId("executor-1").setOutputsJson("{\"accuracy\":0.93}").setPoke(1).build(),
                ReportTaskFailed.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1)
                        .setExecutorId("executor-1").setMessage("exit code 2").setExitCode(2).setPoke(1).build(),
                TimeOutTask.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1).build(),
                ExpireTaskLease.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1).build(),
                DispatchRetry.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(2).build(),
                // v4: sensors, assets, reruns and deadlines, pools, scheduling
                ReportTaskRescheduled.newBuilder().setRunId(RUN).setTaskId("wait_for_data").setAttempt(1)
                        .setExecutorId("executor-1").setPoke(2).setReason(ASSET + "/_SUCCESS does not exist yet")
                        .build(),
                RecordAssetUpdate.newBuilder().setUri(ASSET).setUpdateId(UPDATE).setProducerPipeline(PRODUCER)
                        .setProducerRunId(PRODUCER_RUN).setProducerTaskId("export").setUpdatedAt(T.minusSeconds(2))
                        .build(),
                PublishAssetUpdate.newBuilder().setUri(ASSET).setExtraJson("{\"rows\":120000}")
                        .setRequestedBy("alice").build(),
                ClearTasks.newBuilder().setRunId(RUN).setTaskIds(List.of("train")).setDownstream(true)
                        .setRequestedBy("alice").build(),
                MarkTask.newBuilder().setRunId(RUN).setTaskId("train")
                        .setStatus(dev.drover.schemas.run.command.MarkStatus.SUCCEEDED).setRequestedBy("alice").build(),
                CheckRunDeadline.newBuilder().setRunId(RUN).build(),
                CheckTaskDeadline.newBuilder().setRunId(RUN).setTaskId("train").build(),
                DefinePool.newBuilder().setPool("gpu").setSlots(2).setDescription("the two GPU nodes")
                        .setRequestedBy("alice").build(),
                AcquirePoolSlot.newBuilder().setPool("gpu").setHolderPipelineId(PIPELINE).setRunId(RUN)
                        .setTaskId("train").setAttempt(1).setPriority(10).build(),
                ReleasePoolSlot.newBuilder().setPool("gpu").setHolderPipelineId(PIPELINE).setRunId(RUN)
                        .setTaskId("train").setAttempt(1).setReason("attempt 1 succeeded").build(),
                GrantPoolSlot.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1).setPool("gpu").build(),
                DenyPoolSlot.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1).setPool("gpu")
                        .setReason("pool gpu does not exist; define it with PUT /api/v1/pools/gpu").build(),
                FireSchedule.newBuilder().setDueAt(DAY_END).build(),
                PausePipeline.newBuilder().setReason("upstream data is late").setRequestedBy("alice").build(),
                ResumePipeline.newBuilder().setRequestedBy("alice").build(),
                RequestBackfill.newBuilder().setStart(Instant.parse("2024-12-01T00:00:00Z")).setEnd(DAY_END)
                        .setMaxConcurrency(2).setParametersJson("{\"epochs\":3,\"lr\":0.1}").setRequestedBy("alice")
                        .build(),
                CancelBackfill.newBuilder().setBackfillId(BACKFILL).setReason("wrong parameters")
                        .setRequestedBy("alice").build());
        for (Object payload : commands) {
            out.put("RunCommandEnvelope-" + payload.getClass().getSimpleName(), RunCommandEnvelope.newBuilder()
                    .setCommandId("golden-command").setIssuedAt(T).setPipelineId(PIPELINE).setCorrelationId(RUN)
                    .setIssuedBy("alice").setPayload(payload).build());
        }
        List<Object> events = List.of(
                PipelineRegistered.newBuilder().setRevision(1).setSpecJson("{\"id\":\"golden-pipeline\","
                        + "\"description\":\"\",\"parameters\":{},\"tasks\":[]}").setSpecHash("sha256:0123")
                        .setRegisteredBy("alice").setAt(T).build(),
                // a backfilled run: every optional field filled (logicalDate and the interval: v4)
                RunStarted.newBuilder().setRunId(INTERVAL_RUN).setRevision(1)
                        .setParametersJson("{\"epochs\":3,\"lr\":0.1}").setTrigger("backfill").setRequestedBy("alice")
                        .setAt(T).setLogicalDate(DAY).setDataIntervalStart(DAY).setDataIntervalEnd(DAY_END)
                        .setBackfillId(BACKFILL).build(),
                TaskDispatched.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1).setType("shell")
                        .setQueue("default").setConfigJson("{\"command\":\"python train.py\"}").setTimeoutMs(60_000)
                        .setAt(T).setPoke(1).setSecrets(List.of("warehouse_password")).build(),
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
                        .setMessage("attempt 1 is not the live attempt of train").build(),
                // v4: control flow, sensors, mapping, assets, reruns and deadlines, pools, scheduling
                TaskSkipped.newBuilder().setRunId(RUN).setTaskId("deploy")
                        .setReason("trigger rule all_success: upstream task evaluate was skipped").build(),
                TaskRescheduled.newBuilder().setRunId(RUN).setTaskId("wait_for_data").setAttempt(1).setPoke(2)
                        .setReason(ASSET + "/_SUCCESS does not exist yet").setNextPokeAt(T.plusSeconds(60)).setAt(T)
                        .build(),
                AssetUpdated.newBuilder().setRunId(RUN).setTaskId("train").setUri(ASSET)
                        .setUpdateId(RUN + "/train/1/" + ASSET).setExtraJson("{}").setAt(T).build(),
                AssetUpdateRecorded.newBuilder().setUri(ASSET).setUpdateId(UPDATE).setProducerPipeline(PRODUCER)
                        .setProducerRunId(PRODUCER_RUN).setProducerTaskId("export").setUpdatedAt(T.minusSeconds(2))
                        .setAt(T).build(),
                AssetRunTriggered.newBuilder().setRunId(PIPELINE + ".asset-3f9a1c0b7d2e4a56")
                        .setTrigger("all:[" + ASSET + "]").setUpdates(List.of(
                                AssetRef.newBuilder().setUri(ASSET).setUpdateId(UPDATE).build())).build(),
                TaskExpanded.newBuilder().setRunId(RUN).setTaskId("train_region")
                        .setItemsJson("[\"eu\",\"us\",\"apac\"]").build(),
                TasksCleared.newBuilder().setRunId(RUN).setTaskIds(List.of("train", "evaluate")).setDownstream(true)
                        .setRequestedBy("alice").setAt(T).build(),
                RunReopened.newBuilder().setRunId(RUN).setRequestedBy("alice").setAt(T).build(),
                TaskMarked.newBuilder().setRunId(RUN).setTaskId("train")
                        .setStatus(dev.drover.schemas.run.event.MarkStatus.SUCCEEDED).setAttempt(2)
                        .setRequestedBy("alice").setAt(T).build(),
                RunDeadlineMissed.newBuilder().setRunId(RUN).setDeadlineMs(3_600_000).setAt(T).build(),
                TaskDeadlineMissed.newBuilder().setRunId(RUN).setTaskId("train").setDeadlineMs(1_800_000).setAt(T)
                        .build(),
                TaskQueued.newBuilder().setRunId(RUN).setTaskId("evaluate").setAttempt(1)
                        .setReason("waiting for one of the run's 2 task slots (maxActiveTasks)").build(),
                TaskAwaitingPool.newBuilder().setRunId(RUN).setTaskId("train").setAttempt(1).setPool("gpu")
                        .setPriority(10).build(),
                PoolDefined.newBuilder().setPool("gpu").setSlots(2).setDescription("the two GPU nodes")
                        .setDefinedBy("alice").setAt(T).build(),
                PoolSlotQueued.newBuilder().setPool("gpu").setHolderPipelineId(PIPELINE).setRunId(RUN)
                        .setTaskId("train").setAttempt(1).setPriority(10).setAt(T).build(),
                PoolSlotGranted.newBuilder().setPool("gpu").setHolderPipelineId(PIPELINE).setRunId(RUN)
                        .setTaskId("train").setAttempt(1).setPriority(10).setAt(T).build(),
                PoolSlotReleased.newBuilder().setPool("gpu").setHolderPipelineId(PIPELINE).setRunId(RUN)
                        .setTaskId("train").setAttempt(1).setHeld(true).setReason("attempt 1 succeeded").setAt(T)
                        .build(),
                RunQueued.newBuilder().setRunId(INTERVAL_RUN).setRevision(1)
                        .setParametersJson("{\"epochs\":3,\"lr\":0.1}").setTrigger("schedule")
                        .setRequestedBy("scheduler").setDataIntervalStart(DAY).setDataIntervalEnd(DAY_END)
                        .setReason("1 runs active (maxActiveRuns 1)").setAt(T).build(),
                PipelinePaused.newBuilder().setReason("upstream data is late").setPausedBy("alice").setAt(T).build(),
                PipelineResumed.newBuilder().setResumedBy("alice").setAt(T).build(),
                ScheduledRunSkipped.newBuilder().setRunId(INTERVAL_RUN).setDataIntervalStart(DAY)
                        .setDataIntervalEnd(DAY_END).setReason("pipeline paused by alice").setAt(T).build(),
                BackfillRequested.newBuilder().setBackfillId(BACKFILL).setStart(Instant.parse("2024-12-01T00:00:00Z"))
                        .setEnd(DAY_END).setMaxConcurrency(2).setParametersJson("{\"epochs\":3,\"lr\":0.1}")
                        .setRevision(1).setFirstLogicalDate(Instant.parse("2024-12-01T00:00:00Z")).setIntervals(32)
                        .setRequestedBy("alice").setAt(T).build(),
                BackfillIntervalSkipped.newBuilder().setBackfillId(BACKFILL).setRunId(PIPELINE + ".2024-12-25T00-00Z")
                        .setDataIntervalStart(Instant.parse("2024-12-25T00:00:00Z"))
                        .setDataIntervalEnd(Instant.parse("2024-12-26T00:00:00Z"))
                        .setReason("run " + PIPELINE + ".2024-12-25T00-00Z already exists").build(),
                BackfillFinished.newBuilder().setBackfillId(BACKFILL).setStatus("COMPLETED")
                        .setReason("all 32 intervals started or skipped, and their runs finished").setAt(T).build());
        for (Object payload : events) {
            out.put("RunEventEnvelope-" + payload.getClass().getSimpleName(), RunEventEnvelope.newBuilder()
                    .setEventId("golden-command#0").setTimestamp(T).setPipelineId(PIPELINE)
                    .setCausationId("golden-command").setCorrelationId(RUN).setPayload(payload).build());
        }
        out.put("TaskDispatch", TaskDispatch.newBuilder().setDispatchId("golden-command#0").setPipelineId(PIPELINE)
                .setRunId(RUN).setTaskId("train").setAttempt(1).setType("shell").setQueue("default")
                .setConfigJson("{\"command\":\"python train.py\"}").setTimeoutMs(60_000).setDispatchedAt(T)
                .setPoke(1).setSecrets(List.of("warehouse_password")).build());
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
        out.putAll(IdentityGoldenSamples.samples());
        return out;
    }
}
