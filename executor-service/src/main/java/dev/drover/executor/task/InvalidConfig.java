package dev.drover.executor.task;

/**
 * A task's configuration cannot be used. Only thrown inside this package, between a config reader and the runner's
 * {@code start}, which turns it into a {@link TaskResult.Failed}; it never crosses the public API.
 */
final class InvalidConfig extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidConfig(String message) {
        super(message, null, false, false);
    }
}
