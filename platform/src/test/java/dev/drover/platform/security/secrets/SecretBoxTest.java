package dev.drover.platform.security.secrets;

import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {
    private final SecretBox box = new SecretBox(SecretBox.newKey());

    @Test
    void opensWhatItSealedAndTheSealedFormHidesTheValue() throws Exception {
        String value = "s3cr3t-välue\nsecond line";
        String sealed = box.seal("db", value);
        assertThat(sealed).doesNotContain("s3cr3t");
        assertThat(new String(Base64.getDecoder().decode(sealed), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("s3cr3t");
        assertThat(box.open("db", box.keyId(), sealed)).isEqualTo(value);
        assertThat(box.seal("db", value)).as("a fresh nonce each time").isNotEqualTo(sealed);
    }

    @Test
    void aSealedValueMovedToAnotherNameOrChangedDoesNotOpen() {
        String sealed = box.seal("db", "s3cr3t-value");
        assertThatThrownBy(() -> box.open("other", box.keyId(), sealed))
                .isInstanceOf(SecretUnavailable.class).hasMessageContaining("does not open");
        byte[] bytes = Base64.getDecoder().decode(sealed);
        bytes[bytes.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open("db", box.keyId(), Base64.getEncoder().encodeToString(bytes)))
                .isInstanceOf(SecretUnavailable.class);
        assertThatThrownBy(() -> box.open("db", box.keyId(), "AAAA")).isInstanceOf(SecretUnavailable.class)
                .hasMessageContaining("damaged");
    }

    @Test
    void anotherKeySaysWhichKeySealedIt() {
        SecretBox other = new SecretBox(SecretBox.newKey());
        String sealed = box.seal("db", "s3cr3t-value");
        assertThatThrownBy(() -> other.open("db", box.keyId(), sealed))
                .isInstanceOf(SecretUnavailable.class)
                .hasMessageContaining(box.keyId()).hasMessageContaining(other.keyId());
        assertThat(box.keyId()).matches("[0-9a-f]{16}");
        assertThatThrownBy(() -> new SecretBox(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}
