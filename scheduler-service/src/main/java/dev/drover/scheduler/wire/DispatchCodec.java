package dev.drover.scheduler.wire;

import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.json.JsonValues;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.schemas.task.TaskDispatch;

/**
 * Builds the {@link TaskDispatch} record the scheduler writes to {@code drover.task.dispatch.<queue>} (key: run id)
 * in the same transaction as the {@link SchedulerEvent.TaskDispatched} event it mirrors.
 */
public final class DispatchCodec {
    private static final AvroCodec<TaskDispatch> CODEC = new AvroCodec<>(TaskDispatch.class);

    private DispatchCodec() {
    }

    /** The Avro codec of dispatch records (thread-safe). */
    public static AvroCodec<TaskDispatch> codec() {
        return CODEC;
    }

    /**
     * The dispatch of an attempt.
     *
     * @param dispatchId the id of the {@code TaskDispatched} event: stable across redeliveries, so executors use it
     *                   as the attempt's idempotency key
     */
    public static TaskDispatch toAvro(String dispatchId, SchedulerEvent.TaskDispatched event) {
        return TaskDispatch.newBuilder()
                .setDispatchId(dispatchId)
                .setPipelineId(event.pipelineId())
                .setRunId(event.runId())
                .setTaskId(event.taskId())
                .setAttempt(event.attempt())
                .setType(event.type())
                .setQueue(event.queue())
                .setConfigJson(JsonValues.toJson(event.config()))
                .setTimeoutMs(event.timeoutMs())
                .setDispatchedAt(event.at())
                .setPoke(event.poke())
                .setSecrets(event.secrets())
                .build();
    }

    /** Encodes the dispatch of an attempt. */
    public static byte[] encode(String dispatchId, SchedulerEvent.TaskDispatched event) {
        return CODEC.encode(toAvro(dispatchId, event));
    }
}
