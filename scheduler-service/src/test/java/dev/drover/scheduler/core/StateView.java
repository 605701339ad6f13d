package dev.drover.scheduler.core;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything observable in a {@link SchedulerState} as plain values, so that two states can be compared with
 * {@code equals} (the state classes themselves are mutable and have identity equality on purpose).
 */
record StateView(Map<String, PipelineView> pipelines, Map<String, RunView> activeRuns,
                 Map<String, RunView> finishedRuns, Map<String, PoolView> pools,
                 Map<String, SchedulingView> scheduling) {

    /** A pipeline's {@link PipelineScheduling} as values; backfills as (request, next, active run ids). */
    record SchedulingView(Instant scheduledSince, Instant cursor, boolean paused, String pausedBy, Instant pausedAt,
                          String pauseReason, List<SchedulerEvent.RunQueued> queue, Set<String> activeRunIds,
                          List<List<Object>> backfills, long backfillsRequested, java.util.Optional<DueTimer> timer) {
    }

    record PoolView(int slots, String description, List<PoolState.Slot> holders, List<PoolState.Slot> queue) {
    }

    record PipelineView(List<PipelineRevision> revisions, Set<String> runIds, long runsStarted,
                        Map<String, List<AssetRef>> assetsPending, List<String> assetsRecent) {
    }

    record RunView(String pipelineId, int revision, Map<String, Object> parameters, Instant startedAt,
                   RunStatus status, List<TaskView> tasks, List<DueTimer> timers, boolean deadlineSettled,
                   List<TaskRerunView> rerun, dev.drover.scheduler.schedule.DataInterval interval) {
    }

    record TaskView(String taskId, TaskStatus status, int attempt, Instant dispatchedAt, String executorId,
                    Instant leaseExpiresAt, Instant timeoutAt, Instant retryAt, Map<String, Object> outputs,
                    int poke, Instant waitingSince, Instant rescheduleAt, List<Object> mapItems, String awaitingPool) {

        /** A task that is neither a sensor (no pokes) nor a mapped task, and waits for no pool. */
        TaskView(String taskId, TaskStatus status, int attempt, Instant dispatchedAt, String executorId,
                 Instant leaseExpiresAt, Instant timeoutAt, Instant retryAt, Map<String, Object> outputs) {
            this(taskId, status, attempt, dispatchedAt, executorId, leaseExpiresAt, timeoutAt, retryAt, outputs, 0,
                    null, null, null, null);
        }
    }

    /** What a task holds for clearing (its retry budget's base) and for its deadline. */
    record TaskRerunView(String taskId, int attemptBase, Instant firstDispatchedAt, boolean deadlineMissed) {
    }

    static StateView of(SchedulerState state) {
        Map<String, PipelineView> pipelines = new TreeMap<>();
        for (PipelineState p : state.pipelines()) {
            pipelines.put(p.pipelineId(), new PipelineView(List.copyOf(p.revisions()), new TreeSet<>(p.runIds()),
                    p.runsStarted(), Map.copyOf(p.assets().pending()), p.assets().recent()));
        }
        Map<String, RunView> runs = new TreeMap<>();
        for (RunState r : state.activeRuns()) {
            runs.put(r.runId(), of(r, state.revisionOf(r)));
        }
        Map<String, RunView> finished = new TreeMap<>();
        for (RunState r : state.finishedRuns()) {
            finished.put(r.runId(), of(r, state.revisionOf(r)));
        }
        Map<String, PoolView> pools = new TreeMap<>();
        for (PoolState p : state.pools()) {
            pools.put(p.name(), new PoolView(p.slots(), p.description(), List.copyOf(p.holders()),
                    List.copyOf(p.queue())));
        }
        Map<String, SchedulingView> scheduling = new TreeMap<>();
        for (PipelineState p : state.pipelines()) {
            PipelineScheduling s = state.scheduling(p.pipelineId());
            List<List<Object>> backfills = s.backfills().stream().map(b -> List.<Object>of(b.request(),
                    String.valueOf(b.next()), new TreeSet<>(b.activeRunIds()))).toList();
            scheduling.put(p.pipelineId(), new SchedulingView(s.scheduledSince(), s.cursor(), s.paused(),
                    s.pausedBy(), s.pausedAt(), s.pauseReason(), s.queue(), new TreeSet<>(s.activeRunIds()), backfills,
                    s.backfillsRequested(), DueTimer.ofPipeline(state, p.pipelineId())));
        }
        return new StateView(pipelines, runs, finished, pools, scheduling);
    }

    /** A run with the timers it holds under the default settings (what every decider test uses). */
    static RunView of(RunState r, PipelineRevision revision) {
        List<TaskView> tasks = r.tasks().values().stream().map(StateView::of).toList();
        List<DueTimer> timers = DueTimer.of(r, revision, SchedulerSettings.defaults()).stream()
                .sorted(Comparator.comparing(DueTimer::dueAt).thenComparing(DueTimer::taskId)
                        .thenComparing(DueTimer::kind))
                .toList();
        return new RunView(r.pipelineId(), r.revision(), r.parameters(), r.startedAt(), r.status(), tasks, timers,
                r.deadlineSettled(), r.tasks().values().stream().map(t -> new TaskRerunView(t.taskId(),
                t.attemptBase(), t.firstDispatchedAt(), t.deadlineMissed())).toList(), r.interval());
    }

    static TaskView of(TaskState t) {
        return new TaskView(t.taskId(), t.status(), t.attempt(), t.dispatchedAt(), t.executorId(), t.leaseExpiresAt(), t.timeoutAt(),
                t.retryAt(), t.outputs(), t.poke(), t.waitingSince(), t.rescheduleAt(), t.mapItems(),
                t.awaitingPool());
    }
}
