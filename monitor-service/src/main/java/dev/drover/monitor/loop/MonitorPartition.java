package dev.drover.monitor.loop;

import dev.drover.monitor.core.MonitorCommand;
import dev.drover.monitor.core.MonitorDecider;
import dev.drover.monitor.core.MonitorEvent;
import dev.drover.monitor.core.MonitoredModelState;
import dev.drover.monitor.wire.CommandEnvelope;
import dev.drover.monitor.wire.EventEnvelope;
import dev.drover.monitor.wire.MonitorCodec;
import dev.drover.platform.eventlog.AggregatePartition;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The monitor's state for one partition of its command and event topics: every monitored model keyed there. */
final class MonitorPartition extends AggregatePartition<MonitorCommand, MonitorEvent> {
    private final MonitorCodec codec;
    private final MonitorDecider decider = new MonitorDecider();
    private final Map<String, MonitoredModelState> models = new HashMap<>();

    MonitorPartition(MonitorCodec codec) {
        this.codec = codec;
    }

    @Override
    protected Incoming<MonitorCommand> decodeCommand(byte[] value) {
        CommandEnvelope e = codec.decodeCommand(value);
        return new Incoming<>(e.key(), e.commandId(), e.correlationId(), e.command());
    }

    @Override
    protected Stored<MonitorEvent> decodeEvent(byte[] value) {
        EventEnvelope e = codec.decodeEvent(value);
        return new Stored<>(e.causationId(), e.event());
    }

    @Override
    protected List<MonitorEvent> decide(MonitorCommand command, Instant now) {
        MonitoredModelState state = models.get(command.modelName());
        return decider.decide(state == null ? new MonitoredModelState(command.modelName()) : state, command, now)
                .events();
    }

    @Override
    protected void apply(MonitorEvent event) {
        models.computeIfAbsent(event.modelName(), MonitoredModelState::new).apply(event);
    }

    @Override
    protected byte[] encodeEvent(String eventId, Instant at, String key, String causationId, String correlationId,
                                 int index, int count, MonitorEvent event) {
        return codec.encodeEvent(new EventEnvelope(eventId, at, key, causationId, correlationId, index, count,
                event));
    }

    @Override
    protected String commandName() {
        return "monitor command";
    }
}
