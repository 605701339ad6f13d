package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.BackfillFinished;
import dev.drover.scheduler.core.SchedulerEvent.BackfillIntervalSkipped;
import dev.drover.scheduler.core.SchedulerEvent.BackfillRequested;
import dev.drover.scheduler.core.SchedulerEvent.PipelinePaused;
import dev.drover.scheduler.core.SchedulerEvent.PipelineRegistered;
import dev.drover.scheduler.core.SchedulerEvent.PipelineResumed;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.RunQueued;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;
import dev.drover.scheduler.core.SchedulerEvent.ScheduledRunSkipped;
import dev.drover.scheduler.schedule.DataInterval;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a pipeline's clock-driven and limit-driven scheduling needs to remember: how far its schedule has got, whether
 * it is paused, the runs waiting for a slot, the ids of its active runs, and its active backfills. A fold of the
 * pipeline's events like the rest of {@link SchedulerState}; {@link #apply} is the only code that changes it.
 */
public final class PipelineScheduling {
    /** When the pipeline first had a schedule (its registration); the first interval is the one in progress then. */
    Instant scheduledSince;
    /** The end of the latest interval of the schedule that was started, queued or skipped. */
    Instant cursor;
    boolean paused;
    String pausedBy;
    Instant pausedAt;
    String pauseReason;
    final Map<String, RunQueued> queue = new LinkedHashMap<>();
    final Set<String> activeRunIds = new LinkedHashSet<>();
    final Map<String, Backfill> backfills = new LinkedHashMap<>();
    long backfillsRequested;

    /** An active backfill. */
    public static final class Backfill {
        final BackfillRequested request;
        /** The logical date of the next interval to start, or null when every interval was started or skipped. */
        Instant next;
        final Set<String> activeRunIds = new LinkedHashSet<>();

        Backfill(BackfillRequested request, Instant next) {
            this.request = request;
            this.next = next;
        }

        public BackfillRequested request() {
            return request;
        }

        public Instant next() {
            return next;
        }

        public Set<String> activeRunIds() {
            return Collections.unmodifiableSet(activeRunIds);
        }

        Backfill copy() {
            Backfill b = new Backfill(request, next);
            b.activeRunIds.addAll(activeRunIds);
            return b;
        }

        /** Rebuilds a backfill from a snapshot. */
        public static Backfill restore(BackfillRequested request, Instant next, List<String> activeRunIds) {
            Backfill b = new Backfill(request, next);
            b.activeRunIds.addAll(activeRunIds);
            return b;
        }
    }

    PipelineScheduling() {
    }

    /** Applies an event of the pipeline (those that do not concern scheduling change nothing). */
    void apply(SchedulerEvent event) {
        if (event instanceof PipelineRegistered e) {
            if (e.spec().options().schedule() == null) {
                scheduledSince = null;
                cursor = null;
            } else if (scheduledSince == null) {
                scheduledSince = e.at();
            }
        } else if (event instanceof RunQueued e) {
            queue.put(e.runId(), e);
            advance(e.trigger(), e.interval());
        } else if (event instanceof RunStarted e) {
            queue.remove(e.runId());
            activeRunIds.add(e.runId());
            if (e.backfillId() != null) {
                Backfill b = backfills.get(e.backfillId());
                if (b != null) {
                    b.activeRunIds.add(e.runId());
                    b.next = afterInterval(b, e.interval());
                }
            } else {
                advance(e.trigger(), e.interval());
            }
        } else if (event instanceof RunFinished e) {
            activeRunIds.remove(e.runId());
            backfills.values().forEach(b -> b.activeRunIds.remove(e.runId()));
        } else if (event instanceof PipelinePaused e) {
            paused = true;
            pausedBy = e.pausedBy();
            pausedAt = e.at();
            pauseReason = e.reason();
        } else if (event instanceof PipelineResumed) {
            paused = false;
            pausedBy = null;
            pausedAt = null;
            pauseReason = null;
        } else if (event instanceof ScheduledRunSkipped e) {
            advance(SCHEDULE, e.interval());
        } else if (event instanceof BackfillRequested e) {
            backfillsRequested++;
            backfills.put(e.backfillId(), new Backfill(e, e.firstLogicalDate()));
        } else if (event instanceof BackfillIntervalSkipped e) {
            Backfill b = backfills.get(e.backfillId());
            if (b != null) {
                b.next = afterInterval(b, e.interval());
            }
        } else if (event instanceof BackfillFinished e) {
            backfills.remove(e.backfillId());
        }
    }

    /** The trigger of runs started by the schedule. */
    public static final String SCHEDULE = "schedule";
    /** The trigger of runs started by a backfill. */
    public static final String BACKFILL = "backfill";

    private void advance(String trigger, DataInterval interval) {
        if (SCHEDULE.equals(trigger) && interval != null && (cursor == null || interval.end().isAfter(cursor))) {
            cursor = interval.end();
        }
    }

    /** Intervals are contiguous: the next one starts where this one ends; past the range, there is none. */
    private static Instant afterInterval(Backfill b, DataInterval interval) {
        Instant next = interval.end();
        return next.isBefore(b.request.end()) ? next : null;
    }

    PipelineScheduling copy() {
        PipelineScheduling c = new PipelineScheduling();
        c.scheduledSince = scheduledSince;
        c.cursor = cursor;
        c.paused = paused;
        c.pausedBy = pausedBy;
        c.pausedAt = pausedAt;
        c.pauseReason = pauseReason;
        c.queue.putAll(queue);
        c.activeRunIds.addAll(activeRunIds);
        backfills.forEach((id, b) -> c.backfills.put(id, b.copy()));
        c.backfillsRequested = backfillsRequested;
        return c;
    }

    /** Rebuilds from a snapshot. */
    public static PipelineScheduling restore(Instant scheduledSince, Instant cursor, boolean paused, String pausedBy,
                                             Instant pausedAt, String pauseReason, List<RunQueued> queue,
                                             List<String> activeRunIds, List<Backfill> backfills,
                                             long backfillsRequested) {
        PipelineScheduling s = new PipelineScheduling();
        s.scheduledSince = scheduledSince;
        s.cursor = cursor;
        s.paused = paused;
        s.pausedBy = pausedBy;
        s.pausedAt = pausedAt;
        s.pauseReason = pauseReason;
        queue.forEach(q -> s.queue.put(q.runId(), q));
        s.activeRunIds.addAll(activeRunIds);
        backfills.forEach(b -> s.backfills.put(b.request.backfillId(), b));
        s.backfillsRequested = backfillsRequested;
        return s;
    }

    public Instant scheduledSince() {
        return scheduledSince;
    }

    public Instant cursor() {
        return cursor;
    }

    public boolean paused() {
        return paused;
    }

    public String pausedBy() {
        return pausedBy;
    }

    public Instant pausedAt() {
        return pausedAt;
    }

    public String pauseReason() {
        return pauseReason;
    }

    /** Queued runs in the order they will start. */
    public List<RunQueued> queue() {
        return new ArrayList<>(queue.values());
    }

    public Set<String> activeRunIds() {
        return Collections.unmodifiableSet(activeRunIds);
    }

    /** Active backfills in request order. */
    public List<Backfill> backfills() {
        return new ArrayList<>(backfills.values());
    }

    public long backfillsRequested() {
        return backfillsRequested;
    }
}
