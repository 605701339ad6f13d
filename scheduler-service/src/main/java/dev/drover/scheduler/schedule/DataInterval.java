package dev.drover.scheduler.schedule;

import java.time.Instant;

/**
 * The span of time a scheduled run is about, Airflow-style: the run for {@code [start, end)} fires at {@code end},
 * and its logical date is {@code start}.
 */
public record DataInterval(Instant start, Instant end) {

    /** The run's logical date: the start of its interval. */
    public Instant logicalDate() {
        return start;
    }
}
