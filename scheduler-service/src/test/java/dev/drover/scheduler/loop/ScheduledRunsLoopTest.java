package dev.drover.scheduler.loop;

import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent.BackfillFinished;
import dev.drover.scheduler.core.SchedulerEvent.BackfillRequested;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.schemas.task.TaskDispatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static dev.drover.scheduler.loop.SchedulerHarness.EXECUTOR;
import static dev.drover.scheduler.loop.SchedulerHarness.commandId;
import static dev.drover.scheduler.loop.SchedulerHarness.started;
import static dev.drover.scheduler.loop.SchedulerHarness.succeeded;
import static dev.drover.scheduler.loop.SchedulerHarness.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Schedules and backfills through the real loop and broker: the schedule timer is a logged command, catch-up starts
 * the missed intervals with deterministic ids, a restarted loop does not start them again, and a backfill runs its
 * intervals within its concurrency.
 */
class ScheduledRunsLoopTest {
    private static SchedulerHarness scheduler;

    @BeforeAll
    static void startScheduler() {
        scheduler = new SchedulerHarness();
        scheduler.startLoop(uniqueId("sched"));
    }

    @AfterAll
    static void stopScheduler() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    private static List<String> scheduledRunIds(String pipelineId) {
        return scheduler.pipelineEvents(pipelineId).stream().filter(e -> e.event() instanceof RunStarted)
                .map(e -> (RunStarted) e.event()).filter(r -> "schedule".equals(r.trigger())).map(RunStarted::runId)
                .toList();
    }

    @Test
    void catchUpStartsTheNewestMissedIntervalsOnceEvenAcrossARestart() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.DAYS);
        String pipelineId = scheduler.register("""
                id: %s
                schedule: {cron: "0 * * * *", startDate: "%s", catchup: true, maxCatchupRuns: 3}
                tasks: [{id: a, type: noop}]
                """.formatted(uniqueId("sched"), start));
        scheduler.awaitPipelineEvents(pipelineId, "three scheduled runs", all -> all.stream()
                .filter(e -> e.event() instanceof RunStarted).count() >= 3);
        List<String> first = scheduledRunIds(pipelineId);
        Instant lastHour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        assertThat(first).hasSize(3).containsExactly(
                runId(pipelineId, lastHour.minus(3, ChronoUnit.HOURS)),
                runId(pipelineId, lastHour.minus(2, ChronoUnit.HOURS)),
                runId(pipelineId, lastHour.minus(1, ChronoUnit.HOURS)));

        // a restarted scheduler recovers the schedule's cursor: the handled intervals never start again
        scheduler.stopLoop();
        scheduler.startLoop(uniqueId("sched"));
        String probe = scheduler.requestRun(pipelineId); // decided after recovery and after any due timer
        assertThat(probe).isNotNull();
        assertThat(scheduledRunIds(pipelineId)).doesNotHaveDuplicates().startsWith(first.toArray(String[]::new));
    }

    private static String runId(String pipelineId, Instant logicalDate) {
        return dev.drover.scheduler.schedule.ScheduleClock.runId(pipelineId, logicalDate);
    }

    @Test
    void aBackfillRunsEachIntervalOnceWithinItsConcurrency() {
        String pipelineId = scheduler.register("""
                id: %s
                schedule: {cron: "@daily", startDate: "2100-01-01"}
                tasks: [{id: a, type: noop}]
                """.formatted(uniqueId("backfill")));
        EventEnvelope requested = scheduler.decide(new SchedulerCommand.RequestBackfill(commandId(), pipelineId,
                Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-06T00:00:00Z"), 2, Map.of(),
                "loop-test"), null);
        assertThat(requested.event()).isInstanceOf(BackfillRequested.class);
        assertThat(((BackfillRequested) requested.event()).intervals()).isEqualTo(5);

        for (int day = 1; day <= 5; day++) {
            String runId = pipelineId + ".2026-10-0" + day + "T00-00Z";
            TaskDispatch d = scheduler.awaitDispatch(runId, "a", 1);
            scheduler.decide(started(d, EXECUTOR), runId);
            scheduler.decide(succeeded(d, EXECUTOR, Map.of()), runId);
        }
        List<EventEnvelope> events = scheduler.awaitPipelineEvents(pipelineId, "the backfill's end",
                all -> all.stream().anyMatch(e -> e.event() instanceof BackfillFinished));
        List<String> runs = events.stream().filter(e -> e.event() instanceof RunStarted)
                .map(e -> ((RunStarted) e.event()).runId()).toList();
        assertThat(runs).hasSize(5).doesNotHaveDuplicates().isSorted();
        int active = 0;
        int maxActive = 0;
        for (EventEnvelope e : events) {
            if (e.event() instanceof RunStarted) {
                maxActive = Math.max(maxActive, ++active);
            } else if (e.event() instanceof dev.drover.scheduler.core.SchedulerEvent.RunFinished) {
                active--;
            }
        }
        assertThat(maxActive).isEqualTo(2);
        assertThat(((BackfillFinished) events.get(events.size() - 1).event()).status()).isEqualTo("COMPLETED");
    }
}
