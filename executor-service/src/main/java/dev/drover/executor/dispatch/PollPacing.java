package dev.drover.executor.dispatch;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Paces the polls of one queue's idle dispatch workers so that, together, one of them starts a poll about every
 * {@link #SPACING}, however many slots the executor has.
 *
 * <p>Why it matters: the scheduler writes dispatches in Kafka transactions, and on Kafka 4.3.1 a share consumer's poll
 * is not woken when a transactional record becomes readable; the record waits for the next poll any worker of the
 * group starts (measured: a plain produce arrives in 2 ms, a committed transactional one only when the poll times
 * out). With every worker polling for 200 ms, that added up to 200 ms to a task's start; with every worker polling
 * for 5 ms, an executor with 64 slots made 12,800 polls a second and slowed everything else on the machine. So each
 * idle worker polls for {@code SPACING × idle workers} (between {@link #SPACING} and {@link #MAX}), with ±25 % jitter
 * so that their polls spread out instead of lining up.
 */
public final class PollPacing {
    static final Duration SPACING = Duration.ofMillis(5);
    static final Duration MAX = Duration.ofMillis(200);
    private final AtomicInteger polling = new AtomicInteger();

    /** A worker is about to poll: how long its poll should wait. Call {@link #end()} after the poll. */
    Duration begin() {
        int idle = polling.incrementAndGet();
        long base = Math.min(MAX.toMillis(), SPACING.toMillis() * idle);
        long jittered = Math.round(base * ThreadLocalRandom.current().nextDouble(0.75, 1.25));
        return Duration.ofMillis(Math.max(1, jittered));
    }

    /** The poll returned. */
    void end() {
        polling.decrementAndGet();
    }

    /** Workers polling now. */
    int polling() {
        return polling.get();
    }
}
