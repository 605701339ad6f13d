package dev.drover.executor.task;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Task type {@code noop}: does nothing and succeeds, for tests and for joining branches of a pipeline.
 *
 * <p>Config: {@code outputs} (optional object) is echoed as the task's outputs; {@code sleep} (optional duration such
 * as {@code "200ms"}) makes it take that long, so that timeouts and cancellation can be exercised without processes.
 */
public final class NoopTaskRunner implements TaskRunner {
    /** The task type. */
    public static final String TYPE = "noop";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public RunningTask start(TaskInvocation inv, LogSink logs) {
        Map<String, Object> outputs;
        Duration sleep;
        try {
            TaskConfig config = new TaskConfig(inv.config());
            outputs = config.map("outputs").orElse(Map.of());
            sleep = config.duration("sleep").orElse(Duration.ZERO);
        } catch (InvalidConfig e) {
            return RunningTask.finished(new TaskResult.Failed(e.getMessage(), null));
        }
        TaskResult success = new TaskResult.Succeeded(outputs);
        if (sleep.isZero()) {
            return RunningTask.finished(success);
        }
        logs.line(LogStream.SYSTEM, "noop sleeping " + sleep);
        CompletableFuture<TaskResult> result = new CompletableFuture<>();
        // Completed through delayed executors on the common pool, not completeOnTimeout: the latter would run the
        // caller's dependent actions (reporting over Kafka) on the JDK's single shared timer thread.
        completeAfter(result, success, sleep);
        if (inv.hasTimeout() && inv.timeout().compareTo(sleep) < 0) {
            completeAfter(result, new TaskResult.TimedOut(inv.timeout()), inv.timeout());
        }
        return new SleepingTask(result);
    }

    private static void completeAfter(CompletableFuture<TaskResult> result, TaskResult value, Duration delay) {
        Executor later = CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS);
        later.execute(() -> result.complete(value));
    }

    private record SleepingTask(CompletableFuture<TaskResult> result) implements RunningTask {
        @Override
        public void cancel(String reason) {
            result.complete(new TaskResult.Canceled(reason == null ? "canceled" : reason));
        }
    }
}
