package dev.drover.executor.registrytask;

/**
 * A registry task cannot go on: its rendered config is unusable, its data cannot be profiled, or the registry said
 * no. The message is for the person who wrote the pipeline and says what to change. Only thrown inside this package,
 * between the steps of an attempt and the runner, which turns it into a failed result.
 */
final class TaskFailure extends Exception {
    private static final long serialVersionUID = 1L;

    TaskFailure(String message) {
        super(message, null, false, false);
    }
}
