package dev.drover.executor.task;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OutputFileTest {
    @TempDir
    Path tmp;

    @Test
    void missingOrBlankFileMeansNoOutputs() throws Exception {
        assertThat(OutputFile.read(tmp.resolve("absent.json"))).isEqualTo(new TaskResult.Succeeded(Map.of()));
        assertThat(OutputFile.read(write(" \n"))).isEqualTo(new TaskResult.Succeeded(Map.of()));
    }

    @Test
    void numbersBecomeLongOrDouble() throws Exception {
        TaskResult result = OutputFile.read(write("""
                {"i": 3, "big": 123456789012, "huge": 123456789012345678901234567890, "d": 1.5, "e": 1e3,
                 "list": [1, 2.0]}
                """));

        assertThat(result).isInstanceOfSatisfying(TaskResult.Succeeded.class, s -> {
            assertThat(s.outputs()).containsEntry("i", 3L)
                    .containsEntry("big", 123456789012L)
                    .containsEntry("huge", 1.2345678901234568E29)
                    .containsEntry("d", 1.5)
                    .containsEntry("e", 1000.0)
                    .containsEntry("list", List.of(1L, 2.0));
        });
    }

    @Test
    void trailingGarbageAndDuplicateKeysAreRejected() throws Exception {
        assertThat(OutputFile.read(write("{\"a\": 1} {\"b\": 2}")))
                .isInstanceOfSatisfying(TaskResult.Failed.class,
                        f -> assertThat(f.message()).startsWith("DROVER_OUTPUT file is not valid JSON"));
        assertThat(OutputFile.read(write("{\"a\": 1, \"a\": 2}")))
                .isInstanceOfSatisfying(TaskResult.Failed.class,
                        f -> assertThat(f.message()).contains("Duplicate field 'a'"));
    }

    @Test
    void scalarsAreNotObjects() throws Exception {
        assertThat(OutputFile.read(write("\"just a string\""))).isEqualTo(
                new TaskResult.Failed("DROVER_OUTPUT file must hold a JSON object, found a string", 0));
    }

    @Test
    void theLimitIsInclusive() throws Exception {
        String atLimit = "{\"a\":\"" + "x".repeat(OutputFile.MAX_BYTES - 8) + "\"}";
        assertThat(atLimit).hasSize(OutputFile.MAX_BYTES);

        assertThat(OutputFile.read(write(atLimit))).isInstanceOf(TaskResult.Succeeded.class);
        assertThat(OutputFile.read(write(atLimit + " "))).isEqualTo(new TaskResult.Failed(
                "DROVER_OUTPUT file is too large: 65537 bytes (limit 65536 bytes)", 0));
    }

    private Path write(String text) throws Exception {
        return Files.writeString(Files.createTempFile(tmp, "out", ".json"), text);
    }
}
