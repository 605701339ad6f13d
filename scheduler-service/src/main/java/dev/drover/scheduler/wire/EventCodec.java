package dev.drover.scheduler.wire;

import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.json.JsonValues;
import dev.drover.scheduler.core.RejectionCode;
import dev.drover.scheduler.core.RunStatus;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.pipeline.PipelineSpecs;
import dev.drover.schemas.run.event.CommandRejected;
import dev.drover.schemas.run.event.PipelineRegistered;
import dev.drover.schemas.run.event.RunEventEnvelope;
import dev.drover.schemas.run.event.RunFinished;
import dev.drover.schemas.run.event.RunStarted;
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

import java.time.Instant;

/**
 * Maps every {@link SchedulerEvent} to and from its Avro form on {@code drover.run.events}: a {@link RunEventEnvelope}
 * (event id, timestamp, pipeline id, causation and correlation ids) whose payload is one record per event type. The
 * envelope carries the pipeline id, so payloads do not repeat it.
 *
 * <p>Pipeline specs travel as {@link PipelineSpecs#toJson} text, JSON-valued maps (parameters, config, outputs) as
 * {@link JsonValues} text. Instants are stored to the millisecond (Avro {@code timestamp-millis}): the scheduler must
 * decide with a clock of millisecond precision, or the state it builds live would differ from the state a replay of
 * the same events builds.
 *
 * <p>Enums map by name; {@link RunStatus} and {@link RejectionCode} have no Avro default symbol on purpose (see
 * {@code docs/schemas.md}), so a new symbol must reach every reader before any writer uses it.
 *
 * <p>Java 17 has no pattern matching for {@code switch}, so the mapping is an {@code instanceof} chain ending in an
 * exception; {@code EventCodecTest} checks that every permitted subtype of {@link SchedulerEvent} and every payload
 * branch of the schema round-trips, which is what keeps it exhaustive.
 */
public final class EventCodec {
    private static final AvroCodec<RunEventEnvelope> CODEC = new AvroCodec<>(RunEventEnvelope.class);

    private EventCodec() {
    }

    /** The Avro codec of event envelopes (thread-safe). */
    public static AvroCodec<RunEventEnvelope> codec() {
        return CODEC;
    }

    /** Encodes an event with its envelope fields, ready to append to {@code drover.run.events}. */
    public static byte[] encode(String eventId, Instant timestamp, String causationId, String correlationId,
                                SchedulerEvent event) {
        return CODEC.encode(toAvro(eventId, timestamp, causationId, correlationId, event));
    }

    /**
     * Decodes a record of {@code drover.run.events}.
     *
     * @throws dev.drover.platform.avro.AvroCodecException if the bytes are not an event envelope
     */
    public static RunEventEnvelope decode(byte[] bytes) {
        return CODEC.decode(bytes);
    }

    /**
     * Wraps an event in its envelope; the pipeline id is the event's.
     *
     * @param causationId   id of the command the event was decided from
     * @param correlationId the run (or, for registrations, the pipeline or request) the event belongs to
     */
    public static RunEventEnvelope toAvro(String eventId, Instant timestamp, String causationId, String correlationId,
                                          SchedulerEvent event) {
        return RunEventEnvelope.newBuilder()
                .setEventId(eventId)
                .setTimestamp(timestamp)
                .setPipelineId(event.pipelineId())
                .setCausationId(causationId)
                .setCorrelationId(correlationId)
                .setPayload(payload(event))
                .build();
    }

    /**
     * The event an envelope carries.
     *
     * @throws IllegalArgumentException if the payload is of no known event type, or its spec or JSON is corrupt
     */
    public static SchedulerEvent toDomain(RunEventEnvelope envelope) {
        String pipelineId = envelope.getPipelineId();
        Object p = envelope.getPayload();
        if (p instanceof PipelineRegistered e) {
            return new SchedulerEvent.PipelineRegistered(pipelineId, e.getRevision(),
                    PipelineSpecs.fromJson(e.getSpecJson()), e.getSpecHash(), e.getRegisteredBy(), e.getAt());
        } else if (p instanceof RunStarted e) {
            return new SchedulerEvent.RunStarted(pipelineId, e.getRunId(), e.getRevision(),
                    JsonValues.fromJson(e.getParametersJson()), e.getTrigger(), e.getRequestedBy(), e.getAt(),
                    interval(e.getDataIntervalStart(), e.getDataIntervalEnd()), e.getBackfillId());
        } else if (p instanceof TaskDispatched e) {
            return new SchedulerEvent.TaskDispatched(pipelineId, e.getRunId(), e.getTaskId(), e.getAttempt(),
                    e.getType(), e.getQueue(), JsonValues.fromJson(e.getConfigJson()), e.getTimeoutMs(), e.getAt(),
                    e.getPoke(), e.getSecrets());
        } else if (p instanceof TaskStarted e) {
            return new SchedulerEvent.TaskStarted(pipelineId, e.getRunId(), e.getTaskId(), e.getAttempt(),
                    e.getExecutorId(), e.getLeaseExpiresAt(), e.getTimeoutAt(), e.getAt());
        } else if (p instanceof TaskLeaseRenewed e) {
            return new SchedulerEvent.TaskLeaseRenewed(pipelineId, e.getRunId(), e.getTaskId(), e.getAttempt(),
                    e.getLeaseExpiresAt());
        } else if (p instanceof TaskSucceeded e) {
            return new SchedulerEvent.TaskSucceeded(pipelineId, e.getRunId(), e.getTaskId(), e.getAttempt(),
                    JsonValues.fromJson(e.getOutputsJson()), e.getAt());
        } else if (p instanceof TaskFailed e) {
            return new SchedulerEvent.TaskFailed(pipelineId, e.getRunId(), e.getTaskId(), e.getAttempt(),
                    e.getMessage(), e.getExitCode(), e.getAt());
        } else if (p instanceof TaskTimedOut e) {
            return new SchedulerEvent.TaskTimedOut(pipelineId, e.getRunId(), e.getTaskId(), e.getAttempt(), e.getAt());
        } else if (p instanceof TaskLost e) {
            return new SchedulerEvent.TaskLost(pipelineId, e.getRunId(), e.getTaskId(), e.getAttempt(),
                    e.getExecutorId(), e.getAt());
        } else if (p instanceof TaskRetryScheduled e) {
            return new SchedulerEvent.TaskRetryScheduled(pipelineId, e.getRunId(), e.getTaskId(), e.getNextAttempt(),
                    e.getDueAt());
        } else if (p instanceof TaskFailedFinally e) {
            return new SchedulerEvent.TaskFailedFinally(pipelineId, e.getRunId(), e.getTaskId(), e.getAttempt(),
                    e.getReason());
        } else if (p instanceof TaskUpstreamFailed e) {
            return new SchedulerEvent.TaskUpstreamFailed(pipelineId, e.getRunId(), e.getTaskId(),
                    e.getUpstreamTaskId());
        } else if (p instanceof TaskCanceled e) {
            return new SchedulerEvent.TaskCanceled(pipelineId, e.getRunId(), e.getTaskId(), e.getAttempt());
        } else if (p instanceof RunFinished e) {
            return new SchedulerEvent.RunFinished(pipelineId, e.getRunId(), RunStatus.valueOf(e.getStatus().name()),
                    e.getReason(), e.getAt());
        } else if (p instanceof CommandRejected e) {
            return new SchedulerEvent.CommandRejected(pipelineId, e.getCommandId(),
                    RejectionCode.valueOf(e.getCode().name()), e.getMessage());
        } else if (p instanceof dev.drover.schemas.run.event.TaskSkipped e) {
            return new SchedulerEvent.TaskSkipped(pipelineId, e.getRunId(), e.getTaskId(), e.getReason());
        } else if (p instanceof dev.drover.schemas.run.event.TaskRescheduled e) {
            return new SchedulerEvent.TaskRescheduled(pipelineId, e.getRunId(), e.getTaskId(), e.getAttempt(),
                    e.getPoke(), e.getReason(), e.getNextPokeAt(), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.AssetUpdated e) {
            return new SchedulerEvent.AssetUpdated(pipelineId, e.getRunId(), e.getTaskId(), e.getUri(),
                    e.getUpdateId(), JsonValues.fromJson(e.getExtraJson()), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.AssetUpdateRecorded e) {
            return new SchedulerEvent.AssetUpdateRecorded(pipelineId, e.getUri(), e.getUpdateId(),
                    e.getProducerPipeline(), e.getProducerRunId(), e.getProducerTaskId(), e.getUpdatedAt(), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.AssetRunTriggered e) {
            return new SchedulerEvent.AssetRunTriggered(pipelineId, e.getRunId(), e.getTrigger(), e.getUpdates()
                    .stream().map(u -> new dev.drover.scheduler.core.AssetRef(u.getUri(), u.getUpdateId())).toList());
        } else if (p instanceof dev.drover.schemas.run.event.TaskExpanded e) {
            return new SchedulerEvent.TaskExpanded(pipelineId, e.getRunId(), e.getTaskId(), items(e.getItemsJson()));
        } else if (p instanceof dev.drover.schemas.run.event.TasksCleared e) {
            return new SchedulerEvent.TasksCleared(pipelineId, e.getRunId(), e.getTaskIds(), e.getDownstream(),
                    e.getRequestedBy(), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.RunReopened e) {
            return new SchedulerEvent.RunReopened(pipelineId, e.getRunId(), e.getRequestedBy(), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.TaskMarked e) {
            return new SchedulerEvent.TaskMarked(pipelineId, e.getRunId(), e.getTaskId(),
                    dev.drover.scheduler.core.TaskStatus.valueOf(e.getStatus().name()), e.getAttempt(),
                    e.getRequestedBy(), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.RunDeadlineMissed e) {
            return new SchedulerEvent.RunDeadlineMissed(pipelineId, e.getRunId(), e.getDeadlineMs(), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.TaskDeadlineMissed e) {
            return new SchedulerEvent.TaskDeadlineMissed(pipelineId, e.getRunId(), e.getTaskId(), e.getDeadlineMs(),
                    e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.TaskQueued e) {
            return new SchedulerEvent.TaskQueued(pipelineId, e.getRunId(), e.getTaskId(), e.getAttempt(),
                    e.getReason());
        } else if (p instanceof dev.drover.schemas.run.event.TaskAwaitingPool e) {
            return new SchedulerEvent.TaskAwaitingPool(pipelineId, e.getRunId(), e.getTaskId(), e.getAttempt(),
                    e.getPool(), e.getPriority());
        } else if (p instanceof dev.drover.schemas.run.event.PoolDefined e) {
            return new SchedulerEvent.PoolDefined(e.getPool(), e.getSlots(), e.getDescription(), e.getDefinedBy(),
                    e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.PoolSlotQueued e) {
            return new SchedulerEvent.PoolSlotQueued(e.getPool(), e.getHolderPipelineId(), e.getRunId(),
                    e.getTaskId(), e.getAttempt(), e.getPriority(), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.PoolSlotGranted e) {
            return new SchedulerEvent.PoolSlotGranted(e.getPool(), e.getHolderPipelineId(), e.getRunId(),
                    e.getTaskId(), e.getAttempt(), e.getPriority(), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.PoolSlotReleased e) {
            return new SchedulerEvent.PoolSlotReleased(e.getPool(), e.getHolderPipelineId(), e.getRunId(),
                    e.getTaskId(), e.getAttempt(), e.getHeld(), e.getReason(), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.RunQueued e) {
            return new SchedulerEvent.RunQueued(pipelineId, e.getRunId(), e.getRevision(),
                    JsonValues.fromJson(e.getParametersJson()), e.getTrigger(), e.getRequestedBy(),
                    interval(e.getDataIntervalStart(), e.getDataIntervalEnd()), e.getReason(), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.PipelinePaused e) {
            return new SchedulerEvent.PipelinePaused(pipelineId, e.getReason(), e.getPausedBy(), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.PipelineResumed e) {
            return new SchedulerEvent.PipelineResumed(pipelineId, e.getResumedBy(), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.ScheduledRunSkipped e) {
            return new SchedulerEvent.ScheduledRunSkipped(pipelineId, e.getRunId(),
                    interval(e.getDataIntervalStart(), e.getDataIntervalEnd()), e.getReason(), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.BackfillRequested e) {
            return new SchedulerEvent.BackfillRequested(pipelineId, e.getBackfillId(), e.getStart(), e.getEnd(),
                    e.getMaxConcurrency(), JsonValues.fromJson(e.getParametersJson()), e.getRevision(),
                    e.getFirstLogicalDate(), e.getIntervals(), e.getRequestedBy(), e.getAt());
        } else if (p instanceof dev.drover.schemas.run.event.BackfillIntervalSkipped e) {
            return new SchedulerEvent.BackfillIntervalSkipped(pipelineId, e.getBackfillId(), e.getRunId(),
                    interval(e.getDataIntervalStart(), e.getDataIntervalEnd()), e.getReason());
        } else if (p instanceof dev.drover.schemas.run.event.BackfillFinished e) {
            return new SchedulerEvent.BackfillFinished(pipelineId, e.getBackfillId(), e.getStatus(), e.getReason(),
                    e.getAt());
        }
        throw new IllegalArgumentException("event " + envelope.getEventId() + " has an unknown payload "
                + (p == null ? "null" : p.getClass().getName()));
    }

    private static dev.drover.scheduler.schedule.DataInterval interval(Instant start, Instant end) {
        return start == null || end == null ? null : new dev.drover.scheduler.schedule.DataInterval(start, end);
    }

    private static Instant start(dev.drover.scheduler.schedule.DataInterval interval) {
        return interval == null ? null : interval.start();
    }

    private static Instant end(dev.drover.scheduler.schedule.DataInterval interval) {
        return interval == null ? null : interval.end();
    }

    /** The Avro payload record of an event. */
    public static Object payload(SchedulerEvent event) {
        if (event instanceof SchedulerEvent.PipelineRegistered e) {
            return PipelineRegistered.newBuilder().setRevision(e.revision()).setSpecJson(PipelineSpecs.toJson(e.spec()))
                    .setSpecHash(e.specHash()).setRegisteredBy(e.registeredBy()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.RunStarted e) {
            return RunStarted.newBuilder().setRunId(e.runId()).setRevision(e.revision())
                    .setParametersJson(JsonValues.toJson(e.parameters())).setTrigger(e.trigger())
                    .setRequestedBy(e.requestedBy()).setAt(e.at())
                    .setLogicalDate(e.interval() == null ? null : e.interval().start())
                    .setDataIntervalStart(e.interval() == null ? null : e.interval().start())
                    .setDataIntervalEnd(e.interval() == null ? null : e.interval().end())
                    .setBackfillId(e.backfillId()).build();
        } else if (event instanceof SchedulerEvent.TaskDispatched e) {
            return TaskDispatched.newBuilder().setRunId(e.runId()).setTaskId(e.taskId()).setAttempt(e.attempt())
                    .setType(e.type()).setQueue(e.queue()).setConfigJson(JsonValues.toJson(e.config()))
                    .setTimeoutMs(e.timeoutMs()).setAt(e.at()).setPoke(e.poke()).setSecrets(e.secrets()).build();
        } else if (event instanceof SchedulerEvent.TaskStarted e) {
            return TaskStarted.newBuilder().setRunId(e.runId()).setTaskId(e.taskId()).setAttempt(e.attempt())
                    .setExecutorId(e.executorId()).setLeaseExpiresAt(e.leaseExpiresAt()).setTimeoutAt(e.timeoutAt())
                    .setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.TaskLeaseRenewed e) {
            return TaskLeaseRenewed.newBuilder().setRunId(e.runId()).setTaskId(e.taskId()).setAttempt(e.attempt())
                    .setLeaseExpiresAt(e.leaseExpiresAt()).build();
        } else if (event instanceof SchedulerEvent.TaskSucceeded e) {
            return TaskSucceeded.newBuilder().setRunId(e.runId()).setTaskId(e.taskId()).setAttempt(e.attempt())
                    .setOutputsJson(JsonValues.toJson(e.outputs())).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.TaskFailed e) {
            return TaskFailed.newBuilder().setRunId(e.runId()).setTaskId(e.taskId()).setAttempt(e.attempt())
                    .setMessage(e.message()).setExitCode(e.exitCode()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.TaskTimedOut e) {
            return TaskTimedOut.newBuilder().setRunId(e.runId()).setTaskId(e.taskId()).setAttempt(e.attempt())
                    .setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.TaskLost e) {
            return TaskLost.newBuilder().setRunId(e.runId()).setTaskId(e.taskId()).setAttempt(e.attempt())
                    .setExecutorId(e.executorId()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.TaskRetryScheduled e) {
            return TaskRetryScheduled.newBuilder().setRunId(e.runId()).setTaskId(e.taskId())
                    .setNextAttempt(e.nextAttempt()).setDueAt(e.dueAt()).build();
        } else if (event instanceof SchedulerEvent.TaskFailedFinally e) {
            return TaskFailedFinally.newBuilder().setRunId(e.runId()).setTaskId(e.taskId()).setAttempt(e.attempt())
                    .setReason(e.reason()).build();
        } else if (event instanceof SchedulerEvent.TaskUpstreamFailed e) {
            return TaskUpstreamFailed.newBuilder().setRunId(e.runId()).setTaskId(e.taskId())
                    .setUpstreamTaskId(e.upstreamTaskId()).build();
        } else if (event instanceof SchedulerEvent.TaskCanceled e) {
            return TaskCanceled.newBuilder().setRunId(e.runId()).setTaskId(e.taskId()).setAttempt(e.attempt())
                    .build();
        } else if (event instanceof SchedulerEvent.RunFinished e) {
            return RunFinished.newBuilder().setRunId(e.runId())
                    .setStatus(dev.drover.schemas.run.event.RunStatus.valueOf(e.status().name()))
                    .setReason(e.reason()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.CommandRejected e) {
            return CommandRejected.newBuilder().setCommandId(e.commandId())
                    .setCode(dev.drover.schemas.run.event.RejectionCode.valueOf(e.code().name()))
                    .setMessage(e.message()).build();
        } else if (event instanceof SchedulerEvent.TaskSkipped e) {
            return dev.drover.schemas.run.event.TaskSkipped.newBuilder().setRunId(e.runId()).setTaskId(e.taskId())
                    .setReason(e.reason()).build();
        } else if (event instanceof SchedulerEvent.TaskRescheduled e) {
            return dev.drover.schemas.run.event.TaskRescheduled.newBuilder().setRunId(e.runId()).setTaskId(e.taskId())
                    .setAttempt(e.attempt()).setPoke(e.poke()).setReason(e.reason()).setNextPokeAt(e.nextPokeAt())
                    .setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.AssetUpdated e) {
            return dev.drover.schemas.run.event.AssetUpdated.newBuilder().setRunId(e.runId()).setTaskId(e.taskId())
                    .setUri(e.uri()).setUpdateId(e.updateId()).setExtraJson(JsonValues.toJson(e.extra()))
                    .setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.AssetUpdateRecorded e) {
            return dev.drover.schemas.run.event.AssetUpdateRecorded.newBuilder().setUri(e.uri())
                    .setUpdateId(e.updateId()).setProducerPipeline(e.producerPipeline())
                    .setProducerRunId(e.producerRunId()).setProducerTaskId(e.producerTaskId())
                    .setUpdatedAt(e.updatedAt()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.AssetRunTriggered e) {
            return dev.drover.schemas.run.event.AssetRunTriggered.newBuilder().setRunId(e.runId())
                    .setTrigger(e.trigger()).setUpdates(e.updates().stream().map(u -> dev.drover.schemas.run.event
                            .AssetRef.newBuilder().setUri(u.uri()).setUpdateId(u.updateId()).build()).toList())
                    .build();
        } else if (event instanceof SchedulerEvent.TaskExpanded e) {
            return dev.drover.schemas.run.event.TaskExpanded.newBuilder().setRunId(e.runId()).setTaskId(e.taskId())
                    .setItemsJson(JsonValues.writeValue(e.items())).build();
        } else if (event instanceof SchedulerEvent.TasksCleared e) {
            return dev.drover.schemas.run.event.TasksCleared.newBuilder().setRunId(e.runId()).setTaskIds(e.taskIds())
                    .setDownstream(e.downstream()).setRequestedBy(e.requestedBy()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.RunReopened e) {
            return dev.drover.schemas.run.event.RunReopened.newBuilder().setRunId(e.runId())
                    .setRequestedBy(e.requestedBy()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.TaskMarked e) {
            return dev.drover.schemas.run.event.TaskMarked.newBuilder().setRunId(e.runId()).setTaskId(e.taskId())
                    .setStatus(dev.drover.schemas.run.event.MarkStatus.valueOf(e.status().name()))
                    .setAttempt(e.attempt()).setRequestedBy(e.requestedBy()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.RunDeadlineMissed e) {
            return dev.drover.schemas.run.event.RunDeadlineMissed.newBuilder().setRunId(e.runId())
                    .setDeadlineMs(e.deadlineMs()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.TaskDeadlineMissed e) {
            return dev.drover.schemas.run.event.TaskDeadlineMissed.newBuilder().setRunId(e.runId())
                    .setTaskId(e.taskId()).setDeadlineMs(e.deadlineMs()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.TaskQueued e) {
            return dev.drover.schemas.run.event.TaskQueued.newBuilder().setRunId(e.runId()).setTaskId(e.taskId())
                    .setAttempt(e.attempt()).setReason(e.reason()).build();
        } else if (event instanceof SchedulerEvent.TaskAwaitingPool e) {
            return dev.drover.schemas.run.event.TaskAwaitingPool.newBuilder().setRunId(e.runId())
                    .setTaskId(e.taskId()).setAttempt(e.attempt()).setPool(e.pool()).setPriority(e.priority())
                    .build();
        } else if (event instanceof SchedulerEvent.PoolDefined e) {
            return dev.drover.schemas.run.event.PoolDefined.newBuilder().setPool(e.pool()).setSlots(e.slots())
                    .setDescription(e.description()).setDefinedBy(e.definedBy()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.PoolSlotQueued e) {
            return dev.drover.schemas.run.event.PoolSlotQueued.newBuilder().setPool(e.pool())
                    .setHolderPipelineId(e.holderPipelineId()).setRunId(e.runId()).setTaskId(e.taskId())
                    .setAttempt(e.attempt()).setPriority(e.priority()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.PoolSlotGranted e) {
            return dev.drover.schemas.run.event.PoolSlotGranted.newBuilder().setPool(e.pool())
                    .setHolderPipelineId(e.holderPipelineId()).setRunId(e.runId()).setTaskId(e.taskId())
                    .setAttempt(e.attempt()).setPriority(e.priority()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.PoolSlotReleased e) {
            return dev.drover.schemas.run.event.PoolSlotReleased.newBuilder().setPool(e.pool())
                    .setHolderPipelineId(e.holderPipelineId()).setRunId(e.runId()).setTaskId(e.taskId())
                    .setAttempt(e.attempt()).setHeld(e.held()).setReason(e.reason()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.RunQueued e) {
            return dev.drover.schemas.run.event.RunQueued.newBuilder().setRunId(e.runId()).setRevision(e.revision())
                    .setParametersJson(JsonValues.toJson(e.parameters())).setTrigger(e.trigger())
                    .setRequestedBy(e.requestedBy()).setDataIntervalStart(start(e.interval()))
                    .setDataIntervalEnd(end(e.interval())).setReason(e.reason()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.PipelinePaused e) {
            return dev.drover.schemas.run.event.PipelinePaused.newBuilder().setReason(e.reason()).setPausedBy(e.pausedBy()).setAt(e.at())
                    .build();
        } else if (event instanceof SchedulerEvent.PipelineResumed e) {
            return dev.drover.schemas.run.event.PipelineResumed.newBuilder().setResumedBy(e.resumedBy()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.ScheduledRunSkipped e) {
            return dev.drover.schemas.run.event.ScheduledRunSkipped.newBuilder().setRunId(e.runId()).setDataIntervalStart(start(e.interval()))
                    .setDataIntervalEnd(end(e.interval())).setReason(e.reason()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.BackfillRequested e) {
            return dev.drover.schemas.run.event.BackfillRequested.newBuilder().setBackfillId(e.backfillId()).setStart(e.start())
                    .setEnd(e.end()).setMaxConcurrency(e.maxConcurrency())
                    .setParametersJson(JsonValues.toJson(e.parameters())).setRevision(e.revision())
                    .setFirstLogicalDate(e.firstLogicalDate()).setIntervals(e.intervals())
                    .setRequestedBy(e.requestedBy()).setAt(e.at()).build();
        } else if (event instanceof SchedulerEvent.BackfillIntervalSkipped e) {
            return dev.drover.schemas.run.event.BackfillIntervalSkipped.newBuilder().setBackfillId(e.backfillId()).setRunId(e.runId())
                    .setDataIntervalStart(start(e.interval())).setDataIntervalEnd(end(e.interval()))
                    .setReason(e.reason()).build();
        } else if (event instanceof SchedulerEvent.BackfillFinished e) {
            return dev.drover.schemas.run.event.BackfillFinished.newBuilder().setBackfillId(e.backfillId()).setStatus(e.status())
                    .setReason(e.reason()).setAt(e.at()).build();
        }
        throw new IllegalArgumentException("no wire form for event " + event.getClass().getName());
    }

    private static java.util.List<Object> items(String json) {
        Object value = JsonValues.readValue(json);
        if (!(value instanceof java.util.List<?> list)) {
            throw new IllegalArgumentException("TaskExpanded items are not a JSON array: " + json);
        }
        return new java.util.ArrayList<>(list);
    }
}
