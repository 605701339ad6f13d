package dev.drover.executor.dispatch;

import dev.drover.executor.report.AttemptReporter;
import dev.drover.executor.report.LogBuffer;
import dev.drover.executor.task.LogStream;
import dev.drover.executor.task.RunningTask;
import dev.drover.executor.task.TaskInvocation;
import dev.drover.executor.task.TaskResult;
import dev.drover.executor.task.TaskRunner;
import dev.drover.executor.task.TaskRunners;
import dev.drover.executor.wire.AttemptEnded;
import dev.drover.executor.wire.Dispatch;
import dev.drover.platform.security.secrets.SecretMasker;
import dev.drover.platform.security.secrets.SecretReferences;
import dev.drover.platform.security.secrets.SecretUnavailable;
import dev.drover.platform.security.secrets.SecretValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The attempts this executor is running, bounded by its slots. Starting one takes a slot; its end (whatever the
 * result) reports it, ships its last log lines and frees the slot.
 */
public final class Attempts {
    private static final Logger LOG = LoggerFactory.getLogger(Attempts.class);
    private final Semaphore slots;
    private final int capacity;
    private final TaskRunners runners;
    private final AttemptReporter reporter;
    private final Path runRoot;
    private final Clock clock;
    private final SecretValues secrets;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /**
     * Attempts (and whole runs, {@code <runId>/*}) the scheduler ended recently, remembered so that one ended before
     * it started here — lost in the queue past its start deadline, or canceled while its dispatch was on the way — is
     * stopped as soon as it starts instead of running to the end.
     */
    private final Map<String, Boolean> endedRecently = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 10_000;
                }
            });

    private record Running(Dispatch dispatch, RunningTask task, LogBuffer logs) {
    }

    public Attempts(int slots, TaskRunners runners, AttemptReporter reporter, Path runRoot, Clock clock) {
        this(slots, runners, reporter, runRoot, clock, SecretValues.NONE);
    }

    /**
     * @param secrets where the values of the secrets an attempt uses come from: filled into its config in memory,
     *                masked in everything that leaves it (log lines, outputs, failure messages)
     */
    public Attempts(int slots, TaskRunners runners, AttemptReporter reporter, Path runRoot, Clock clock,
                    SecretValues secrets) {
        this.secrets = secrets;
        this.capacity = slots;
        this.slots = new Semaphore(slots);
        this.runners = runners;
        this.reporter = reporter;
        this.runRoot = runRoot;
        this.clock = clock;
    }

    /** Free slots now. */
    public int free() {
        return slots.availablePermits();
    }

    public int capacity() {
        return capacity;
    }

    /** Takes a slot if one is free. */
    boolean tryReserve() {
        return slots.tryAcquire();
    }

    /** Gives back a slot reserved but not used. */
    void unreserve() {
        slots.release();
    }

    /** Waits up to {@code max} for a free slot without taking it. */
    void awaitFree(Duration max) throws InterruptedException {
        if (slots.tryAcquire(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            slots.release();
        }
    }

    /** Starts an attempt in a reserved slot (its start was already reported). */
    void start(Dispatch d) {
        // pokes of one sensor attempt are distinct dispatches: a late duplicate of an earlier poke must not evict it
        String key = key(d.runId(), d.taskId(), d.attempt()) + (d.poke() > 0 ? "#" + d.poke() : "");
        Map<String, Object> config = d.config();
        SecretMasker masker = SecretMasker.NONE;
        if (!d.secrets().isEmpty()) {
            try {
                Map<String, String> values = secrets.reveal(d.secrets());
                masker = SecretMasker.of(values.values());
                @SuppressWarnings("unchecked")
                Map<String, Object> filled = (Map<String, Object>) SecretReferences.fill(config, values);
                config = filled;
            } catch (SecretUnavailable e) {
                LogBuffer logs = new LogBuffer(clock);
                logs.line(LogStream.SYSTEM, e.getMessage());
                finish(d, logs, SecretMasker.NONE, new TaskResult.Failed(e.getMessage(), null));
                return;
            }
        }
        LogBuffer logs = new LogBuffer(clock, masker);
        TaskRunner runner = runners.get(d.type()).orElse(null);
        if (runner == null) {
            logs.line(LogStream.SYSTEM, "no runner for task type '" + d.type() + "' on executor " + reporter.executorId());
            finish(d, logs, masker, new TaskResult.Failed("this executor cannot run task type '" + d.type() + "'",
                    null));
            return;
        }
        TaskInvocation inv = new TaskInvocation(d.pipelineId(), d.runId(), d.taskId(), d.attempt(), d.type(),
                config, Duration.ofMillis(d.timeoutMs()), runRoot.resolve(d.runId()));
        RunningTask task;
        try {
            task = runner.start(inv, logs);
        } catch (RuntimeException e) {
            finish(d, logs, masker, new TaskResult.Failed("could not start: " + e.getMessage(), null));
            return;
        }
        running.put(key, new Running(d, task, logs));
        // put, then look: end() records, then looks at what runs; so one of the two sees the other
        String ended = endedBefore(d);
        if (ended != null) {
            LOG.info("stopping {}/{}/{} at once: {} before it started here", d.runId(), d.taskId(), d.attempt(), ended);
            task.cancel(ended + " before it started on this executor");
        }
        SecretMasker attemptMasker = masker;
        task.result().whenComplete((result, error) -> {
            running.remove(key);
            finish(d, logs, attemptMasker, error != null ? new TaskResult.Failed("executor error: " + error, null)
                    : result);
        });
    }

    private void finish(Dispatch d, LogBuffer logs, SecretMasker masker, TaskResult unmasked) {
        TaskResult result = masked(unmasked, masker);
        try {
            if (!(result instanceof TaskResult.Canceled)) {
                // A canceled attempt is already over in the scheduler's eyes: reporting it would only be rejected.
                logs.line(LogStream.SYSTEM, "attempt ended: " + describe(result));
                reporter.logs(d, logs.drain());
                reporter.finished(d, result);
            } else {
                logs.line(LogStream.SYSTEM, "attempt stopped: " + describe(result));
                reporter.logs(d, logs.drain());
            }
        } catch (RuntimeException e) {
            LOG.error("could not report the end of {}/{}/{}", d.runId(), d.taskId(), d.attempt(), e);
        } finally {
            slots.release();
        }
    }

    /** The result with the attempt's secret values masked: outputs and messages go to the log and the API. */
    private static TaskResult masked(TaskResult r, SecretMasker masker) {
        if (masker.masksNothing()) {
            return r;
        }
        if (r instanceof TaskResult.Succeeded s) {
            @SuppressWarnings("unchecked")
            Map<String, Object> outputs = (Map<String, Object>) masker.maskDeep(s.outputs());
            return new TaskResult.Succeeded(outputs);
        } else if (r instanceof TaskResult.Failed f) {
            return new TaskResult.Failed(masker.mask(f.message()), f.exitCode());
        } else if (r instanceof TaskResult.Canceled c) {
            return new TaskResult.Canceled(masker.mask(c.reason()));
        } else if (r instanceof TaskResult.NotYet n) {
            return new TaskResult.NotYet(masker.mask(n.reason()));
        }
        return r;
    }

    private static String describe(TaskResult r) {
        if (r instanceof TaskResult.Succeeded) {
            return "succeeded";
        } else if (r instanceof TaskResult.Failed f) {
            return "failed: " + f.message();
        } else if (r instanceof TaskResult.TimedOut t) {
            return "timed out after " + t.after();
        } else if (r instanceof TaskResult.Canceled c) {
            return "canceled: " + c.reason();
        } else if (r instanceof TaskResult.NotYet n) {
            return "not yet, poke again later: " + n.reason();
        }
        return r.toString();
    }

    /** Sends heartbeats and pending log lines of every running attempt. */
    void beat(boolean heartbeat) {
        for (Running r : running.values()) {
            reporter.logs(r.dispatch(), r.logs().drain());
            if (heartbeat) {
                reporter.heartbeat(r.dispatch());
            }
        }
    }

    private String endedBefore(Dispatch d) {
        synchronized (endedRecently) {
            if (endedRecently.containsKey(d.runId() + "/*")) {
                return "the run was canceled";
            }
            return endedRecently.containsKey(key(d.runId(), d.taskId(), d.attempt()))
                    ? "the scheduler ended the attempt" : null;
        }
    }

    /** Stops attempts the scheduler has ended (canceled, timed out, lost), and remembers them should they start. */
    public void end(AttemptEnded ended) {
        endedRecently.put(ended.taskId() == null ? ended.runId() + "/*"
                : key(ended.runId(), ended.taskId(), ended.attempt()), Boolean.TRUE);
        for (Running r : running.values()) {
            Dispatch d = r.dispatch();
            if (d.runId().equals(ended.runId()) && (ended.taskId() == null
                    || (d.taskId().equals(ended.taskId()) && d.attempt() == ended.attempt()))) {
                LOG.info("stopping {}/{}/{}: {}", d.runId(), d.taskId(), d.attempt(), ended.reason());
                r.task().cancel(ended.reason());
            }
        }
    }

    /** Whether the scheduler ended this attempt (or its run) recently, as far as this executor has seen. */
    public boolean endedRecently(String runId, String taskId, int attempt) {
        return endedRecently.containsKey(key(runId, taskId, attempt)) || endedRecently.containsKey(runId + "/*");
    }

    /** Number of attempts running now. */
    public int runningCount() {
        return running.size();
    }

    /** Cancels everything (executor shutdown); the scheduler will declare the attempts lost and retry them. */
    public void cancelAll(String reason) {
        running.values().forEach(r -> r.task().cancel(reason));
    }

    private static String key(String runId, String taskId, int attempt) {
        return runId + "/" + taskId + "/" + attempt;
    }
}
