package dev.drover.scheduler.loop;

import dev.drover.scheduler.core.DueTimer;
import dev.drover.scheduler.core.RunState;
import dev.drover.scheduler.core.SchedulerSettings;
import dev.drover.scheduler.core.SchedulerState;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * What the loop holds for one owned partition: the folded state, the due timers taken from it, and how far the
 * state has been snapshotted.
 */
final class PartitionState {
    final int partition;
    final SchedulerState state;
    /** Offset of the last event folded into {@link #state}; -1 when none. */
    long lastEventOffset;
    long eventsSinceSnapshot;
    private final SchedulerSettings settings;
    private final PriorityQueue<DueTimer> timers = new PriorityQueue<>(Comparator.comparing(DueTimer::dueAt));
    private final Set<DueTimer> queued = new HashSet<>();

    PartitionState(int partition, SchedulerState state, long lastEventOffset, SchedulerSettings settings) {
        this.partition = partition;
        this.state = state;
        this.lastEventOffset = lastEventOffset;
        this.settings = settings;
        state.activeRuns().forEach(this::track);
        state.pipelines().forEach(p -> trackPipeline(p.pipelineId()));
    }

    /** Queues the pipeline's schedule timer (one that no longer applies does nothing when it fires). */
    void trackPipeline(String pipelineId) {
        DueTimer.ofPipeline(state, pipelineId).ifPresent(t -> {
            if (queued.add(t)) {
                timers.add(t);
            }
        });
    }

    /** Queues the timers a run holds now (timers that no longer apply are dropped by the decider when they fire). */
    void track(RunState run) {
        for (DueTimer t : DueTimer.of(run, state.revisionOf(run), settings)) {
            if (queued.add(t)) {
                timers.add(t);
            }
        }
    }

    /** Removes and returns the timers due at {@code now}. */
    List<DueTimer> takeDue(Instant now) {
        List<DueTimer> due = new java.util.ArrayList<>();
        while (!timers.isEmpty() && !timers.peek().dueAt().isAfter(now)) {
            DueTimer t = timers.poll();
            queued.remove(t);
            due.add(t);
        }
        return due;
    }

    /** When the earliest timer is due, or null. */
    Instant nextDue() {
        DueTimer t = timers.peek();
        return t == null ? null : t.dueAt();
    }
}
