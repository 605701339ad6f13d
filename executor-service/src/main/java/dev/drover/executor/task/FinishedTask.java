package dev.drover.executor.task;

import java.util.concurrent.CompletableFuture;

/** A task whose result was known at start; there is nothing to cancel. */
record FinishedTask(CompletableFuture<TaskResult> result) implements RunningTask {

    @Override
    public void cancel(String reason) {
        // Already decided: by the first-decision-wins rule a cancel changes nothing.
    }
}
