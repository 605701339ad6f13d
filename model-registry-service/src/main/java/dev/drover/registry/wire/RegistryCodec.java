package dev.drover.registry.wire;

import dev.drover.platform.avro.AvroCodec;
import dev.drover.platform.avro.AvroCodecException;
import dev.drover.registry.core.FeatureSetEvent;
import dev.drover.registry.core.ModelEvent;
import dev.drover.schemas.registry.command.RegistryCommandEnvelope;
import dev.drover.schemas.registry.event.RegistryEventEnvelope;
import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Instant;

/**
 * The bytes of everything the registry reads and writes on Kafka: {@link CommandEnvelope}s on
 * {@code drover.registry.commands}, {@link EventEnvelope}s on {@code drover.registry.events} (Avro
 * {@code RegistryCommandEnvelope} and {@code RegistryEventEnvelope} of module {@code schemas}). Dead letters are
 * the platform's ({@code DeadLetters}).
 *
 * <p>The aggregate's name travels once, in the envelope's key ({@link RegistryKeys}); decoding checks that the key's
 * prefix fits the payload (a model payload under {@code model/}, a feature-set payload under {@code feature-set/}).
 * Instants are kept to the millisecond (Avro {@code timestamp-millis}); durations travel as ISO-8601 text.
 *
 * <p>Every decoding failure — bytes that are not an envelope, an unknown payload, a key that does not fit, a
 * malformed value — is an {@link IllegalArgumentException} saying what could not be read, so a consumer can
 * dead-letter the record with that message as the reason. Thread-safe.
 */
public final class RegistryCodec {
    private final AvroCodec<RegistryCommandEnvelope> commands = new AvroCodec<>(RegistryCommandEnvelope.class);
    private final AvroCodec<RegistryEventEnvelope> events = new AvroCodec<>(RegistryEventEnvelope.class);

    /**
     * Encodes a command for {@code drover.registry.commands} (its Kafka key is {@link CommandEnvelope#key()}).
     *
     * @throws IllegalArgumentException if the command cannot be written
     */
    public byte[] encodeCommand(CommandEnvelope envelope) {
        Object payload = CommandMapping.toAvro(envelope.command());
        try {
            return commands.encode(RegistryCommandEnvelope.newBuilder()
                    .setCommandId(envelope.commandId())
                    .setIssuedAt(envelope.issuedAt())
                    .setCorrelationId(envelope.correlationId())
                    .setKey(envelope.key())
                    .setPayload(payload)
                    .build());
        } catch (AvroCodecException | AvroRuntimeException e) {
            throw new IllegalArgumentException("could not encode registry command " + envelope.commandId() + " ("
                    + payload.getClass().getSimpleName() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a record of {@code drover.registry.commands}.
     *
     * @throws IllegalArgumentException if the bytes are not a registry command envelope, or what it holds cannot be
     *                                  read as a command
     */
    public CommandEnvelope decodeCommand(byte[] bytes) {
        RegistryCommandEnvelope env;
        try {
            env = commands.decode(bytes);
        } catch (AvroCodecException e) {
            throw new IllegalArgumentException("could not read a registry command envelope from "
                    + (bytes == null ? "null" : bytes.length + " bytes") + ": " + e.getMessage(), e);
        }
        Object payload = env.getPayload();
        String name = nameIn(env.getKey(), CommandMapping.isModelPayload(payload), "command " + env.getCommandId());
        try {
            Object command = CommandMapping.toDomain(env.getCommandId(), name, payload);
            return new CommandEnvelope(command, env.getIssuedAt(), env.getCorrelationId());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("could not read registry command " + env.getCommandId() + " ("
                    + payload.getClass().getSimpleName() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Encodes an event for {@code drover.registry.events} (its Kafka key is {@link EventEnvelope#key()}).
     *
     * @throws IllegalArgumentException if the envelope's key is not the event's aggregate key, or the event cannot
     *                                  be written
     */
    public byte[] encodeEvent(EventEnvelope envelope) {
        Object event = envelope.event();
        String expectedKey = event instanceof ModelEvent m ? RegistryKeys.model(m.modelName())
                : RegistryKeys.featureSet(((FeatureSetEvent) event).featureSetName());
        if (!expectedKey.equals(envelope.key())) {
            // the name travels only in the key, so a mismatch would silently move the event to another aggregate
            throw new IllegalArgumentException("event " + envelope.eventId() + " (" + event.getClass().getSimpleName()
                    + ") has key '" + envelope.key() + "' but belongs to '" + expectedKey + "'; key events with "
                    + "RegistryKeys");
        }
        try {
            Object payload = EventMapping.toAvro(event);
            return events.encode(RegistryEventEnvelope.newBuilder()
                    .setEventId(envelope.eventId())
                    .setTimestamp(envelope.at())
                    .setKey(envelope.key())
                    .setCausationId(envelope.causationId())
                    .setCorrelationId(envelope.correlationId())
                    .setIndex(envelope.index())
                    .setCount(envelope.count())
                    .setPayload(payload)
                    .build());
        } catch (AvroCodecException | AvroRuntimeException e) {
            // a required field left null: the builders refuse it with an AvroRuntimeException, the writer with ours
            throw new IllegalArgumentException("could not encode registry event " + envelope.eventId() + " ("
                    + event.getClass().getSimpleName() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a record of {@code drover.registry.events}.
     *
     * @throws IllegalArgumentException if the bytes are not a registry event envelope, or what it holds cannot be
     *                                  read as an event
     */
    public EventEnvelope decodeEvent(byte[] bytes) {
        RegistryEventEnvelope env;
        try {
            env = events.decode(bytes);
        } catch (AvroCodecException e) {
            throw new IllegalArgumentException("could not read a registry event envelope from "
                    + (bytes == null ? "null" : bytes.length + " bytes") + ": " + e.getMessage(), e);
        }
        Object payload = env.getPayload();
        String name = nameIn(env.getKey(), EventMapping.isModelPayload(payload), "event " + env.getEventId());
        try {
            Object event = EventMapping.toDomain(env.getEventId(), name, payload);
            return new EventEnvelope(env.getEventId(), env.getTimestamp(), env.getKey(), env.getCausationId(),
                    env.getCorrelationId(), env.getIndex(), env.getCount(), event);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("could not read registry event " + env.getEventId() + " ("
                    + payload.getClass().getSimpleName() + "): " + e.getMessage(), e);
        }
    }

    /** The aggregate name in a key, checking that the key's prefix is the one the payload's aggregate uses. */
    private static String nameIn(String key, boolean model, String what) {
        String prefix = model ? RegistryKeys.MODEL_PREFIX : RegistryKeys.FEATURE_SET_PREFIX;
        if (!key.startsWith(prefix) || key.length() == prefix.length()) {
            throw new IllegalArgumentException(what + " has key '" + key + "', but its payload is about a "
                    + (model ? "model" : "feature set") + " and needs a key " + prefix + "<name>");
        }
        return key.substring(prefix.length());
    }
}
