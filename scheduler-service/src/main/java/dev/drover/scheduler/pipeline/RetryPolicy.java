package dev.drover.scheduler.pipeline;

import java.time.Duration;

/**
 * How a failed, timed-out or lost attempt is retried.
 *
 * <p>The delay before retry {@code n} (1-based) is {@code min(maxDelay, initialDelay * backoff^(n-1))}, then spread
 * by up to {@code ±jitter} of itself.
 *
 * @param retries      how many times to retry after the first attempt (attempts = retries + 1)
 * @param initialDelay delay before the first retry
 * @param backoff      multiplier applied per further retry (1.0 = constant delay)
 * @param maxDelay     upper bound for any delay
 * @param jitter       fraction in [0, 1] by which a delay is randomly spread
 */
public record RetryPolicy(int retries, Duration initialDelay, double backoff, Duration maxDelay, double jitter) {

    /** No retries at all. */
    public static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, 1.0, Duration.ZERO, 0.0);

    /** The number of attempts this policy allows in total. */
    public int maxAttempts() {
        return retries + 1;
    }
}
