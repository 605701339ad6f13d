package dev.drover.executor.wire;

import dev.drover.executor.report.LogBuffer;
import dev.drover.executor.task.TaskResult;
import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.json.JsonValues;
import dev.drover.schemas.common.DeadLetter;
import dev.drover.schemas.run.command.ReportTaskFailed;
import dev.drover.schemas.run.command.ReportTaskHeartbeat;
import dev.drover.schemas.run.command.ReportTaskRescheduled;
import dev.drover.schemas.run.command.ReportTaskStarted;
import dev.drover.schemas.run.command.ReportTaskSucceeded;
import dev.drover.schemas.run.command.RunCommandEnvelope;
import dev.drover.schemas.run.event.RunEventEnvelope;
import dev.drover.schemas.run.event.RunFinished;
import dev.drover.schemas.run.event.TaskCanceled;
import dev.drover.schemas.run.event.TaskLost;
import dev.drover.schemas.run.event.TaskTimedOut;
import dev.drover.schemas.task.LogLine;
import dev.drover.schemas.task.LogStream;
import dev.drover.schemas.task.TaskDispatch;
import dev.drover.schemas.task.TaskLogBatch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Encodes what the executor writes and decodes what it reads, in the Avro schemas of module {@code schemas}. The
 * executor shares nothing with the scheduler but these schemas.
 */
public final class ExecutorWire {
    private final AvroCodec<TaskDispatch> dispatches = new AvroCodec<>(TaskDispatch.class);
    private final AvroCodec<RunCommandEnvelope> commands = new AvroCodec<>(RunCommandEnvelope.class);
    private final AvroCodec<RunEventEnvelope> events = new AvroCodec<>(RunEventEnvelope.class);
    private final AvroCodec<TaskLogBatch> logs = new AvroCodec<>(TaskLogBatch.class);
    private final AvroCodec<DeadLetter> deadLetters = new AvroCodec<>(DeadLetter.class);

    public Dispatch dispatch(byte[] bytes) {
        TaskDispatch d = dispatches.decode(bytes);
        return new Dispatch(d.getDispatchId(), d.getPipelineId(), d.getRunId(), d.getTaskId(), d.getAttempt(),
                d.getType(), d.getQueue(), JsonValues.fromJson(d.getConfigJson()), d.getTimeoutMs(), d.getPoke(),
                d.getSecrets());
    }

    public byte[] started(String commandId, Dispatch d, String executorId, Instant at) {
        return command(commandId, d, at, executorId, new ReportTaskStarted(d.runId(), d.taskId(), d.attempt(),
                executorId, d.poke()));
    }

    public byte[] heartbeat(String commandId, Dispatch d, String executorId, Instant at) {
        return command(commandId, d, at, executorId, new ReportTaskHeartbeat(d.runId(), d.taskId(), d.attempt(),
                executorId, d.poke()));
    }

    public byte[] finished(String commandId, Dispatch d, String executorId, TaskResult result, Instant at) {
        Object payload;
        if (result instanceof TaskResult.Succeeded s) {
            payload = new ReportTaskSucceeded(d.runId(), d.taskId(), d.attempt(), executorId,
                    JsonValues.toJson(s.outputs()), d.poke());
        } else if (result instanceof TaskResult.Failed f) {
            payload = new ReportTaskFailed(d.runId(), d.taskId(), d.attempt(), executorId, f.message(), f.exitCode(),
                    d.poke());
        } else if (result instanceof TaskResult.TimedOut t) {
            payload = new ReportTaskFailed(d.runId(), d.taskId(), d.attempt(), executorId,
                    "timed out after " + t.after() + " (stopped by the executor)", null, d.poke());
        } else if (result instanceof TaskResult.Canceled c) {
            payload = new ReportTaskFailed(d.runId(), d.taskId(), d.attempt(), executorId, "canceled: " + c.reason(),
                    null, d.poke());
        } else if (result instanceof TaskResult.NotYet n) {
            // a sensor's poke is over without its condition holding: free the slot, poke again later
            payload = new ReportTaskRescheduled(d.runId(), d.taskId(), d.attempt(), executorId, d.poke(), n.reason());
        } else {
            throw new IllegalArgumentException("unknown result " + result);
        }
        return command(commandId, d, at, executorId, payload);
    }

    private byte[] command(String commandId, Dispatch d, Instant at, String executorId, Object payload) {
        return commands.encode(RunCommandEnvelope.newBuilder().setCommandId(commandId).setIssuedAt(at)
                .setPipelineId(d.pipelineId()).setCorrelationId(d.runId()).setIssuedBy(executorId)
                .setPayload(payload).build());
    }

    public byte[] logBatch(Dispatch d, String executorId, List<LogBuffer.Line> lines) {
        return logs.encode(TaskLogBatch.newBuilder().setPipelineId(d.pipelineId()).setRunId(d.runId())
                .setTaskId(d.taskId()).setAttempt(d.attempt()).setExecutorId(executorId)
                .setLines(lines.stream().map(l -> LogLine.newBuilder().setSeq(l.seq()).setTimestamp(l.at())
                        .setStream(LogStream.valueOf(l.stream().name())).setLine(l.text()).build()).toList())
                .build());
    }

    public byte[] deadLetter(String topic, int partition, long offset, String key, byte[] value, String reason,
                             Instant at) {
        return deadLetters.encode(DeadLetter.newBuilder().setSourceTopic(topic).setPartition(partition)
                .setOffset(offset).setKey(key == null ? null : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
                .setValue(value == null ? null : ByteBuffer.wrap(value)).setReason(reason).setFailedAt(at)
                .setService("executor").build());
    }

    /** The end of an attempt (or of a whole run) that an executor must act on, if this event is one. */
    public Optional<AttemptEnded> attemptEnded(byte[] eventBytes) {
        Object p = events.decode(eventBytes).getPayload();
        if (p instanceof TaskCanceled e) {
            return Optional.of(new AttemptEnded(e.getRunId(), e.getTaskId(), e.getAttempt(), "canceled"));
        } else if (p instanceof TaskTimedOut e) {
            return Optional.of(new AttemptEnded(e.getRunId(), e.getTaskId(), e.getAttempt(), "timed out"));
        } else if (p instanceof TaskLost e) {
            return Optional.of(new AttemptEnded(e.getRunId(), e.getTaskId(), e.getAttempt(),
                    "declared lost by the scheduler"));
        } else if (p instanceof RunFinished e && "CANCELED".equals(e.getStatus().name())) {
            return Optional.of(new AttemptEnded(e.getRunId(), null, 0, "run canceled"));
        } else if (p instanceof dev.drover.schemas.run.event.TaskMarked e && e.getAttempt() > 0) {
            return Optional.of(new AttemptEnded(e.getRunId(), e.getTaskId(), e.getAttempt(),
                    "marked " + e.getStatus().name().toLowerCase(java.util.Locale.ROOT) + " by "
                            + (e.getRequestedBy() == null ? "someone" : e.getRequestedBy())));
        }
        return Optional.empty();
    }
}
