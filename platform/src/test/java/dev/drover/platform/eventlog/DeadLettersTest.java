package dev.drover.platform.eventlog;

import dev.drover.schemas.common.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLettersTest {
    private static final Instant T = Instant.parse("2026-11-23T10:15:30.123Z");

    @Test
    void aDeadLetterKeepsTheOriginalBytesAndSaysWhy() {
        byte[] value = {1, 2, 3};
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("drover.registry.commands", 4, 42L,
                "model/churn", value);

        DeadLetter letter = DeadLetters.decode(DeadLetters.encode(record, "could not read a command", T, "registry"));

        assertThat(letter.getSourceTopic()).isEqualTo("drover.registry.commands");
        assertThat(letter.getPartition()).isEqualTo(4);
        assertThat(letter.getOffset()).isEqualTo(42L);
        assertThat(StandardCharsets.UTF_8.decode(letter.getKey()).toString()).isEqualTo("model/churn");
        assertThat(bytes(letter.getValue())).containsExactly(value);
        assertThat(letter.getReason()).isEqualTo("could not read a command");
        assertThat(letter.getFailedAt()).isEqualTo(T);
        assertThat(letter.getService()).isEqualTo("registry");
    }

    @Test
    void aDeadLetterOfARecordWithoutKeyOrValue() {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("drover.registry.events", 0, 0L, null, null);

        DeadLetter letter = DeadLetters.decode(DeadLetters.encode(record, "empty", T, "registry"));

        assertThat(letter.getKey()).isNull();
        assertThat(letter.getValue()).isNull();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
