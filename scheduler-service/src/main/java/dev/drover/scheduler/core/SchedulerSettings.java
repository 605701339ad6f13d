package dev.drover.scheduler.core;

import java.time.Duration;

/**
 * Tunables of the decider.
 *
 * @param leaseDuration how long a started attempt stays alive without a heartbeat; an executor that dies is declared
 *                      lost at most this long (plus timer latency) after its last heartbeat
 */
public record SchedulerSettings(Duration leaseDuration) {

    /** Defaults: a 15 s lease, so with 3 s heartbeats a dead executor is detected within ~15 s (≤ 30 s promised). */
    public static SchedulerSettings defaults() {
        return new SchedulerSettings(Duration.ofSeconds(15));
    }
}
