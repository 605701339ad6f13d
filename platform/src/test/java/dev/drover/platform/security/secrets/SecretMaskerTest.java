package dev.drover.platform.security.secrets;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskerTest {

    @Test
    void masksEveryOccurrenceTheLongestValueFirst() {
        SecretMasker m = SecretMasker.of(List.of("hunter2-long", "hunter2-long-and-longer"));
        assertThat(m.mask("a hunter2-long-and-longer b hunter2-long c")).isEqualTo("a *** b *** c");
    }

    @Test
    void masksEachLineOfAMultiLineValue() {
        SecretMasker m = SecretMasker.of(List.of("-----BEGIN KEY-----\nMIIEabcdef\n-----END KEY-----\n"));
        assertThat(m.mask("MIIEabcdef")).isEqualTo("***");
        assertThat(m.mask("key: -----BEGIN KEY-----")).isEqualTo("key: ***");
    }

    @Test
    void masksOutputsDeeplyKeysIncludedAndLeavesOtherValuesAlone() {
        SecretMasker m = SecretMasker.of(List.of("s3cr3t"));
        Object masked = m.maskDeep(Map.of("pw", "s3cr3t", "s3cr3t", List.of("x s3cr3t", 4), "n", 1.5));
        assertThat(masked).isEqualTo(Map.of("pw", "***", "***", List.of("x ***", 4), "n", 1.5));
        assertThat(SecretMasker.NONE.mask("s3cr3t")).isEqualTo("s3cr3t");
        assertThat(SecretMasker.of(List.of("ab")).masksNothing()).as("too short to mask").isTrue();
    }
}
