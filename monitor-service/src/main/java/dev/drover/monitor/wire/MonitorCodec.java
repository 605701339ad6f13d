package dev.drover.monitor.wire;

import dev.drover.monitor.core.MonitorCommand;
import dev.drover.monitor.core.MonitorEvent;
import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.avro.AvroCodecException;
import dev.drover.schemas.monitor.command.MonitorCommandEnvelope;
import dev.drover.schemas.monitor.event.MonitorEventEnvelope;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.specific.SpecificRecord;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes of everything the monitor reads and writes on Kafka: {@link CommandEnvelope}s on
 * {@code drover.monitor.commands}, {@link EventEnvelope}s on {@code drover.monitor.events} (Avro
 * {@code MonitorCommandEnvelope} and {@code MonitorEventEnvelope} of module {@code schemas}), and the
 * {@link Prediction}s and {@link Label}s serving systems publish on {@code drover.monitor.predictions} and
 * {@code drover.monitor.labels} (Avro {@code Prediction} and {@code Label}; their JSON CloudEvents form is in
 * {@code docs/monitor.md}).
 *
 * <p>The model's name travels once in command and event envelopes, in the key ({@link MonitorKeys}). Instants are
 * kept to the millisecond (Avro {@code timestamp-millis}); durations travel as ISO-8601 text.
 *
 * <p>Every failure — bytes that are not the record asked for, an unknown payload, a key that does not fit, a
 * malformed value, a value of a type the schema cannot hold — is an {@link IllegalArgumentException} saying what
 * could not be read or written, so a consumer can set the record aside with that message as the reason.
 * Thread-safe.
 */
public final class MonitorCodec {
    private final AvroCodec<MonitorCommandEnvelope> commands = new AvroCodec<>(MonitorCommandEnvelope.class);
    private final AvroCodec<MonitorEventEnvelope> events = new AvroCodec<>(MonitorEventEnvelope.class);
    private final AvroCodec<dev.drover.schemas.monitor.inference.Prediction> predictions =
            new AvroCodec<>(dev.drover.schemas.monitor.inference.Prediction.class);
    private final AvroCodec<dev.drover.schemas.monitor.inference.Label> labels =
            new AvroCodec<>(dev.drover.schemas.monitor.inference.Label.class);

    // ---- commands

    /**
     * Encodes a command for {@code drover.monitor.commands} (its Kafka key is {@link CommandEnvelope#key()}).
     *
     * @throws IllegalArgumentException if the command cannot be written
     */
    public byte[] encodeCommand(CommandEnvelope envelope) {
        MonitorCommand command = envelope.command();
        try {
            return commands.encode(MonitorCommandEnvelope.newBuilder().setCommandId(envelope.commandId())
                    .setIssuedAt(envelope.issuedAt()).setCorrelationId(envelope.correlationId())
                    .setKey(envelope.key()).setPayload(CommandMapping.toAvro(command)).build());
        } catch (AvroCodecException | AvroRuntimeException e) {
            throw new IllegalArgumentException("could not encode monitor command " + envelope.commandId() + " ("
                    + command.getClass().getSimpleName() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a record of {@code drover.monitor.commands}.
     *
     * @throws IllegalArgumentException if the bytes are not a monitor command envelope, or what it holds cannot be
     *                                  read as a command
     */
    public CommandEnvelope decodeCommand(byte[] bytes) {
        MonitorCommandEnvelope env = read(commands, bytes, "a monitor command envelope");
        String name = MonitorKeys.nameIn(env.getKey(), "command " + env.getCommandId());
        Object payload = env.getPayload();
        try {
            return new CommandEnvelope(CommandMapping.toDomain(env.getCommandId(), name, payload), env.getIssuedAt(),
                    env.getCorrelationId());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("could not read monitor command " + env.getCommandId() + " ("
                    + payload.getClass().getSimpleName() + "): " + e.getMessage(), e);
        }
    }

    // ---- events

    /**
     * Encodes an event for {@code drover.monitor.events} (its Kafka key is {@link EventEnvelope#key()}).
     *
     * @throws IllegalArgumentException if the envelope's key is not the event's model key, or the event cannot be
     *                                  written (e.g. a required value is null)
     */
    public byte[] encodeEvent(EventEnvelope envelope) {
        MonitorEvent event = envelope.event();
        String expectedKey = MonitorKeys.model(event.modelName());
        if (!expectedKey.equals(envelope.key())) {
            // the name travels only in the key, so a mismatch would silently move the event to another model
            throw new IllegalArgumentException("event " + envelope.eventId() + " (" + event.getClass().getSimpleName()
                    + ") has key '" + envelope.key() + "' but belongs to '" + expectedKey + "'; key events with "
                    + "MonitorKeys.model");
        }
        try {
            return events.encode(MonitorEventEnvelope.newBuilder().setEventId(envelope.eventId())
                    .setTimestamp(envelope.at()).setKey(envelope.key()).setCausationId(envelope.causationId())
                    .setCorrelationId(envelope.correlationId()).setIndex(envelope.index())
                    .setCount(envelope.count()).setPayload(EventMapping.toAvro(event)).build());
        } catch (AvroCodecException | AvroRuntimeException | NullPointerException e) {
            // a required value left null: the builders refuse it with an AvroRuntimeException, the writer with ours,
            // a generated constructor of a nested record with a NullPointerException
            throw new IllegalArgumentException("could not encode monitor event " + envelope.eventId() + " ("
                    + event.getClass().getSimpleName() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a record of {@code drover.monitor.events}.
     *
     * @throws IllegalArgumentException if the bytes are not a monitor event envelope, or what it holds cannot be
     *                                  read as an event
     */
    public EventEnvelope decodeEvent(byte[] bytes) {
        MonitorEventEnvelope env = read(events, bytes, "a monitor event envelope");
        String name = MonitorKeys.nameIn(env.getKey(), "event " + env.getEventId());
        Object payload = env.getPayload();
        try {
            return new EventEnvelope(env.getEventId(), env.getTimestamp(), env.getKey(), env.getCausationId(),
                    env.getCorrelationId(), env.getIndex(), env.getCount(),
                    EventMapping.toDomain(env.getEventId(), name, payload));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("could not read monitor event " + env.getEventId() + " ("
                    + payload.getClass().getSimpleName() + "): " + e.getMessage(), e);
        }
    }

    // ---- inference records

    /**
     * Encodes a prediction for {@code drover.monitor.predictions} (Kafka key: its model name).
     *
     * @throws IllegalArgumentException if a required part is missing or a value is not a Double, String or Boolean
     */
    public byte[] encodePrediction(Prediction prediction) {
        String what = "prediction " + prediction.requestId() + " of model " + prediction.modelName();
        Map<String, Object> features = new LinkedHashMap<>();
        prediction.features().forEach((feature, value) -> features.put(feature,
                value == null ? null : value(value, what + ", feature '" + feature + "'")));
        if (prediction.prediction() == null) {
            throw new IllegalArgumentException(what + " has no predicted value: give a number, a string or a "
                    + "boolean");
        }
        try {
            return predictions.encode(dev.drover.schemas.monitor.inference.Prediction.newBuilder()
                    .setModelName(prediction.modelName()).setModelVersion(prediction.modelVersion())
                    .setTimestamp(prediction.timestamp()).setRequestId(prediction.requestId()).setFeatures(features)
                    .setPrediction(value(prediction.prediction(), what + ", predicted value")).build());
        } catch (AvroCodecException | AvroRuntimeException e) {
            throw new IllegalArgumentException("could not encode " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a record of {@code drover.monitor.predictions}.
     *
     * @throws IllegalArgumentException if the bytes are not a {@code Prediction}
     */
    public Prediction decodePrediction(byte[] bytes) {
        dev.drover.schemas.monitor.inference.Prediction p = read(predictions, bytes, "a prediction");
        return new Prediction(p.getModelName(), p.getModelVersion(), p.getTimestamp(), p.getRequestId(),
                p.getFeatures(), p.getPrediction());
    }

    /**
     * Encodes a label for {@code drover.monitor.labels} (Kafka key: its model name).
     *
     * @throws IllegalArgumentException if a required part is missing or the label is not a Double, String or Boolean
     */
    public byte[] encodeLabel(Label label) {
        String what = "label " + label.requestId() + " of model " + label.modelName();
        if (label.label() == null) {
            throw new IllegalArgumentException(what + " has no value: give a number, a string or a boolean");
        }
        try {
            return labels.encode(dev.drover.schemas.monitor.inference.Label.newBuilder()
                    .setModelName(label.modelName()).setRequestId(label.requestId()).setTimestamp(label.timestamp())
                    .setLabel(value(label.label(), what)).build());
        } catch (AvroCodecException | AvroRuntimeException e) {
            throw new IllegalArgumentException("could not encode " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a record of {@code drover.monitor.labels}.
     *
     * @throws IllegalArgumentException if the bytes are not a {@code Label}
     */
    public Label decodeLabel(byte[] bytes) {
        dev.drover.schemas.monitor.inference.Label l = read(labels, bytes, "a label");
        return new Label(l.getModelName(), l.getRequestId(), l.getTimestamp(), l.getLabel());
    }

    /** A value the inference schemas can hold, or the reason it is not one. */
    private static Object value(Object value, String where) {
        if (value instanceof Double || value instanceof String || value instanceof Boolean) {
            return value;
        }
        throw new IllegalArgumentException(where + " is a " + value.getClass().getSimpleName() + " (" + value
                + "): inference values are Double, String or Boolean; convert numbers to double");
    }

    private static <T extends SpecificRecord> T read(AvroCodec<T> codec, byte[] bytes, String what) {
        if (bytes == null) {
            throw new IllegalArgumentException("could not read " + what + " from a record without a value");
        }
        try {
            return codec.decode(bytes);
        } catch (AvroCodecException e) {
            throw new IllegalArgumentException("could not read " + what + " from " + bytes.length + " bytes: "
                    + e.getMessage(), e);
        }
    }
}
