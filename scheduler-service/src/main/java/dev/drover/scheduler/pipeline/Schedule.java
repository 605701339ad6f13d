package dev.drover.scheduler.pipeline;

import java.time.Instant;

/**
 * A pipeline's time-based schedule ({@code schedule:} in the pipeline format; see {@code docs/scheduling.md}).
 *
 * @param cron           a 5-field cron expression or a preset ({@code @hourly}, {@code @daily}, …)
 * @param timezone       IANA zone id the expression is read in, e.g. {@code Europe/Berlin} (default {@code UTC})
 * @param startDate      no interval starts before this instant, or null
 * @param endDate        no interval starts after this instant, or null
 * @param catchup        after downtime, run every missed interval in order (true) or only the latest (false, default)
 * @param maxCatchupRuns at most this many missed intervals are started when catching up
 */
public record Schedule(String cron, String timezone, Instant startDate, Instant endDate, boolean catchup,
                       int maxCatchupRuns) {
}
