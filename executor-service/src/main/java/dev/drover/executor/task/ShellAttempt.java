package dev.drover.executor.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One started shell process, from start to result.
 *
 * <p>Whatever happens first, the process's exit, its timeout or a cancel, is the attempt's outcome: each tries to
 * complete {@link #decision}, and only the first succeeds. A supervisor thread then does the slow part (killing the
 * tree, draining the streams, reading the output file) and completes the result.
 */
final class ShellAttempt implements RunningTask {
    private static final int MAX_STDERR_IN_MESSAGE = 1000;

    private sealed interface Outcome {
    }

    private record Exited(int code) implements Outcome {
    }

    private record TimedOutAfter(Duration after) implements Outcome {
    }

    private record CanceledBy(String reason) implements Outcome {
    }

    private final Process process;
    private final Path outputFile;
    private final LogSink logs;
    private final Duration killGrace;
    private final Duration drainGrace;
    private final LinePump stdout;
    private final LinePump stderr;
    private final CompletableFuture<Outcome> decision = new CompletableFuture<>();
    private final CompletableFuture<TaskResult> result = new CompletableFuture<>();

    private ShellAttempt(Process process, Path outputFile, LogSink logs, Duration killGrace, Duration drainGrace,
                         String attemptId) {
        this.process = process;
        this.outputFile = outputFile;
        this.logs = logs;
        this.killGrace = killGrace;
        this.drainGrace = drainGrace;
        this.stdout = new LinePump(process.getInputStream(), LogStream.STDOUT, logs)
                .start("drover-stdout-" + attemptId);
        this.stderr = new LinePump(process.getErrorStream(), LogStream.STDERR, logs)
                .start("drover-stderr-" + attemptId);
    }

    /** Takes charge of a process that has just been started. */
    static ShellAttempt supervise(TaskInvocation inv, Process process, Path outputFile, LogSink logs,
                                  Duration killGrace, Duration drainGrace) {
        closeQuietly(process);
        ShellAttempt attempt = new ShellAttempt(process, outputFile, logs, killGrace, drainGrace, inv.attemptId());
        process.onExit().thenAccept(p -> attempt.decision.complete(new Exited(p.exitValue())));
        if (inv.hasTimeout()) {
            attempt.decision.completeOnTimeout(new TimedOutAfter(inv.timeout()), inv.timeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        Thread supervisor = new Thread(attempt::run, "drover-attempt-" + inv.attemptId());
        supervisor.setDaemon(true);
        supervisor.start();
        return attempt;
    }

    @Override
    public CompletableFuture<TaskResult> result() {
        return result;
    }

    @Override
    public void cancel(String reason) {
        // Only records the decision; the supervisor does the killing so that the caller is not held up by the grace.
        decision.complete(new CanceledBy(reason == null ? "canceled" : reason));
    }

    private void run() {
        try {
            Outcome outcome = decision.join();
            if (outcome instanceof TimedOutAfter t) {
                stopTree("timed out after " + t.after());
            } else if (outcome instanceof CanceledBy c) {
                stopTree("canceled: " + c.reason());
            }
            int exitCode = process.waitFor();
            boolean drained = drainStreams();
            if (!drained) {
                logs.line(LogStream.SYSTEM, "output still held open by a background process " + drainGrace
                        + " after exit; no longer captured");
            }
            stdout.detach();
            stderr.detach();
            TaskResult r;
            if (outcome instanceof Exited) {
                logs.line(LogStream.SYSTEM, "process exited with code " + exitCode);
                r = exited(exitCode);
            } else if (outcome instanceof TimedOutAfter t) {
                r = new TaskResult.TimedOut(t.after());
            } else {
                r = new TaskResult.Canceled(((CanceledBy) outcome).reason());
            }
            deleteOutputFile();
            result.complete(r);
        } catch (Throwable t) {
            deleteOutputFile();
            result.completeExceptionally(t);
        }
    }

    private void stopTree(String why) {
        logs.line(LogStream.SYSTEM, why + "; stopping process tree of pid " + process.pid());
        // DROVER_OUTPUT names a file unique to this launch, so its entry marks this attempt's processes and no other's.
        int forced = ProcessTree.kill(process.toHandle(), OutputFile.ENV + "=" + outputFile, killGrace);
        if (forced > 0) {
            logs.line(LogStream.SYSTEM, forced + " process(es) still alive " + killGrace
                    + " after SIGTERM were killed with SIGKILL");
        }
    }

    private boolean drainStreams() throws InterruptedException {
        try {
            CompletableFuture.allOf(stdout.done(), stderr.done()).get(drainGrace.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a log pump failed", e.getCause());
        }
    }

    private TaskResult exited(int exitCode) {
        if (exitCode == 0) {
            return OutputFile.read(outputFile);
        }
        String message = "exited with code " + exitCode;
        String lastError = stderr.lastLine();
        if (lastError != null) {
            String trimmed = lastError.strip();
            message += ": " + (trimmed.length() > MAX_STDERR_IN_MESSAGE
                    ? trimmed.substring(0, MAX_STDERR_IN_MESSAGE) + "..." : trimmed);
        }
        return new TaskResult.Failed(message, exitCode);
    }

    private void deleteOutputFile() {
        try {
            // Only a transport for the outputs, which now travel in the result.
            Files.deleteIfExists(outputFile);
        } catch (IOException e) {
            logs.line(LogStream.SYSTEM, "could not delete " + outputFile + ": " + e.getMessage());
        }
    }

    /** Tasks get no input: an immediate end of stdin keeps one that reads it from hanging until its timeout. */
    private static void closeQuietly(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // The process may already be gone; there is nothing to tell it.
        }
    }
}
