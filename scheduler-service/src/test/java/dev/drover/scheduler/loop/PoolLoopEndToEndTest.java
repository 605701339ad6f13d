package dev.drover.scheduler.loop;

import dev.drover.scheduler.core.Pools;
import dev.drover.scheduler.core.RunStatus;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.core.SchedulerEvent.PoolDefined;
import dev.drover.scheduler.core.SchedulerEvent.PoolSlotGranted;
import dev.drover.scheduler.core.SchedulerEvent.PoolSlotQueued;
import dev.drover.scheduler.core.SchedulerEvent.PoolSlotReleased;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.TaskDispatched;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.drover.scheduler.loop.SchedulerHarness.EXECUTOR;
import static dev.drover.scheduler.loop.SchedulerHarness.commandId;
import static dev.drover.scheduler.loop.SchedulerHarness.uniqueId;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pools through the real loop and broker: two pipelines on different partitions share a one-slot pool that lives on
 * a third, and their tasks never hold it together — read back from the event log.
 */
class PoolLoopEndToEndTest {
    private static final int PARTITIONS = 6;
    private static SchedulerHarness scheduler;

    @BeforeAll
    static void startScheduler() {
        scheduler = new SchedulerHarness();
        scheduler.startLoop(uniqueId("pools"));
    }

    @AfterAll
    static void stopScheduler() {
        if (scheduler != null) {
            scheduler.close();
        }
    }

    static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** A unique id whose partition is none of {@code taken}. */
    static String idOutside(String prefix, Set<Integer> taken) {
        while (true) {
            String id = uniqueId(prefix);
            if (!taken.contains(partition(id)) && !taken.contains(partition(Pools.key(id)))) {
                return id;
            }
        }
    }

    @Test
    void twoPipelinesSharingAOneSlotPoolNeverOverlap() {
        Set<Integer> used = new HashSet<>();
        String pool = idOutside("pool", used);
        used.add(partition(Pools.key(pool)));
        String first = idOutside("pool-a", used);
        used.add(partition(first));
        String second = idOutside("pool-b", used);
        assertThat(Set.of(partition(Pools.key(pool)), partition(first), partition(second))).hasSize(3);

        EventEnvelope defined = scheduler.decide(new SchedulerCommand.DefinePool(commandId(), pool, 1, "one at a time",
                "test"), null);
        assertThat(defined.event()).isEqualTo(new PoolDefined(pool, 1, "one at a time", "test",
                ((PoolDefined) defined.event()).at()));
        for (String id : List.of(first, second)) {
            scheduler.register("""
                    id: %s
                    tasks:
                      - {id: a, type: noop, pool: %s}
                      - {id: b, type: noop, pool: %s, priority: 5}
                    """.formatted(id, pool, pool));
        }
        List<String> runs = List.of(scheduler.requestRun(first), scheduler.requestRun(second));

        // play the executor: run whatever is dispatched, one attempt after another, until all four are done
        List<TaskDispatched> handled = new ArrayList<>();
        while (handled.size() < 4) {
            int before = handled.size();
            scheduler.events().awaitUntil("dispatch number " + (before + 1), all -> dispatches(runs).size() > before);
            for (TaskDispatched d : dispatches(runs).subList(before, dispatches(runs).size())) {
                scheduler.decide(new SchedulerCommand.ReportTaskStarted(commandId(), d.pipelineId(), d.runId(),
                        d.taskId(), d.attempt(), EXECUTOR), d.runId());
                scheduler.decide(new SchedulerCommand.ReportTaskSucceeded(commandId(), d.pipelineId(), d.runId(),
                        d.taskId(), d.attempt(), EXECUTOR, java.util.Map.of()), d.runId());
                handled.add(d);
            }
        }
        for (String id : List.of(first, second)) {
            EventEnvelope finished = scheduler.awaitEvent(id, RunFinished.class, f -> true);
            assertThat(((RunFinished) finished.event()).status()).isEqualTo(RunStatus.SUCCEEDED);
        }

        // the pool's partition is one ordered story: never two holders
        List<EventEnvelope> poolEvents = scheduler.awaitPipelineEvents(Pools.key(pool), "every slot released",
                es -> es.stream().filter(e -> e.event() instanceof PoolSlotReleased).count() == 4);
        int held = 0;
        int maxHeld = 0;
        for (EventEnvelope e : poolEvents) {
            if (e.event() instanceof PoolSlotGranted) {
                held++;
            } else if (e.event() instanceof PoolSlotReleased r) {
                assertThat(r.held()).isTrue();
                held--;
            }
            maxHeld = Math.max(maxHeld, held);
        }
        assertThat(maxHeld).as("slots held at once").isEqualTo(1);
        assertThat(held).isZero();
        assertThat(poolEvents).filteredOn(e -> e.event() instanceof PoolSlotQueued).hasSizeGreaterThanOrEqualTo(2);
        // each attempt was granted exactly once (priority order is pinned by the core's PoolTest)
        for (String run : runs) {
            List<String> granted = poolEvents.stream().map(EventEnvelope::event)
                    .filter(e -> e instanceof PoolSlotGranted g && g.runId().equals(run))
                    .map(e -> ((PoolSlotGranted) e).taskId()).toList();
            assertThat(granted).hasSize(2);
        }
        // every dispatch was caused by a grant, and each attempt ran alone: dispatch i+1 after success i
        List<EventEnvelope> runEvents = new ArrayList<>();
        runEvents.addAll(scheduler.pipelineEvents(first));
        runEvents.addAll(scheduler.pipelineEvents(second));
        assertThat(runEvents).filteredOn(e -> e.event() instanceof TaskDispatched)
                .hasSize(4).allSatisfy(e -> assertThat(e.causationId()).contains(">grant:"));
        List<String> intervals = new ArrayList<>();
        List<long[]> spans = new ArrayList<>();
        for (TaskDispatched d : handled) {
            long start = d.at().toEpochMilli();
            long end = runEvents.stream().map(EventEnvelope::event)
                    .filter(e -> e instanceof SchedulerEvent.TaskSucceeded s && s.runId().equals(d.runId())
                            && s.taskId().equals(d.taskId()))
                    .map(e -> ((SchedulerEvent.TaskSucceeded) e).at().toEpochMilli()).findFirst().orElseThrow();
            spans.add(new long[]{start, end});
            intervals.add(d.runId() + "/" + d.taskId() + " " + start + ".." + end);
        }
        spans.sort((x, y) -> Long.compare(x[0], y[0]));
        for (int i = 1; i < spans.size(); i++) {
            assertThat(spans.get(i)[0]).as("attempts in the pool: %s", intervals)
                    .isGreaterThanOrEqualTo(spans.get(i - 1)[1]);
        }
    }

    @Test
    void aTaskInAPoolThatDoesNotExistFailsSayingHowToCreateIt() {
        String pipelineId = scheduler.register("""
                id: %s
                tasks:
                  - {id: a, type: noop, pool: no-such-pool}
                """.formatted(uniqueId("nopool")));
        scheduler.requestRun(pipelineId);

        EventEnvelope finished = scheduler.awaitEvent(pipelineId, RunFinished.class, f -> true);
        assertThat(((RunFinished) finished.event()).status()).isEqualTo(RunStatus.FAILED);
        SchedulerEvent.TaskFailedFinally failed = (SchedulerEvent.TaskFailedFinally) scheduler
                .awaitEvent(pipelineId, SchedulerEvent.TaskFailedFinally.class, f -> true).event();
        assertThat(failed.reason()).contains("pool `no-such-pool` does not exist")
                .contains("PUT /api/v1/pools/no-such-pool");
    }

    private static List<TaskDispatched> dispatches(List<String> runs) {
        return scheduler.events().seen().stream().map(TopicReader.Entry::value)
                .filter(e -> e != null && e.event() instanceof TaskDispatched d && runs.contains(d.runId()))
                .map(e -> (TaskDispatched) e.event()).toList();
    }
}
