package dev.drover.scheduler.schedule;

import dev.drover.scheduler.pipeline.Schedule;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which data intervals of a {@link Schedule} are due: a pure function of the schedule, how far it has got (the
 * {@code cursor}, the end of the last interval handled), when it was first registered, and {@code now}.
 *
 * <p>Intervals lie between consecutive fire times of the cron expression. None starts before {@code startDate} or
 * after {@code endDate}. Without a start date, the first interval is the one in progress when the schedule was
 * registered, so a new {@code @daily} pipeline first runs at the next midnight (not at once).
 */
public final class ScheduleClock {
    private static final Map<String, CronCalendar> CALENDARS = new ConcurrentHashMap<>();
    private static final DateTimeFormatter RUN_SUFFIX = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm'Z'")
            .withZone(ZoneOffset.UTC);

    private ScheduleClock() {
    }

    /** What is due now: the intervals to run, oldest first, and whether older missed ones were left out. */
    public record Due(List<DataInterval> intervals, boolean olderLeftOut) {
    }

    /** The calendar of a schedule (cached: parsing a cron expression is the expensive part). */
    public static CronCalendar calendar(Schedule s) {
        return CALENDARS.computeIfAbsent(s.cron() + "|" + s.timezone(), k -> CronCalendar.of(s.cron(), s.timezone()));
    }

    /**
     * The deterministic run id of the run for a logical date: {@code <pipelineId>.<logical date in UTC>}, e.g.
     * {@code train.2026-11-23T03-00Z}. Scheduled and backfilled runs share it, so no interval ever runs twice.
     */
    public static String runId(String pipelineId, Instant logicalDate) {
        return pipelineId + "." + RUN_SUFFIX.format(logicalDate);
    }

    /** The start of the next interval to handle. */
    static Instant firstStart(Schedule s, Instant cursor, Instant since) {
        CronCalendar cal = calendar(s);
        if (cursor != null) {
            return cal.nextOrSame(cursor);
        }
        if (s.startDate() != null) {
            return cal.nextOrSame(s.startDate());
        }
        return cal.previousOrSame(since);
    }

    /** When the next interval ends (its run is due then), or null if the schedule has no more intervals. */
    public static Instant nextDue(Schedule s, Instant cursor, Instant since) {
        Instant start = firstStart(s, cursor, since);
        if (start == null || (s.endDate() != null && start.isAfter(s.endDate()))) {
            return null;
        }
        return calendar(s).next(start);
    }

    /**
     * The intervals that have ended by {@code now} and not been handled, newest {@code limit} of them, oldest
     * first.
     */
    public static Due due(Schedule s, Instant cursor, Instant since, Instant now, int limit) {
        CronCalendar cal = calendar(s);
        Instant first = firstStart(s, cursor, since);
        if (first == null || limit <= 0) {
            return new Due(List.of(), false);
        }
        Instant end = cal.previousOrSame(now);
        if (s.endDate() != null) {
            Instant lastStart = cal.previousOrSame(s.endDate());
            if (lastStart == null) {
                return new Due(List.of(), false);
            }
            Instant lastEnd = cal.next(lastStart);
            if (end == null || (lastEnd != null && lastEnd.isBefore(end))) {
                end = lastEnd;
            }
        }
        List<DataInterval> out = new ArrayList<>();
        while (end != null && out.size() < limit) {
            Instant start = cal.previousOrSame(end.minusMillis(1));
            if (start == null || start.isBefore(first)) {
                break;
            }
            out.add(0, new DataInterval(start, end));
            end = start;
        }
        boolean older = !out.isEmpty() && out.get(0).start().isAfter(first);
        return new Due(out, older);
    }

    /** The intervals whose logical date lies in [from, to), oldest first (a backfill's range). */
    public static Instant firstLogicalDateFrom(Schedule s, Instant from) {
        return calendar(s).nextOrSame(from);
    }
}
