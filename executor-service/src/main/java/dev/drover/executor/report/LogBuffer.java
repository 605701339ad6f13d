package dev.drover.executor.report;

import dev.drover.executor.task.LogSink;
import dev.drover.executor.task.LogStream;
import dev.drover.platform.security.secrets.SecretMasker;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects an attempt's log lines with a sequence number each, until the reporter ships them in batches. The
 * sequence number makes a redelivered batch harmless (the read model ignores lines it has).
 */
public final class LogBuffer implements LogSink {
    private final Clock clock;
    private final SecretMasker masker;
    private final List<Line> pending = new ArrayList<>();
    private long seq;

    /** One line as captured. */
    public record Line(long seq, Instant at, LogStream stream, String text) {
    }

    public LogBuffer(Clock clock) {
        this(clock, SecretMasker.NONE);
    }

    /** A buffer that masks the values of the attempt's secrets in every line, before the line is kept. */
    public LogBuffer(Clock clock, SecretMasker masker) {
        this.clock = clock;
        this.masker = masker;
    }

    @Override
    public void line(LogStream stream, String line) {
        String masked = masker.mask(line); // outside the lock: masking a long line must not hold up the other stream
        synchronized (this) {
            pending.add(new Line(++seq, clock.instant(), stream, masked));
        }
    }

    /** Takes the lines collected since the last call. */
    public synchronized List<Line> drain() {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<Line> out = new ArrayList<>(pending);
        pending.clear();
        return out;
    }
}
