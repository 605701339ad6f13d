package dev.drover.executor.task;

/** Where a log line of an attempt came from. */
public enum LogStream {
    /** The task's standard output. */
    STDOUT,
    /** The task's standard error. */
    STDERR,
    /** The executor itself, telling what it did to the attempt (started, killed, ...). */
    SYSTEM
}
