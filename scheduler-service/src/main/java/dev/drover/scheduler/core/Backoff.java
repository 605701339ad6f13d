package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.RetryPolicy;

import java.time.Duration;

/**
 * Retry delays. Jitter is derived from a hash of the attempt's identity rather than a random generator so that a
 * decision is a pure function of its inputs: the same command on the same state always yields the same events, which
 * keeps decider tests exact (replay does not need it: the chosen due time is in the event).
 */
final class Backoff {
    private Backoff() {
    }

    /** The delay before {@code nextAttempt} (2 = first retry). */
    static Duration delay(RetryPolicy policy, String runId, String taskId, int nextAttempt) {
        int retry = nextAttempt - 1;
        double base = policy.initialDelay().toMillis() * Math.pow(policy.backoff(), retry - 1);
        double capped = Math.min(base, policy.maxDelay().toMillis());
        int h = (runId + "/" + taskId + "/" + nextAttempt).hashCode();
        double unit = ((h & 0x7fffffff) % 20001) / 10000.0 - 1.0; // in [-1, 1]
        // clamped again after jitter: RetryPolicy promises maxDelay is an upper bound for any delay
        double jittered = Math.min(capped * (1.0 + policy.jitter() * unit), policy.maxDelay().toMillis());
        return Duration.ofMillis(Math.max(0L, Math.round(jittered)));
    }
}
