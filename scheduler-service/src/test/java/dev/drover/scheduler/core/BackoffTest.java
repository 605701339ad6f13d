package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Retry delays: exponential, capped, spread by a bounded, deterministic jitter. */
class BackoffTest {
    static final RetryPolicy EXPONENTIAL = new RetryPolicy(10, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0.0);

    @Test
    void the_first_retry_waits_the_initial_delay() {
        assertThat(Backoff.delay(EXPONENTIAL, "p.1", "a", 2)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void each_further_retry_multiplies_the_delay_by_the_backoff_until_the_max_delay() {
        assertThat(IntStream.rangeClosed(2, 9).mapToObj(n -> Backoff.delay(EXPONENTIAL, "p.1", "a", n).toSeconds()))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    }

    @Test
    void a_backoff_of_1_keeps_the_delay_constant() {
        RetryPolicy constant = new RetryPolicy(5, Duration.ofMillis(1500), 1.0, Duration.ofMinutes(1), 0.0);
        assertThat(IntStream.rangeClosed(2, 6).mapToObj(n -> Backoff.delay(constant, "p.1", "a", n).toMillis()))
                .containsOnly(1500L);
    }

    @Test
    void huge_attempt_numbers_stay_at_the_max_delay() {
        assertThat(Backoff.delay(EXPONENTIAL, "p.1", "a", 5000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitter_stays_within_its_fraction_of_the_delay() {
        RetryPolicy jittery = new RetryPolicy(10, Duration.ofSeconds(10), 2.0, Duration.ofHours(1), 0.25);
        for (int i = 0; i < 500; i++) {
            assertThat(Backoff.delay(jittery, "p." + i, "a", 3))
                    .isBetween(Duration.ofMillis(15_000), Duration.ofMillis(25_000));
        }
    }

    @Test
    void jitter_actually_spreads_the_delays_of_different_attempts() {
        RetryPolicy jittery = new RetryPolicy(10, Duration.ofSeconds(10), 2.0, Duration.ofHours(1), 0.25);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(Backoff.delay(jittery, "p." + i, "a", 2));
        }
        assertThat(seen).hasSizeGreaterThan(50);
    }

    @Test
    void jitter_never_exceeds_the_max_delay() {
        RetryPolicy capped = new RetryPolicy(10, Duration.ofSeconds(10), 2.0, Duration.ofSeconds(20), 0.5);
        for (int i = 0; i < 500; i++) {
            assertThat(Backoff.delay(capped, "p." + i, "a", 6))
                    .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
        }
    }

    @Test
    void the_same_attempt_always_gets_the_same_delay() {
        RetryPolicy jittery = new RetryPolicy(10, Duration.ofSeconds(10), 2.0, Duration.ofHours(1), 1.0);
        assertThat(Backoff.delay(jittery, "p.7", "train", 4)).isEqualTo(Backoff.delay(jittery, "p.7", "train", 4));
    }

    @Test
    void no_retry_policy_means_no_delay() {
        assertThat(Backoff.delay(RetryPolicy.NONE, "p.1", "a", 2)).isEqualTo(Duration.ZERO);
    }
}
