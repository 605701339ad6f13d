package dev.drover.executor.dispatch;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Proves every running attempt is alive at a fixed interval, and ships log lines more often than that so they reach
 * the read models while a task runs.
 */
public final class Heartbeats implements AutoCloseable {
    private static final long LOG_FLUSH_MS = 250;
    private final Attempts attempts;
    private final long heartbeatEvery;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "executor-heartbeats");
        t.setDaemon(true);
        return t;
    });
    private long ticks;

    public Heartbeats(Attempts attempts, Duration interval) {
        this.attempts = attempts;
        this.heartbeatEvery = Math.max(1, interval.toMillis() / LOG_FLUSH_MS);
    }

    public void start() {
        timer.scheduleAtFixedRate(this::tick, LOG_FLUSH_MS, LOG_FLUSH_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            attempts.beat(++ticks % heartbeatEvery == 0);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Heartbeats.class).warn("heartbeat failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
