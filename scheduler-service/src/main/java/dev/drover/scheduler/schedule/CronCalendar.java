package dev.drover.scheduler.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The fire times of a cron expression read in an IANA time zone: a pure calculator, correct across daylight-saving
 * changes (see {@code docs/scheduling.md#daylight-saving-time}).
 *
 * <p>The expression is matched against the <em>wall clock</em> of the zone, and each matching wall time is turned
 * into instants by these rules:
 * <ul>
 *   <li>A wall time that does not exist (the spring-forward gap) fires once, shifted forward by the length of the
 *       gap ({@code 30 2 * * *} in Europe/Berlin on the last Sunday of March fires at 03:30 CEST) — unless the hour
 *       field is {@code *}: a job that runs every hour runs by elapsed time, and the skipped hour simply has no
 *       fire times.</li>
 *   <li>A wall time that exists twice (the fall-back overlap) fires once, at its first occurrence (the earlier
 *       offset) — unless the hour field is {@code *}: then it fires at both occurrences, so an hourly job runs every
 *       real hour (this is Vixie cron's rule, too).</li>
 * </ul>
 * Two matching wall times that map to the same instant fire once.
 */
public final class CronCalendar {
    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** Presets and the 5-field expression each stands for. */
    public static final Map<String, String> PRESETS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    /** Longer than any daylight-saving shift in the tz database (2 h). */
    private static final Duration NEAR = Duration.ofHours(3);

    private final String expression;
    private final ZoneId zone;
    private final ZoneRules rules;
    private final ExecutionTime wall;
    private final boolean everyHour;

    private CronCalendar(String expression, ZoneId zone, Cron cron) {
        this.expression = expression;
        this.zone = zone;
        this.rules = zone.getRules();
        this.wall = ExecutionTime.forCron(cron);
        this.everyHour = cron.retrieve(CronFieldName.HOUR).getExpression() instanceof Always;
    }

    /**
     * The calendar of {@code expression} (5 fields, or a preset such as {@code @daily}) in {@code timezone}.
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong and how to fix it
     */
    public static CronCalendar of(String expression, String timezone) {
        return new CronCalendar(expression, zone(timezone), cron(expression));
    }

    /** The problem with an expression, or empty if it is valid. */
    public static Optional<String> cronProblem(String expression) {
        try {
            cron(expression);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The problem with a zone id, or empty if it is valid. */
    public static Optional<String> zoneProblem(String timezone) {
        try {
            zone(timezone);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Cron cron(String expression) {
        String text = expression == null ? "" : expression.trim();
        if (text.startsWith("@")) {
            String preset = PRESETS.get(text.toLowerCase(Locale.ROOT));
            if (preset == null) {
                throw new IllegalArgumentException("unknown preset `" + text + "`; use one of "
                        + String.join(", ", new TreeSet<>(PRESETS.keySet())) + " or a 5-field cron expression");
            }
            text = preset;
        }
        if (text.split("\\s+").length != 5) {
            throw new IllegalArgumentException("`" + expression + "` is not a cron expression: use 5 fields "
                    + "(minute hour day-of-month month day-of-week), e.g. \"0 3 * * *\" for 03:00 every day, or a "
                    + "preset (@hourly, @daily, @weekly, @monthly, @yearly)");
        }
        try {
            return PARSER.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("`" + expression + "` is not a valid cron expression: "
                    + e.getMessage() + "; use 5 fields (minute hour day-of-month month day-of-week), e.g. \"0 3 * * *\"");
        }
    }

    private static ZoneId zone(String timezone) {
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("`" + timezone + "` is not a time zone: use an IANA zone id such as "
                    + "UTC, Europe/Berlin or America/New_York");
        }
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * Results of {@link #next} and {@link #previousOrSame} by argument. Both are pure, and every pipeline on the same
     * expression and zone shares this calendar ({@code ScheduleClock} caches it): when 10,000 pipelines tick at the
     * same minute, cron-utils runs once instead of 10,000 times (it costs tens of microseconds a call).
     */
    private final Map<Instant, Optional<Instant>> nextMemo = memo();
    private final Map<Instant, Optional<Instant>> previousMemo = memo();

    private static Map<Instant, Optional<Instant>> memo() {
        return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Instant, Optional<Instant>> eldest) {
                return size() > 256;
            }
        });
    }

    /** The first fire time strictly after {@code t}, or null if there is none. */
    public Instant next(Instant t) {
        Optional<Instant> known = nextMemo.get(t);
        if (known != null) {
            return known.orElse(null);
        }
        Instant result = computeNext(t);
        nextMemo.put(t, Optional.ofNullable(result));
        return result;
    }

    /** The latest fire time at or before {@code t}, or null if there is none. */
    public Instant previousOrSame(Instant t) {
        Optional<Instant> known = previousMemo.get(t);
        if (known != null) {
            return known.orElse(null);
        }
        Instant result = computePreviousOrSame(t);
        previousMemo.put(t, Optional.ofNullable(result));
        return result;
    }

    private Instant computeNext(Instant t) {
        if (near(t)) {
            LocalDateTime l = local(t);
            Instant after = t;
            Optional<Instant> found = fires(l.minus(NEAR), l.plus(NEAR)).stream().filter(i -> i.isAfter(after))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            t = t.plus(NEAR);
        }
        LocalDateTime w = local(t);
        while (true) {
            w = nextWall(w);
            if (w == null) {
                return null;
            }
            Instant approx = w.atZone(zone).toInstant();
            if (near(approx)) {
                Instant from = t;
                Optional<Instant> found = fires(w.minus(NEAR), w.plus(NEAR)).stream()
                        .filter(i -> i.isAfter(from)).findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
                w = w.plus(NEAR);
                continue;
            }
            return approx;
        }
    }

    private Instant computePreviousOrSame(Instant t) {
        if (near(t)) {
            LocalDateTime l = local(t);
            List<Instant> fires = fires(l.minus(NEAR).minus(NEAR), l.plus(NEAR));
            for (int i = fires.size() - 1; i >= 0; i--) {
                if (!fires.get(i).isAfter(t)) {
                    return fires.get(i);
                }
            }
            t = t.minus(NEAR).minus(NEAR);
        }
        LocalDateTime w = local(t).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        while (true) {
            w = lastWall(w);
            if (w == null) {
                return null;
            }
            Instant approx = w.atZone(zone).toInstant();
            if (near(approx)) {
                Instant upTo = t;
                List<Instant> fires = fires(w.minus(NEAR), w.plus(NEAR));
                for (int i = fires.size() - 1; i >= 0; i--) {
                    if (!fires.get(i).isAfter(upTo)) {
                        return fires.get(i);
                    }
                }
                continue;
            }
            return approx;
        }
    }

    /** The first fire time at or after {@code t}. */
    public Instant nextOrSame(Instant t) {
        return next(t.minusMillis(1));
    }

    /** Every fire instant of the wall times in ({@code from}, {@code to}], sorted, without repeats. */
    List<Instant> fires(LocalDateTime from, LocalDateTime to) {
        TreeSet<Instant> out = new TreeSet<>();
        LocalDateTime w = from;
        while ((w = nextWall(w)) != null && !w.isAfter(to)) {
            out.addAll(instants(w));
        }
        return new ArrayList<>(out);
    }

    /** The instants a matching wall time fires at (see the class comment). */
    List<Instant> instants(LocalDateTime w) {
        List<ZoneOffset> offsets = rules.getValidOffsets(w);
        if (offsets.size() == 1) {
            return List.of(w.toInstant(offsets.get(0)));
        }
        if (offsets.isEmpty()) {
            // in the gap: ZonedDateTime.of shifts forward by the gap's length
            return everyHour ? List.of() : List.of(ZonedDateTime.of(w, zone).toInstant());
        }
        ZoneOffsetTransition overlap = rules.getTransition(w);
        Instant first = w.toInstant(overlap.getOffsetBefore());
        Instant second = w.toInstant(overlap.getOffsetAfter());
        return everyHour ? List.of(first, second) : List.of(first);
    }

    private boolean near(Instant t) {
        ZoneOffsetTransition tr = rules.nextTransition(t.minus(NEAR));
        return tr != null && !tr.getInstant().isAfter(t.plus(NEAR));
    }

    private LocalDateTime local(Instant t) {
        return LocalDateTime.ofInstant(t, zone);
    }

    private LocalDateTime nextWall(LocalDateTime w) {
        return wall.nextExecution(w.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime).orElse(null);
    }

    private LocalDateTime lastWall(LocalDateTime w) {
        return wall.lastExecution(w.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime).orElse(null);
    }
}
