package dev.drover.executor.task;

import java.util.concurrent.CompletableFuture;

/**
 * An attempt that has been started.
 *
 * <p>The first outcome decided wins: a cancel that loses a race against the process's own exit changes nothing, and
 * vice versa. The result future completes only once the attempt is really over (for processes: the tree is gone and
 * the output streams are drained), on one of the runner's threads.
 */
public interface RunningTask {

    /** Completes with the attempt's result; never completes exceptionally except on an executor bug. */
    CompletableFuture<TaskResult> result();

    /**
     * Stops the attempt, killing its whole process tree, so that it ends {@link TaskResult.Canceled} with this reason
     * unless it had already ended. Returns at once; wait on {@link #result()} for the stop to finish.
     */
    void cancel(String reason);

    /** A task that ended before it started, e.g. because its configuration is invalid. */
    static RunningTask finished(TaskResult result) {
        return new FinishedTask(CompletableFuture.completedFuture(result));
    }
}
