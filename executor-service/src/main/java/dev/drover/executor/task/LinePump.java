package dev.drover.executor.task;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Reads one output stream of a process on its own thread and hands it to a {@link LogSink} line by line, as the
 * bytes arrive.
 *
 * <p>Works on bytes rather than a {@code BufferedReader} so that a line without an end (a binary blob, a progress
 * bar) is cut at {@link #MAX_LINE_BYTES} instead of being buffered whole in the executor's memory.
 */
final class LinePump implements Runnable {
    static final int MAX_LINE_BYTES = 8 * 1024;
    static final String TRUNCATION_MARKER = " [... line cut at " + MAX_LINE_BYTES + " bytes]";

    private final InputStream in;
    private final LogStream stream;
    private final LogSink sink;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final byte[] line = new byte[MAX_LINE_BYTES];
    private int length;
    private boolean skippingRestOfLine;
    private volatile boolean detached;
    private volatile String lastLine;

    LinePump(InputStream in, LogStream stream, LogSink sink) {
        this.in = in;
        this.stream = stream;
        this.sink = sink;
    }

    /** Starts reading on a daemon thread (daemon: a background child holding the pipe must not keep the JVM up). */
    LinePump start(String threadName) {
        Thread t = new Thread(this, threadName);
        t.setDaemon(true);
        t.start();
        return this;
    }

    /** Completes when the stream has reached its end (every writer closed it). */
    CompletableFuture<Void> done() {
        return done;
    }

    /** The last non-blank line seen, or {@code null}. */
    String lastLine() {
        return lastLine;
    }

    /**
     * Stops forwarding lines. Used once the attempt's result is out, when an orphaned background process still holds
     * the pipe: its output no longer belongs to a running attempt.
     */
    void detach() {
        detached = true;
    }

    @Override
    public void run() {
        byte[] chunk = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(chunk)) != -1) {
                for (int i = 0; i < n; i++) {
                    accept(chunk[i]);
                }
            }
            if (length > 0 && !skippingRestOfLine) {
                emit(false);
            }
        } catch (IOException e) {
            // The stream is closed under us when the process is torn down; what was read has been forwarded.
        } finally {
            done.complete(null);
        }
    }

    private void accept(byte b) {
        if (b == '\n') {
            if (!skippingRestOfLine) {
                emit(false);
            }
            skippingRestOfLine = false;
            length = 0;
        } else if (skippingRestOfLine) {
            // Dropping the rest of an over-long line.
        } else if (length == MAX_LINE_BYTES) {
            emit(true);
            skippingRestOfLine = true;
            length = 0;
        } else {
            line[length++] = b;
        }
    }

    private void emit(boolean truncated) {
        int end = length;
        if (!truncated && end > 0 && line[end - 1] == '\r') {
            end--;
        }
        if (truncated) {
            end = utf8Boundary(end);
        }
        String text = new String(line, 0, end, StandardCharsets.UTF_8);
        if (!text.isBlank()) {
            lastLine = text;
        }
        length = 0;
        forward(truncated ? text + TRUNCATION_MARKER : text);
    }

    /** Backs off so that a cut does not split a multi-byte character into a replacement character. */
    private int utf8Boundary(int end) {
        int start = end;
        while (start > 0 && start > end - 4 && (line[start - 1] & 0xC0) == 0x80) {
            start--;
        }
        if (start == 0) {
            return end;
        }
        int lead = line[start - 1] & 0xFF;
        int needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        int have = end - (start - 1);
        return have < needed ? start - 1 : end;
    }

    private void forward(String text) {
        if (detached) {
            return;
        }
        try {
            sink.line(stream, text);
        } catch (RuntimeException e) {
            // A failing sink must not stop the draining, or the task would block on a full pipe; this line is lost.
        }
    }
}
