package dev.drover.platform.avro;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Objects;

/**
 * Kafka {@link Serializer} for one Avro record type, in the format of {@link AvroCodec}. Pass an instance to the
 * producer's constructor (it has no no-argument constructor, so it cannot be named in {@code value.serializer}).
 * A null record is written as a null value (a tombstone).
 *
 * @param <T> the generated record type
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final AvroCodec<T> codec;

    /** A serializer writing with {@code codec}. */
    public AvroSerializer(AvroCodec<T> codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            return codec.encode(data);
        } catch (AvroCodecException e) {
            throw new SerializationException("topic " + topic + ": " + e.getMessage(), e);
        }
    }
}
