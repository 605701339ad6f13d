package dev.drover.scheduler.schedule;

import dev.drover.scheduler.pipeline.Schedule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronCalendarTest {

    private static List<Instant> fires(String cron, String zone, String from, int n) {
        CronCalendar cal = CronCalendar.of(cron, zone);
        List<Instant> out = new ArrayList<>();
        Instant t = Instant.parse(from);
        for (int i = 0; i < n; i++) {
            t = cal.next(t);
            out.add(t);
        }
        return out;
    }

    private static List<Instant> instants(String... s) {
        return java.util.Arrays.stream(s).map(Instant::parse).toList();
    }

    @Test
    void presetsStandForTheirExpressions() {
        assertEquals(instants("2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"),
                fires("@daily", "UTC", "2026-01-01T10:00:00Z", 2));
        assertEquals(fires("0 0 * * *", "UTC", "2026-01-01T10:00:00Z", 3),
                fires("@midnight", "UTC", "2026-01-01T10:00:00Z", 3));
        assertEquals(instants("2026-01-01T11:00:00Z"), fires("@hourly", "UTC", "2026-01-01T10:00:00Z", 1));
        assertEquals(instants("2026-01-04T00:00:00Z"), fires("@weekly", "UTC", "2026-01-01T10:00:00Z", 1)); // Sunday
        assertEquals(instants("2026-02-01T00:00:00Z"), fires("@monthly", "UTC", "2026-01-01T10:00:00Z", 1));
        assertEquals(instants("2027-01-01T00:00:00Z"), fires("@yearly", "UTC", "2026-01-01T10:00:00Z", 1));
        assertEquals(fires("@yearly", "UTC", "2026-01-01T10:00:00Z", 2),
                fires("@annually", "UTC", "2026-01-01T10:00:00Z", 2));
    }

    @Test
    void badExpressionsAndZonesSayWhatToDo() {
        assertTrue(CronCalendar.cronProblem("@fortnightly").orElseThrow().contains("@daily"));
        assertTrue(CronCalendar.cronProblem("0 3 * *").orElseThrow().contains("5 fields"));
        assertTrue(CronCalendar.cronProblem("0 25 * * *").isPresent());
        assertTrue(CronCalendar.cronProblem("0 0 3 * * *").isPresent(), "6 fields (with seconds) is not UNIX cron");
        assertFalse(CronCalendar.cronProblem("*/15 9-17 * * 1-5").isPresent());
        assertTrue(CronCalendar.zoneProblem("Europe/Berlim").orElseThrow().contains("IANA"));
        assertFalse(CronCalendar.zoneProblem("America/New_York").isPresent());
    }

    // ---- spring forward: the wall clock skips an hour -------------------------------------------------------

    @Test
    void aDailyJobInTheSpringForwardGapRunsOnceShiftedByTheGapBerlin() {
        // 2026-03-29 02:00 CET -> 03:00 CEST: 02:30 does not exist that day
        assertEquals(instants("2026-03-28T01:30:00Z", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"),
                fires("30 2 * * *", "Europe/Berlin", "2026-03-28T00:00:00Z", 3));
    }

    @Test
    void aDailyJobInTheSpringForwardGapRunsOnceShiftedByTheGapNewYork() {
        // 2026-03-08 02:00 EST -> 03:00 EDT: 02:30 runs at 03:30 EDT (07:30Z)
        assertEquals(instants("2026-03-07T07:30:00Z", "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"),
                fires("30 2 * * *", "America/New_York", "2026-03-07T00:00:00Z", 3));
    }

    @Test
    void anHourlyJobHasNoRunInTheSkippedHour() {
        // New York 2026-03-08: 01:00 EST (06Z), [02:00 skipped], 03:00 EDT (07Z), 04:00 EDT (08Z): one hour apart
        assertEquals(instants("2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"),
                fires("0 * * * *", "America/New_York", "2026-03-08T05:30:00Z", 3));
    }

    // ---- fall back: the wall clock repeats an hour ----------------------------------------------------------

    @Test
    void anHourlyJobRunsEveryRealHourThroughTheRepeatedHourBerlin() {
        // 2026-10-25 03:00 CEST -> 02:00 CET: 02:00 happens twice (00:00Z and 01:00Z)
        assertEquals(instants("2026-10-24T23:00:00Z", "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z",
                        "2026-10-25T02:00:00Z"),
                fires("0 * * * *", "Europe/Berlin", "2026-10-24T22:30:00Z", 4));
    }

    @Test
    void anHourlyJobRunsEveryRealHourThroughTheRepeatedHourNewYork() {
        // 2026-11-01 02:00 EDT -> 01:00 EST: 01:00 happens twice (05:00Z and 06:00Z)
        assertEquals(instants("2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z", "2026-11-01T07:00:00Z"),
                fires("0 * * * *", "America/New_York", "2026-11-01T04:30:00Z", 3));
    }

    @Test
    void aDailyJobInTheRepeatedHourRunsOnceAtTheFirstOccurrence() {
        // Berlin 02:30 on 2026-10-25 is 00:30Z (CEST) and 01:30Z (CET): it runs at 00:30Z only
        assertEquals(instants("2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"),
                fires("30 2 * * *", "Europe/Berlin", "2026-10-23T23:00:00Z", 3));
        // New York 01:30 on 2026-11-01 is 05:30Z (EDT) and 06:30Z (EST): it runs at 05:30Z only
        assertEquals(instants("2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"),
                fires("30 1 * * *", "America/New_York", "2026-10-31T00:00:00Z", 3));
    }

    @Test
    void aThirtyMinuteShiftZone() {
        // Australia/Lord_Howe: 2026-04-05 02:00 (+11) -> 01:30 (+10:30); 2026-10-04 02:00 (+10:30) -> 02:30 (+11).
        // Only 01:30-02:00 repeats, which no :00 wall time falls in: 01:00 (+11), then 02:00 (+10:30) 90 min later
        assertEquals(instants("2026-04-04T14:00:00Z", "2026-04-04T15:30:00Z", "2026-04-04T16:30:00Z",
                        "2026-04-04T17:30:00Z"),
                fires("0 * * * *", "Australia/Lord_Howe", "2026-04-04T13:30:00Z", 4));
        // 02:15 does not exist on 2026-10-04: it runs at 02:45 (+11) = 15:45Z of the 3rd
        assertEquals(instants("2026-10-02T15:45:00Z", "2026-10-03T15:45:00Z", "2026-10-04T15:15:00Z"),
                fires("15 2 * * *", "Australia/Lord_Howe", "2026-10-02T00:00:00Z", 3));
    }

    @Test
    void previousOrSameIsTheInverseOfNextAcrossTransitions() {
        for (String zone : List.of("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC")) {
            for (String cron : List.of("0 * * * *", "30 2 * * *", "*/20 * * * *", "0 0 * * *")) {
                CronCalendar cal = CronCalendar.of(cron, zone);
                Instant t = cal.next(Instant.parse("2026-03-01T00:00:00Z"));
                for (int i = 0; i < 3000 && t.isBefore(Instant.parse("2026-11-10T00:00:00Z")); i++) {
                    Instant n = cal.next(t);
                    assertEquals(t, cal.previousOrSame(t), cron + " in " + zone);
                    assertEquals(t, cal.previousOrSame(n.minusMillis(1)), cron + " in " + zone + " before " + n);
                    assertTrue(n.isAfter(t));
                    t = n;
                }
            }
        }
    }

    // ---- intervals --------------------------------------------------------------------------------------------

    private static Schedule daily(String start, String end, boolean catchup, int max) {
        return new Schedule("@daily", "UTC", start == null ? null : Instant.parse(start),
                end == null ? null : Instant.parse(end), catchup, max);
    }

    @Test
    void withoutAStartDateTheFirstRunIsAtTheEndOfTheIntervalInProgress() {
        Schedule s = daily(null, null, false, 10);
        Instant registered = Instant.parse("2026-11-23T10:30:00Z");
        assertEquals(Instant.parse("2026-11-24T00:00:00Z"), ScheduleClock.nextDue(s, null, registered));
        assertTrue(ScheduleClock.due(s, null, registered, registered, 1).intervals().isEmpty());
        assertEquals(List.of(new DataInterval(Instant.parse("2026-11-23T00:00:00Z"),
                        Instant.parse("2026-11-24T00:00:00Z"))),
                ScheduleClock.due(s, null, registered, Instant.parse("2026-11-24T00:00:00.005Z"), 1).intervals());
    }

    @Test
    void startAndEndDatesBoundTheIntervals() {
        Schedule s = daily("2026-11-01T00:00:00Z", "2026-11-03T00:00:00Z", true, 100);
        ScheduleClock.Due due = ScheduleClock.due(s, null, Instant.parse("2026-11-20T00:00:00Z"),
                Instant.parse("2026-11-20T00:00:00Z"), 100);
        assertEquals(List.of(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-02T00:00:00Z"),
                Instant.parse("2026-11-03T00:00:00Z")), due.intervals().stream().map(DataInterval::start).toList());
        assertFalse(due.olderLeftOut());
        assertNull(ScheduleClock.nextDue(s, Instant.parse("2026-11-04T00:00:00Z"), null));
    }

    @Test
    void catchUpTakesTheNewestIntervalsUpToTheLimit() {
        Schedule s = daily("2026-11-01T00:00:00Z", null, true, 3);
        ScheduleClock.Due due = ScheduleClock.due(s, Instant.parse("2026-11-05T00:00:00Z"), null,
                Instant.parse("2026-11-20T12:00:00Z"), 3);
        assertEquals(List.of(Instant.parse("2026-11-17T00:00:00Z"), Instant.parse("2026-11-18T00:00:00Z"),
                Instant.parse("2026-11-19T00:00:00Z")), due.intervals().stream().map(DataInterval::start).toList());
        assertTrue(due.olderLeftOut());
    }

    @Test
    void runIdsAreThePipelineAndTheLogicalDateInUtc() {
        assertEquals("train.2026-11-23T03-00Z", ScheduleClock.runId("train", Instant.parse("2026-11-23T03:00:00Z")));
    }
}
