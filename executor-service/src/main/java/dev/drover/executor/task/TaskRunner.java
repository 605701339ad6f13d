package dev.drover.executor.task;

/**
 * Runs the attempts of one task type.
 *
 * <p>{@link #start} returns at once; the work goes on in the background. A configuration the runner cannot use or a
 * task that cannot be started is not an exception: the returned task's result is then already a
 * {@link TaskResult.Failed} saying why.
 */
public interface TaskRunner {

    /** The task type this runner serves, e.g. {@code shell}. */
    String type();

    /** Starts one attempt, sending its log lines to {@code logs}. */
    RunningTask start(TaskInvocation inv, LogSink logs);
}
