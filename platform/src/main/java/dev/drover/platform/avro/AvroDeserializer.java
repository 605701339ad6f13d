package dev.drover.platform.avro;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.Objects;

/**
 * Kafka {@link Deserializer} for one Avro record type, in the format of {@link AvroCodec}. Pass an instance to the
 * consumer's constructor. A null value (a tombstone) is read as null.
 *
 * <p>A record that does not decode fails with a {@link SerializationException}, which a Kafka consumer reports as a
 * {@code RecordDeserializationException} at that offset. Consumers that must dead-letter poison records and move on
 * are simpler with {@code byte[]} values and {@link AvroCodec#decode} in their own loop.
 *
 * @param <T> the generated record type
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final AvroCodec<T> codec;

    /** A deserializer reading with {@code codec}. */
    public AvroDeserializer(AvroCodec<T> codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return codec.decode(data);
        } catch (AvroCodecException e) {
            throw new SerializationException("topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
