package dev.drover.platform.eventlog;

import dev.drover.platform.avro.AvroCodec;
import dev.drover.schemas.common.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Encodes the {@code drover.deadletter} record that sets an unusable record aside with the reason. */
public final class DeadLetters {
    private static final AvroCodec<DeadLetter> CODEC = new AvroCodec<>(DeadLetter.class);

    private DeadLetters() {
    }

    public static byte[] encode(ConsumerRecord<String, byte[]> record, String reason, Instant at, String service) {
        return CODEC.encode(DeadLetter.newBuilder().setSourceTopic(record.topic())
                .setPartition(record.partition()).setOffset(record.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key().getBytes(StandardCharsets.UTF_8)))
                .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                .setReason(reason).setFailedAt(at).setService(service).build());
    }

    public static DeadLetter decode(byte[] bytes) {
        return CODEC.decode(bytes);
    }
}
