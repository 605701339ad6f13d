package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.core.SchedulerEvent.PipelineRegistered;
import dev.drover.scheduler.core.SchedulerEvent.RunEvent;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.RunStarted;

import java.util.Collection;
import java.util.Collections;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduler's state for one partition of {@code drover.run.events}: a fold of that partition's events.
 *
 * <p>{@link #apply} is the only code that changes it — live, after a decision, and during recovery alike — so a
 * restarted scheduler that replays the log arrives at exactly the state it had. Finished runs leave the active runs
 * (their ids stay, so they are never reused); the last {@link #keepFinishedRuns()} of each pipeline are kept whole, so
 * that their tasks can be cleared or marked by hand, which reopens them. Older ones live only in the log and the read
 * models.
 */
public final class SchedulerState {
    /** How many finished runs of each pipeline are kept when nothing else is configured. */
    public static final int DEFAULT_KEEP_FINISHED_RUNS = 20;

    private final Map<String, PipelineState> pipelines = new HashMap<>();
    private final Map<String, RunState> activeRuns = new HashMap<>();
    /** The last finished runs of each pipeline, oldest first. */
    private final Map<String, LinkedHashMap<String, RunState>> finishedRuns = new HashMap<>();
    private final int keepFinishedRuns;

    /** A state that keeps the last {@value #DEFAULT_KEEP_FINISHED_RUNS} finished runs of each pipeline. */
    public SchedulerState() {
        this(DEFAULT_KEEP_FINISHED_RUNS);
    }

    /** A state that keeps the last {@code keepFinishedRuns} finished runs of each pipeline (0: none). */
    public SchedulerState(int keepFinishedRuns) {
        if (keepFinishedRuns < 0) {
            throw new IllegalArgumentException("keepFinishedRuns must be 0 or more, got " + keepFinishedRuns);
        }
        this.keepFinishedRuns = keepFinishedRuns;
    }
    private final Map<String, PoolState> pools = new HashMap<>();
    private final Map<String, PipelineScheduling> scheduling = new HashMap<>();

    /** Applies one event. Never fails for a valid log; never causes side effects. */
    public void apply(SchedulerEvent event) {
        applyScheduling(event);
        if (event instanceof PipelineRegistered e) {
            PipelineState p = pipelines.computeIfAbsent(e.pipelineId(), PipelineState::new);
            p.revisions.add(PipelineRevision.of(e.revision(), e.spec(), e.specHash(), e.at()));
        } else if (event instanceof RunStarted e) {
            PipelineState p = pipeline(e.pipelineId());
            PipelineRevision revision = p.revision(e.revision()).orElseThrow(
                    () -> new IllegalStateException("run " + e.runId() + " uses unknown revision " + e.revision()));
            p.runIds.add(e.runId());
            p.runsStarted++;
            activeRuns.put(e.runId(), RunState.started(e, revision));
        } else if (event instanceof RunFinished e) {
            RunState run = activeRuns.remove(e.runId());
            if (run != null) {
                run.apply(e);
                retain(run);
            }
        } else if (event instanceof SchedulerEvent.RunReopened e) {
            Map<String, RunState> finished = finishedRuns.get(e.pipelineId());
            RunState run = finished == null ? null : finished.remove(e.runId());
            if (run == null) {
                throw new IllegalStateException("reopened run " + e.runId() + " is not a retained finished run");
            }
            run.apply(e);
            activeRuns.put(e.runId(), run);
        } else if (event instanceof RunEvent e) {
            RunState run = activeRuns.get(e.runId());
            if (run == null) {
                throw new IllegalStateException("event for inactive run " + e.runId() + ": " + e);
            }
            run.apply(e);
        } else if (event instanceof SchedulerEvent.AssetUpdateRecorded
                || event instanceof SchedulerEvent.AssetRunTriggered) {
            PipelineState p = pipeline(event.pipelineId());
            p.assets.apply(event, AssetTriggering.assetTriggers(p));
        } else if (event instanceof SchedulerEvent.AssetUpdated) {
            // a fact for the asset router and the read model; the producing pipeline's state does not change
        } else if (event instanceof SchedulerEvent.PoolEvent e) {
            pools.computeIfAbsent(e.pool(), PoolState::new).apply(event);
        } else if (event instanceof SchedulerEvent.RunQueued e) {
            pipeline(e.pipelineId()).runIds.add(e.runId()); // taken now, so no other run can have it
        } else if (!(event instanceof CommandRejected) && !(event instanceof SchedulerEvent.SchedulingEvent)) {
            // a rejection changes nothing; anything else unknown is a programming error
            throw new IllegalStateException("no applier for " + event.getClass().getSimpleName());
        }
    }

    /** Keeps a run that just finished, dropping the pipeline's oldest finished run beyond the limit. */
    private void retain(RunState run) {
        if (keepFinishedRuns == 0) {
            return;
        }
        LinkedHashMap<String, RunState> finished = finishedRuns.computeIfAbsent(run.pipelineId,
                k -> new LinkedHashMap<>());
        finished.put(run.runId, run);
        while (finished.size() > keepFinishedRuns) {
            finished.remove(finished.keySet().iterator().next());
        }
    }

    /** Schedules, pause, run queues and backfills ({@link PipelineScheduling}) follow these events too. */
    private void applyScheduling(SchedulerEvent event) {
        if (event instanceof PipelineRegistered || event instanceof RunStarted
                || event instanceof SchedulerEvent.SchedulingEvent) {
            scheduling.computeIfAbsent(event.pipelineId(), id -> new PipelineScheduling()).apply(event);
        } else if (event instanceof RunFinished e && scheduling.containsKey(e.pipelineId())) {
            scheduling.get(e.pipelineId()).apply(event);
        }
    }

    /** The scheduling state of a pipeline (empty for one never registered). */
    public PipelineScheduling scheduling(String pipelineId) {
        PipelineScheduling s = scheduling.get(pipelineId);
        return s == null ? new PipelineScheduling() : s;
    }

    /** Puts back a pipeline's scheduling state read from a snapshot. */
    public void restore(String pipelineId, PipelineScheduling s) {
        scheduling.put(pipelineId, s);
    }

    private PipelineState pipeline(String pipelineId) {
        PipelineState p = pipelines.get(pipelineId);
        if (p == null) {
            throw new IllegalStateException("unknown pipeline " + pipelineId);
        }
        return p;
    }

    public Optional<PipelineState> pipelineState(String pipelineId) {
        return Optional.ofNullable(pipelines.get(pipelineId));
    }

    public Optional<RunState> activeRun(String runId) {
        return Optional.ofNullable(activeRuns.get(runId));
    }

    /** The revision an active run was started on (runs keep theirs when the pipeline gets a new one). */
    public PipelineRevision revisionOf(RunState run) {
        return pipelineState(run.pipelineId()).flatMap(p -> p.revision(run.revision())).orElseThrow(
                () -> new IllegalStateException("run " + run.runId() + " lost its revision " + run.revision()));
    }

    public Collection<PipelineState> pipelines() {
        return Collections.unmodifiableCollection(pipelines.values());
    }

    public Collection<RunState> activeRuns() {
        return Collections.unmodifiableCollection(activeRuns.values());
    }

    /** Puts back a pipeline read from a snapshot. */
    public void restore(PipelineState pipeline) {
        pipelines.put(pipeline.pipelineId, pipeline);
    }

    /** Puts back an active run read from a snapshot. */
    public void restore(RunState run) {
        activeRuns.put(run.runId, run);
    }

    /** A finished run of the pipeline that is still kept whole (one of its last {@link #keepFinishedRuns()}). */
    public Optional<RunState> finishedRun(String pipelineId, String runId) {
        Map<String, RunState> finished = finishedRuns.get(pipelineId);
        return Optional.ofNullable(finished == null ? null : finished.get(runId));
    }

    /** Every finished run kept, each pipeline's oldest first. */
    public List<RunState> finishedRuns() {
        List<RunState> out = new ArrayList<>();
        finishedRuns.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    /** How many finished runs of each pipeline are kept whole. */
    public int keepFinishedRuns() {
        return keepFinishedRuns;
    }

    /** Puts back a finished run read from a snapshot (in the order they finished, oldest first). */
    public void restoreFinished(RunState run) {
        retain(run);
    }

    /** The pool of this name, if this partition holds it (pools live on the partition of {@code pool:<name>}). */
    public Optional<PoolState> pool(String name) {
        return Optional.ofNullable(pools.get(name));
    }

    public Collection<PoolState> pools() {
        return Collections.unmodifiableCollection(pools.values());
    }

    /** Puts back a pool read from a snapshot. */
    public void restore(PoolState pool) {
        pools.put(pool.name, pool);
    }
}
