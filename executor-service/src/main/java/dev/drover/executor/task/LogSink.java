package dev.drover.executor.task;

/**
 * Receives an attempt's log lines as they are produced.
 *
 * <p>Runners call it from their own threads, one per stream, so implementations must be thread-safe. Lines of one
 * stream arrive in order; lines of different streams may interleave. It should not block for long: while it does,
 * the task's pipe fills up and the task stalls on its next write.
 */
@FunctionalInterface
public interface LogSink {

    /** One line, without its line terminator. */
    void line(LogStream stream, String line);
}
