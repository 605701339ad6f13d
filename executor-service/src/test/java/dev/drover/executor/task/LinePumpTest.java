package dev.drover.executor.task;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LinePumpTest {
    private final RecordingSink sink = new RecordingSink();

    @Test
    void splitsLinesStripsCarriageReturnsAndKeepsAnUnterminatedLastLine() {
        LinePump pump = pump("one\r\ntwo\n\nthree");

        assertThat(sink.lines(LogStream.STDERR)).containsExactly("one", "two", "", "three");
        assertThat(pump.lastLine()).isEqualTo("three");
        assertThat(pump.done()).isDone();
    }

    @Test
    void aLineOfExactlyTheLimitIsKeptWhole() {
        String line = "y".repeat(LinePump.MAX_LINE_BYTES);
        pump(line + "\nnext\n");

        assertThat(sink.lines(LogStream.STDERR)).containsExactly(line, "next");
    }

    @Test
    void aCutNeverSplitsAMultiByteCharacter() {
        // 8191 ASCII bytes, then a 2-byte 'é' that straddles the limit.
        pump("a".repeat(LinePump.MAX_LINE_BYTES - 1) + "é and more\nnext\n");

        assertThat(sink.lines(LogStream.STDERR)).containsExactly(
                "a".repeat(LinePump.MAX_LINE_BYTES - 1) + LinePump.TRUNCATION_MARKER, "next");
    }

    @Test
    void aFailingSinkDoesNotStopTheDraining() {
        ByteArrayInputStream in = new ByteArrayInputStream("a\nb\nc\n".getBytes(StandardCharsets.UTF_8));
        LinePump pump = new LinePump(in, LogStream.STDOUT, (stream, line) -> {
            if (line.equals("a")) {
                throw new IllegalStateException("sink down");
            }
            sink.line(stream, line);
        });

        pump.run();

        assertThat(sink.lines(LogStream.STDOUT)).containsExactly("b", "c");
        assertThat(in.available()).isZero();
    }

    @Test
    void aDetachedPumpForwardsNothing() {
        LinePump pump = new LinePump(new ByteArrayInputStream("late\n".getBytes(StandardCharsets.UTF_8)),
                LogStream.STDOUT, sink);
        pump.detach();
        pump.run();

        assertThat(sink.all()).isEmpty();
    }

    private LinePump pump(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        LinePump pump = new LinePump(new ByteArrayInputStream(bytes.toByteArray()), LogStream.STDERR, sink);
        pump.run();
        return pump;
    }
}
