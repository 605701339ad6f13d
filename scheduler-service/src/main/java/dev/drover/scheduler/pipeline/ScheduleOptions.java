package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.scheduler.schedule.CronCalendar;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Reads and writes the pipeline keys of the cron scheduler: {@code schedule} and {@code maxActiveRuns} (see
 * {@code docs/scheduling.md}). Kept apart from {@link PipelineSpecParser} so that the parser only calls it.
 */
final class ScheduleOptions {
    /** The keys of a {@code schedule} mapping. */
    static final List<String> SCHEDULE_KEYS = List.of("cron", "timezone", "startDate", "endDate", "catchup",
            "maxCatchupRuns");
    static final String DEFAULT_TIMEZONE = "UTC";
    static final int DEFAULT_MAX_CATCHUP_RUNS = 50;
    static final int MAX_CATCHUP_RUNS = 10_000;
    static final int MAX_ACTIVE_RUNS = 10_000;
    private static final String EXAMPLE = "e.g. schedule: \"@daily\", schedule: \"0 3 * * *\" or "
            + "schedule: {cron: \"0 3 * * *\", timezone: Europe/Berlin}";

    private ScheduleOptions() {
    }

    /** Reads {@code schedule} and {@code maxActiveRuns} of the document into {@code options}. */
    static PipelineOptions parse(JsonNode root, PipelineOptions options, List<SpecProblem> problems) {
        return options.withSchedule(schedule(root.get("schedule"), problems))
                .withMaxActiveRuns(maxActiveRuns(root.get("maxActiveRuns"), problems));
    }

    private static Schedule schedule(JsonNode node, List<SpecProblem> problems) {
        String path = Pointer.child(Pointer.ROOT, "schedule");
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return cron(node, path, problems) == null ? null
                    : new Schedule(node.textValue().trim(), DEFAULT_TIMEZONE, null, null, false,
                    DEFAULT_MAX_CATCHUP_RUNS);
        }
        if (!node.isObject()) {
            problems.add(new SpecProblem(path, "schedule must be a cron expression or a mapping, " + EXAMPLE
                    + "; got " + Values.describe(node)));
            return null;
        }
        int before = problems.size();
        for (var e : node.properties()) {
            if (!SCHEDULE_KEYS.contains(e.getKey())) {
                problems.add(new SpecProblem(Pointer.child(path, e.getKey()), "unknown key `" + e.getKey() + "`"
                        + PipelineSpecParser.suggestion(e.getKey(), SCHEDULE_KEYS) + "; a schedule allows: "
                        + String.join(", ", SCHEDULE_KEYS)));
            }
        }
        JsonNode cronNode = node.get("cron");
        String cron = null;
        if (cronNode == null) {
            problems.add(new SpecProblem(path, "a schedule needs `cron`, " + EXAMPLE));
        } else {
            cron = cron(cronNode, Pointer.child(path, "cron"), problems);
        }
        String timezone = DEFAULT_TIMEZONE;
        JsonNode tz = node.get("timezone");
        if (tz != null) {
            String tzPath = Pointer.child(path, "timezone");
            if (!tz.isTextual()) {
                problems.add(new SpecProblem(tzPath, "timezone must be an IANA zone id such as Europe/Berlin, got "
                        + Values.describe(tz)));
            } else {
                CronCalendar.zoneProblem(tz.textValue())
                        .ifPresent(p -> problems.add(new SpecProblem(tzPath, p)));
                timezone = tz.textValue();
            }
        }
        Instant start = date(node.get("startDate"), Pointer.child(path, "startDate"), timezone, problems);
        Instant end = date(node.get("endDate"), Pointer.child(path, "endDate"), timezone, problems);
        if (start != null && end != null && end.isBefore(start)) {
            problems.add(new SpecProblem(Pointer.child(path, "endDate"), "endDate " + end + " is before startDate "
                    + start + "; swap them or remove one"));
        }
        boolean catchup = false;
        JsonNode c = node.get("catchup");
        if (c != null) {
            if (!c.isBoolean()) {
                problems.add(new SpecProblem(Pointer.child(path, "catchup"), "catchup must be true or false, got "
                        + Values.describe(c)));
            } else {
                catchup = c.booleanValue();
            }
        }
        int maxCatchup = DEFAULT_MAX_CATCHUP_RUNS;
        JsonNode m = node.get("maxCatchupRuns");
        if (m != null) {
            if (!m.canConvertToInt() || !m.isIntegralNumber() || m.intValue() < 1 || m.intValue() > MAX_CATCHUP_RUNS) {
                problems.add(new SpecProblem(Pointer.child(path, "maxCatchupRuns"), "maxCatchupRuns must be a whole "
                        + "number from 1 to " + MAX_CATCHUP_RUNS + ", got " + Values.describe(m)));
            } else {
                maxCatchup = m.intValue();
            }
        }
        return problems.size() > before ? null : new Schedule(cron, timezone, start, end, catchup, maxCatchup);
    }

    private static String cron(JsonNode node, String path, List<SpecProblem> problems) {
        if (!node.isTextual()) {
            problems.add(new SpecProblem(path, "a cron expression is a string, " + EXAMPLE + "; got "
                    + Values.describe(node)));
            return null;
        }
        var problem = CronCalendar.cronProblem(node.textValue());
        problem.ifPresent(p -> problems.add(new SpecProblem(path, p)));
        return problem.isPresent() ? null : node.textValue().trim();
    }

    /** An ISO date ({@code 2026-01-01}, midnight in the schedule's zone) or instant ({@code 2026-01-01T00:00:00Z}). */
    private static Instant date(JsonNode node, String path, String timezone, List<SpecProblem> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            String text = node.textValue();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException ignored) {
                // not an instant; maybe a date
            }
            try {
                java.time.ZoneId zone = CronCalendar.zoneProblem(timezone).isPresent() ? ZoneOffset.UTC
                        : java.time.ZoneId.of(timezone);
                return LocalDate.parse(text).atStartOfDay(zone).toInstant();
            } catch (DateTimeParseException ignored) {
                // reported below
            }
        }
        problems.add(new SpecProblem(path, "expected a date (2026-01-01, midnight in the schedule's timezone) or an "
                + "instant (2026-01-01T00:00:00Z), got " + Values.describe(node)));
        return null;
    }

    private static Integer maxActiveRuns(JsonNode node, List<SpecProblem> problems) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1
                || node.intValue() > MAX_ACTIVE_RUNS) {
            problems.add(new SpecProblem(Pointer.child(Pointer.ROOT, "maxActiveRuns"), "maxActiveRuns must be a whole "
                    + "number from 1 to " + MAX_ACTIVE_RUNS + " (remove it for no limit), got "
                    + Values.describe(node)));
            return null;
        }
        return node.intValue();
    }

    // ---- storage ----------------------------------------------------------------------------------------------

    /** Writes the keys this class owns into a stored spec; nothing when unset, so older specs keep their hash. */
    static void write(ObjectNode root, PipelineOptions options) {
        Schedule s = options.schedule();
        if (s != null) {
            ObjectNode n = root.putObject("schedule");
            n.put("cron", s.cron());
            n.put("timezone", s.timezone());
            if (s.startDate() != null) {
                n.put("startDate", s.startDate().toString());
            }
            if (s.endDate() != null) {
                n.put("endDate", s.endDate().toString());
            }
            n.put("catchup", s.catchup());
            n.put("maxCatchupRuns", s.maxCatchupRuns());
        }
        if (options.maxActiveRuns() != null) {
            root.put("maxActiveRuns", options.maxActiveRuns());
        }
    }

    /** Reads what {@link #write} wrote. */
    static PipelineOptions read(JsonNode root, PipelineOptions options) {
        JsonNode n = root.get("schedule");
        if (n != null && n.isObject()) {
            options = options.withSchedule(new Schedule(n.path("cron").asText(), n.path("timezone").asText(),
                    n.hasNonNull("startDate") ? Instant.parse(n.get("startDate").asText()) : null,
                    n.hasNonNull("endDate") ? Instant.parse(n.get("endDate").asText()) : null,
                    n.path("catchup").asBoolean(), n.path("maxCatchupRuns").asInt(DEFAULT_MAX_CATCHUP_RUNS)));
        }
        if (root.hasNonNull("maxActiveRuns")) {
            options = options.withMaxActiveRuns(root.get("maxActiveRuns").asInt());
        }
        return options;
    }

}
