package dev.drover.scheduler.loop;

import dev.drover.platform.avro.AvroCodec;
import dev.drover.scheduler.core.SchedulerEvent.TaskDispatched;
import dev.drover.scheduler.projection.LogBatch;
import dev.drover.scheduler.wire.CommandCodec;
import dev.drover.scheduler.wire.DispatchCodec;
import dev.drover.scheduler.wire.EventCodec;
import dev.drover.platform.eventlog.DeadLetters;
import dev.drover.schemas.run.command.RunCommandEnvelope;
import dev.drover.schemas.run.event.RunEventEnvelope;
import dev.drover.schemas.task.TaskLogBatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Instant;

/** The bytes of everything the scheduler reads and writes on Kafka, in the Avro schemas of module {@code schemas}. */
public final class LogCodec {
    private final AvroCodec<TaskLogBatch> logs = new AvroCodec<>(TaskLogBatch.class);

    public byte[] encodeCommand(CommandEnvelope e) {
        return CommandCodec.encode(e.command(), e.issuedAt(), e.correlationId(), e.issuedBy());
    }

    public CommandEnvelope decodeCommand(byte[] bytes) {
        RunCommandEnvelope env = CommandCodec.decode(bytes);
        return new CommandEnvelope(CommandCodec.toDomain(env), env.getIssuedAt(), env.getCorrelationId(),
                env.getIssuedBy());
    }

    public byte[] encodeEvent(EventEnvelope e) {
        return EventCodec.encode(e.eventId(), e.timestamp(), e.causationId(), e.correlationId(), e.event());
    }

    public EventEnvelope decodeEvent(byte[] bytes) {
        RunEventEnvelope env = EventCodec.decode(bytes);
        return new EventEnvelope(env.getEventId(), env.getTimestamp(), env.getPipelineId(), env.getCausationId(),
                env.getCorrelationId(), EventCodec.toDomain(env));
    }

    public byte[] encodeDispatch(String dispatchId, TaskDispatched event) {
        return DispatchCodec.encode(dispatchId, event);
    }

    public byte[] encodeDeadLetter(ConsumerRecord<String, byte[]> record, String reason, Instant at, String service) {
        return DeadLetters.encode(record, reason, at, service);
    }

    public LogBatch decodeLogBatch(byte[] bytes) {
        TaskLogBatch b = logs.decode(bytes);
        return new LogBatch(b.getPipelineId(), b.getRunId(), b.getTaskId(), b.getAttempt(), b.getExecutorId(),
                b.getLines().stream().map(l -> new LogBatch.Line(l.getSeq(), l.getTimestamp(), l.getStream().name(),
                        l.getLine())).toList());
    }
}
