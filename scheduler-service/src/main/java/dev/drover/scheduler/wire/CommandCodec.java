package dev.drover.scheduler.wire;

import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.json.JsonValues;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.pipeline.PipelineSpecs;
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

import java.time.Instant;
import java.util.Map;

/**
 * Maps every {@link SchedulerCommand} to and from its Avro form on {@code drover.run.commands}: a
 * {@link RunCommandEnvelope} whose payload is one record per command type. The envelope carries the command's id and
 * pipeline id, so payloads do not repeat them.
 *
 * <p>Pipeline specs travel as {@link PipelineSpecs#toJson} text, JSON-valued maps (parameters, outputs) as
 * {@link JsonValues} text, and instants to the millisecond (the Avro {@code timestamp-millis} type).
 *
 * <p>Java 17 has no pattern matching for {@code switch}, so the mapping is an {@code instanceof} chain ending in an
 * exception; {@code CommandCodecTest} checks that every permitted subtype of {@link SchedulerCommand} and every
 * payload branch of the schema round-trips, which is what keeps it exhaustive.
 */
public final class CommandCodec {
    private static final AvroCodec<RunCommandEnvelope> CODEC = new AvroCodec<>(RunCommandEnvelope.class);

    private CommandCodec() {
    }

    /** The Avro codec of command envelopes (thread-safe). */
    public static AvroCodec<RunCommandEnvelope> codec() {
        return CODEC;
    }

    /** Encodes a command with its envelope fields, ready to append to {@code drover.run.commands}. */
    public static byte[] encode(SchedulerCommand command, Instant issuedAt, String correlationId, String issuedBy) {
        return CODEC.encode(toAvro(command, issuedAt, correlationId, issuedBy));
    }

    /**
     * Decodes a record of {@code drover.run.commands}.
     *
     * @throws dev.drover.platform.avro.AvroCodecException if the bytes are not a command envelope
     */
    public static RunCommandEnvelope decode(byte[] bytes) {
        return CODEC.decode(bytes);
    }

    /**
     * Wraps a command in its envelope.
     *
     * @param correlationId the run or request the command belongs to, or null
     * @param issuedBy      principal, executor or timer that issued it, or null
     */
    public static RunCommandEnvelope toAvro(SchedulerCommand command, Instant issuedAt, String correlationId,
                                            String issuedBy) {
        return RunCommandEnvelope.newBuilder()
                .setCommandId(command.commandId())
                .setIssuedAt(issuedAt)
                .setPipelineId(command.pipelineId())
                .setCorrelationId(correlationId)
                .setIssuedBy(issuedBy)
                .setPayload(payload(command))
                .build();
    }

    /**
     * The command an envelope carries.
     *
     * @throws IllegalArgumentException if the payload is of no known command type, or its spec or JSON is corrupt
     */
    public static SchedulerCommand toDomain(RunCommandEnvelope envelope) {
        String id = envelope.getCommandId();
        String pipelineId = envelope.getPipelineId();
        Object p = envelope.getPayload();
        if (p instanceof RegisterPipeline c) {
            return new SchedulerCommand.RegisterPipeline(id, pipelineId, PipelineSpecs.fromJson(c.getSpecJson()),
                    c.getSpecHash(), c.getRequestedBy());
        } else if (p instanceof RequestRun c) {
            return new SchedulerCommand.RequestRun(id, pipelineId, c.getRunId(), map(c.getParametersJson()),
                    c.getTrigger(), c.getRequestedBy());
        } else if (p instanceof CancelRun c) {
            return new SchedulerCommand.CancelRun(id, pipelineId, c.getRunId(), c.getReason(), c.getRequestedBy());
        } else if (p instanceof ReportTaskStarted c) {
            return new SchedulerCommand.ReportTaskStarted(id, pipelineId, c.getRunId(), c.getTaskId(), c.getAttempt(),
                    c.getExecutorId(), c.getPoke());
        } else if (p instanceof ReportTaskHeartbeat c) {
            return new SchedulerCommand.ReportTaskHeartbeat(id, pipelineId, c.getRunId(), c.getTaskId(),
                    c.getAttempt(), c.getExecutorId(), c.getPoke());
        } else if (p instanceof ReportTaskSucceeded c) {
            return new SchedulerCommand.ReportTaskSucceeded(id, pipelineId, c.getRunId(), c.getTaskId(),
                    c.getAttempt(), c.getExecutorId(), map(c.getOutputsJson()), c.getPoke());
        } else if (p instanceof ReportTaskFailed c) {
            return new SchedulerCommand.ReportTaskFailed(id, pipelineId, c.getRunId(), c.getTaskId(), c.getAttempt(),
                    c.getExecutorId(), c.getMessage(), c.getExitCode(), c.getPoke());
        } else if (p instanceof TimeOutTask c) {
            return new SchedulerCommand.TimeOutTask(id, pipelineId, c.getRunId(), c.getTaskId(), c.getAttempt());
        } else if (p instanceof ExpireTaskLease c) {
            return new SchedulerCommand.ExpireTaskLease(id, pipelineId, c.getRunId(), c.getTaskId(), c.getAttempt());
        } else if (p instanceof DispatchRetry c) {
            return new SchedulerCommand.DispatchRetry(id, pipelineId, c.getRunId(), c.getTaskId(), c.getAttempt());
        } else if (p instanceof dev.drover.schemas.run.command.ReportTaskRescheduled c) {
            return new SchedulerCommand.ReportTaskRescheduled(id, pipelineId, c.getRunId(), c.getTaskId(),
                    c.getAttempt(), c.getExecutorId(), c.getPoke(), c.getReason());
        } else if (p instanceof dev.drover.schemas.run.command.RecordAssetUpdate c) {
            return new SchedulerCommand.RecordAssetUpdate(id, pipelineId, c.getUri(), c.getUpdateId(),
                    c.getProducerPipeline(), c.getProducerRunId(), c.getProducerTaskId(), c.getUpdatedAt());
        } else if (p instanceof dev.drover.schemas.run.command.PublishAssetUpdate c) {
            return new SchedulerCommand.PublishAssetUpdate(id, pipelineId, c.getUri(), map(c.getExtraJson()),
                    c.getRequestedBy());
        } else if (p instanceof dev.drover.schemas.run.command.ClearTasks c) {
            return new SchedulerCommand.ClearTasks(id, pipelineId, c.getRunId(), c.getTaskIds(), c.getDownstream(),
                    c.getRequestedBy());
        } else if (p instanceof dev.drover.schemas.run.command.MarkTask c) {
            return new SchedulerCommand.MarkTask(id, pipelineId, c.getRunId(), c.getTaskId(),
                    dev.drover.scheduler.core.TaskStatus.valueOf(c.getStatus().name()), c.getRequestedBy());
        } else if (p instanceof dev.drover.schemas.run.command.CheckRunDeadline c) {
            return new SchedulerCommand.CheckRunDeadline(id, pipelineId, c.getRunId());
        } else if (p instanceof dev.drover.schemas.run.command.CheckTaskDeadline c) {
            return new SchedulerCommand.CheckTaskDeadline(id, pipelineId, c.getRunId(), c.getTaskId());
        } else if (p instanceof dev.drover.schemas.run.command.DefinePool c) {
            return new SchedulerCommand.DefinePool(id, c.getPool(), c.getSlots(), c.getDescription(),
                    c.getRequestedBy());
        } else if (p instanceof dev.drover.schemas.run.command.AcquirePoolSlot c) {
            return new SchedulerCommand.AcquirePoolSlot(id, c.getPool(), c.getHolderPipelineId(), c.getRunId(),
                    c.getTaskId(), c.getAttempt(), c.getPriority());
        } else if (p instanceof dev.drover.schemas.run.command.ReleasePoolSlot c) {
            return new SchedulerCommand.ReleasePoolSlot(id, c.getPool(), c.getHolderPipelineId(), c.getRunId(),
                    c.getTaskId(), c.getAttempt(), c.getReason());
        } else if (p instanceof dev.drover.schemas.run.command.GrantPoolSlot c) {
            return new SchedulerCommand.GrantPoolSlot(id, pipelineId, c.getRunId(), c.getTaskId(), c.getAttempt(),
                    c.getPool());
        } else if (p instanceof dev.drover.schemas.run.command.DenyPoolSlot c) {
            return new SchedulerCommand.DenyPoolSlot(id, pipelineId, c.getRunId(), c.getTaskId(), c.getAttempt(),
                    c.getPool(), c.getReason());
        } else if (p instanceof dev.drover.schemas.run.command.FireSchedule c) {
            return new SchedulerCommand.FireSchedule(id, pipelineId, c.getDueAt());
        } else if (p instanceof dev.drover.schemas.run.command.PausePipeline c) {
            return new SchedulerCommand.PausePipeline(id, pipelineId, c.getReason(), c.getRequestedBy());
        } else if (p instanceof dev.drover.schemas.run.command.ResumePipeline c) {
            return new SchedulerCommand.ResumePipeline(id, pipelineId, c.getRequestedBy());
        } else if (p instanceof dev.drover.schemas.run.command.RequestBackfill c) {
            return new SchedulerCommand.RequestBackfill(id, pipelineId, c.getStart(), c.getEnd(), c.getMaxConcurrency(),
                    map(c.getParametersJson()), c.getRequestedBy());
        } else if (p instanceof dev.drover.schemas.run.command.CancelBackfill c) {
            return new SchedulerCommand.CancelBackfill(id, pipelineId, c.getBackfillId(), c.getReason(),
                    c.getRequestedBy());
        }
        throw new IllegalArgumentException("command " + id + " has an unknown payload "
                + (p == null ? "null" : p.getClass().getName()));
    }

    /** The Avro payload record of a command. */
    public static Object payload(SchedulerCommand command) {
        if (command instanceof SchedulerCommand.RegisterPipeline c) {
            return RegisterPipeline.newBuilder().setSpecJson(PipelineSpecs.toJson(c.spec()))
                    .setSpecHash(c.specHash()).setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof SchedulerCommand.RequestRun c) {
            return RequestRun.newBuilder().setRunId(c.runId()).setParametersJson(json(c.parameters()))
                    .setTrigger(c.trigger()).setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof SchedulerCommand.CancelRun c) {
            return CancelRun.newBuilder().setRunId(c.runId()).setReason(c.reason()).setRequestedBy(c.requestedBy())
                    .build();
        } else if (command instanceof SchedulerCommand.ReportTaskStarted c) {
            return ReportTaskStarted.newBuilder().setRunId(c.runId()).setTaskId(c.taskId()).setAttempt(c.attempt())
                    .setExecutorId(c.executorId()).setPoke(c.poke()).build();
        } else if (command instanceof SchedulerCommand.ReportTaskHeartbeat c) {
            return ReportTaskHeartbeat.newBuilder().setRunId(c.runId()).setTaskId(c.taskId()).setAttempt(c.attempt())
                    .setExecutorId(c.executorId()).setPoke(c.poke()).build();
        } else if (command instanceof SchedulerCommand.ReportTaskSucceeded c) {
            return ReportTaskSucceeded.newBuilder().setRunId(c.runId()).setTaskId(c.taskId()).setAttempt(c.attempt())
                    .setExecutorId(c.executorId()).setOutputsJson(json(c.outputs())).setPoke(c.poke()).build();
        } else if (command instanceof SchedulerCommand.ReportTaskFailed c) {
            return ReportTaskFailed.newBuilder().setRunId(c.runId()).setTaskId(c.taskId()).setAttempt(c.attempt())
                    .setExecutorId(c.executorId()).setMessage(c.message()).setExitCode(c.exitCode()).setPoke(c.poke())
                    .build();
        } else if (command instanceof SchedulerCommand.TimeOutTask c) {
            return TimeOutTask.newBuilder().setRunId(c.runId()).setTaskId(c.taskId()).setAttempt(c.attempt()).build();
        } else if (command instanceof SchedulerCommand.ExpireTaskLease c) {
            return ExpireTaskLease.newBuilder().setRunId(c.runId()).setTaskId(c.taskId()).setAttempt(c.attempt())
                    .build();
        } else if (command instanceof SchedulerCommand.DispatchRetry c) {
            return DispatchRetry.newBuilder().setRunId(c.runId()).setTaskId(c.taskId()).setAttempt(c.attempt())
                    .build();
        } else if (command instanceof SchedulerCommand.ReportTaskRescheduled c) {
            return dev.drover.schemas.run.command.ReportTaskRescheduled.newBuilder().setRunId(c.runId())
                    .setTaskId(c.taskId()).setAttempt(c.attempt()).setExecutorId(c.executorId()).setPoke(c.poke())
                    .setReason(c.reason()).build();
        } else if (command instanceof SchedulerCommand.RecordAssetUpdate c) {
            return dev.drover.schemas.run.command.RecordAssetUpdate.newBuilder().setUri(c.uri())
                    .setUpdateId(c.updateId()).setProducerPipeline(c.producerPipeline())
                    .setProducerRunId(c.producerRunId()).setProducerTaskId(c.producerTaskId())
                    .setUpdatedAt(c.updatedAt()).build();
        } else if (command instanceof SchedulerCommand.PublishAssetUpdate c) {
            return dev.drover.schemas.run.command.PublishAssetUpdate.newBuilder().setUri(c.uri())
                    .setExtraJson(JsonValues.toJson(c.extra() == null ? Map.of() : c.extra()))
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof SchedulerCommand.ClearTasks c) {
            return dev.drover.schemas.run.command.ClearTasks.newBuilder().setRunId(c.runId())
                    .setTaskIds(c.taskIds()).setDownstream(c.downstream()).setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof SchedulerCommand.MarkTask c) {
            return dev.drover.schemas.run.command.MarkTask.newBuilder().setRunId(c.runId()).setTaskId(c.taskId())
                    .setStatus(dev.drover.schemas.run.command.MarkStatus.valueOf(c.status().name()))
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof SchedulerCommand.CheckRunDeadline c) {
            return dev.drover.schemas.run.command.CheckRunDeadline.newBuilder().setRunId(c.runId()).build();
        } else if (command instanceof SchedulerCommand.CheckTaskDeadline c) {
            return dev.drover.schemas.run.command.CheckTaskDeadline.newBuilder().setRunId(c.runId())
                    .setTaskId(c.taskId()).build();
        } else if (command instanceof SchedulerCommand.DefinePool c) {
            return dev.drover.schemas.run.command.DefinePool.newBuilder().setPool(c.pool()).setSlots(c.slots())
                    .setDescription(c.description()).setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof SchedulerCommand.AcquirePoolSlot c) {
            return dev.drover.schemas.run.command.AcquirePoolSlot.newBuilder().setPool(c.pool())
                    .setHolderPipelineId(c.holderPipelineId()).setRunId(c.runId()).setTaskId(c.taskId())
                    .setAttempt(c.attempt()).setPriority(c.priority()).build();
        } else if (command instanceof SchedulerCommand.ReleasePoolSlot c) {
            return dev.drover.schemas.run.command.ReleasePoolSlot.newBuilder().setPool(c.pool())
                    .setHolderPipelineId(c.holderPipelineId()).setRunId(c.runId()).setTaskId(c.taskId())
                    .setAttempt(c.attempt()).setReason(c.reason()).build();
        } else if (command instanceof SchedulerCommand.GrantPoolSlot c) {
            return dev.drover.schemas.run.command.GrantPoolSlot.newBuilder().setRunId(c.runId())
                    .setTaskId(c.taskId()).setAttempt(c.attempt()).setPool(c.pool()).build();
        } else if (command instanceof SchedulerCommand.DenyPoolSlot c) {
            return dev.drover.schemas.run.command.DenyPoolSlot.newBuilder().setRunId(c.runId())
                    .setTaskId(c.taskId()).setAttempt(c.attempt()).setPool(c.pool()).setReason(c.reason()).build();
        } else if (command instanceof SchedulerCommand.FireSchedule c) {
            return dev.drover.schemas.run.command.FireSchedule.newBuilder().setDueAt(c.dueAt()).build();
        } else if (command instanceof SchedulerCommand.PausePipeline c) {
            return dev.drover.schemas.run.command.PausePipeline.newBuilder().setReason(c.reason()).setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof SchedulerCommand.ResumePipeline c) {
            return dev.drover.schemas.run.command.ResumePipeline.newBuilder().setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof SchedulerCommand.RequestBackfill c) {
            return dev.drover.schemas.run.command.RequestBackfill.newBuilder().setStart(c.start()).setEnd(c.end())
                    .setMaxConcurrency(c.maxConcurrency()).setParametersJson(json(c.parameters()))
                    .setRequestedBy(c.requestedBy()).build();
        } else if (command instanceof SchedulerCommand.CancelBackfill c) {
            return dev.drover.schemas.run.command.CancelBackfill.newBuilder().setBackfillId(c.backfillId()).setReason(c.reason())
                    .setRequestedBy(c.requestedBy()).build();
        }
        throw new IllegalArgumentException("no wire form for command " + command.getClass().getName());
    }

    /** Null stays null: a command may omit parameters or outputs, and the decider tells that apart from empty. */
    private static String json(Map<String, Object> values) {
        return values == null ? null : JsonValues.toJson(values);
    }

    private static Map<String, Object> map(String json) {
        return json == null ? null : JsonValues.fromJson(json);
    }
}
