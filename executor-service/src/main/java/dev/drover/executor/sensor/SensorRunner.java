package dev.drover.executor.sensor;

import dev.drover.executor.task.LogSink;
import dev.drover.executor.task.LogStream;
import dev.drover.executor.task.RunningTask;
import dev.drover.executor.task.TaskInvocation;
import dev.drover.executor.task.TaskResult;
import dev.drover.executor.task.TaskRunner;
import dev.drover.platform.security.ServiceAuthorization;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one poke of a sensor per attempt dispatch on a worker thread, and ends it with the sensor's answer. The
 * executor frees the slot as soon as the poke ends: a sensor never holds a slot while it waits.
 */
public final class SensorRunner implements TaskRunner {
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Shared by all sensors; daemon threads, so a stopping executor is not held up by a slow poke. */
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "drover-sensor-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final Sensor sensor;

    SensorRunner(Sensor sensor) {
        this.sensor = sensor;
    }

    /**
     * The executor's sensors.
     *
     * @param workDir      relative paths of {@code wait_for_file} resolve against it
     * @param schedulerUrl the scheduler's REST API, where {@code wait_for_event} looks for events
     */
    public static List<SensorRunner> create(Path workDir, URI schedulerUrl) {
        return create(workDir, schedulerUrl, ServiceAuthorization.NONE);
    }

    /** The same, asking the scheduler as the executor's service account. */
    public static List<SensorRunner> create(Path workDir, URI schedulerUrl, ServiceAuthorization authorization) {
        return List.of(new SensorRunner(new FileSensor(workDir)), new SensorRunner(new HttpSensor()),
                new SensorRunner(new EventSensor(schedulerUrl, authorization)));
    }

    /**
     * Reads the {@code drover.executor.scheduler-url} setting.
     *
     * @throws IllegalArgumentException saying what is wrong, if it is not an http(s) URL with a host
     */
    public static URI schedulerUrl(String setting) {
        String fix = "; set drover.executor.scheduler-url to the scheduler's base URL, e.g. http://localhost:8080";
        if (setting == null || setting.isBlank()) {
            throw new IllegalArgumentException("drover.executor.scheduler-url is empty" + fix);
        }
        try {
            URI uri = new URI(setting.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException("drover.executor.scheduler-url `" + setting + "` is not an "
                        + "http(s) base URL with a host and without ? or #" + fix);
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("drover.executor.scheduler-url `" + setting + "` is not a URL ("
                    + e.getReason() + ")" + fix, e);
        }
    }

    @Override
    public String type() {
        return sensor.type();
    }

    @Override
    public RunningTask start(TaskInvocation inv, LogSink logs) {
        Poke poke = new Poke();
        poke.work = WORKERS.submit(() -> {
            TaskResult result;
            try {
                result = sensor.poke(inv, logs);
            } catch (Sensor.SensorException e) {
                result = new TaskResult.Failed(e.getMessage(), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // ended from outside (timeout or cancel): that outcome was already decided
            } catch (RuntimeException e) {
                result = new TaskResult.Failed(sensor.type() + " failed unexpectedly: " + e, null);
            }
            if (result instanceof TaskResult.NotYet n) {
                logs.line(LogStream.SYSTEM, "poke " + pokeLabel(inv) + ": not yet — " + n.reason());
            }
            poke.end(result);
        });
        Duration timeout = inv.timeout();
        if (timeout != null && !timeout.isZero() && !timeout.isNegative()) {
            CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .execute(() -> poke.end(new TaskResult.TimedOut(timeout)));
        }
        return poke;
    }

    private static String pokeLabel(TaskInvocation inv) {
        return inv.attemptId();
    }

    /** One poke: the first outcome decided wins; ending it interrupts the work that may still be going on. */
    private static final class Poke implements RunningTask {
        final CompletableFuture<TaskResult> result = new CompletableFuture<>();
        volatile Future<?> work;

        void end(TaskResult outcome) {
            if (result.complete(outcome)) {
                Future<?> w = work;
                if (w != null && !w.isDone()) {
                    w.cancel(true);
                }
            }
        }

        @Override
        public CompletableFuture<TaskResult> result() {
            return result;
        }

        @Override
        public void cancel(String reason) {
            end(new TaskResult.Canceled(reason == null ? "canceled" : reason));
        }
    }
}
