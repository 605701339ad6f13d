package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerCommand.AcquirePoolSlot;
import dev.drover.scheduler.core.SchedulerCommand.DenyPoolSlot;
import dev.drover.scheduler.core.SchedulerCommand.GrantPoolSlot;
import dev.drover.scheduler.core.SchedulerCommand.ReleasePoolSlot;
import dev.drover.scheduler.core.SchedulerEvent.CommandRejected;
import dev.drover.scheduler.core.SchedulerEvent.PoolSlotGranted;
import dev.drover.scheduler.core.SchedulerEvent.TaskAwaitingPool;
import dev.drover.scheduler.core.SchedulerEvent.TaskCanceled;
import dev.drover.scheduler.core.SchedulerEvent.TaskFailed;
import dev.drover.scheduler.core.SchedulerEvent.TaskLost;
import dev.drover.scheduler.core.SchedulerEvent.TaskSucceeded;
import dev.drover.scheduler.core.SchedulerEvent.TaskTimedOut;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The messages between runs and pools, which live on different partitions: what a decision means for the other side.
 * The loop sends them to {@code drover.run.commands} in the same transaction as the decision's events, so a message
 * is sent exactly when its cause is logged (and never again on replay: replay only applies events).
 *
 * <pre>
 *  run partition                                pool partition (key pool:&lt;name&gt;)
 *  TaskAwaitingPool ──── AcquirePoolSlot ─────▶ PoolSlotGranted | PoolSlotQueued | rejected UNKNOWN_POOL
 *  TaskDispatched   ◀─── GrantPoolSlot ─────── PoolSlotGranted
 *  TaskFailed       ◀─── DenyPoolSlot ──────── rejected UNKNOWN_POOL
 *  attempt ended / canceled ── ReleasePoolSlot ▶ PoolSlotReleased (+ PoolSlotGranted to the next in line)
 *  grant for an attempt that no longer waits ── ReleasePoolSlot ▶ …
 * </pre>
 *
 * <p>Message ids are derived from the causing command's id and the slot holder, so each is unique and recognisable.
 * Every receiver is idempotent on the holder ({@code <runId>/<taskId>/<attempt>}), so a message that arrives late or
 * twice does no harm.
 */
public final class PoolProtocol {

    private PoolProtocol() {
    }

    /**
     * The commands to send for a decision.
     *
     * @param before  the partition's state before the decision's events were applied
     * @param command the command decided
     * @param events  the events decided from it
     */
    public static List<SchedulerCommand> outgoing(SchedulerState before, SchedulerCommand command,
                                                  List<SchedulerEvent> events) {
        List<SchedulerCommand> out = new ArrayList<>();
        String cause = command.commandId();
        for (SchedulerEvent event : events) {
            if (event instanceof TaskAwaitingPool e) {
                out.add(new AcquirePoolSlot(id(cause, "acquire", e.runId(), e.taskId(), e.attempt()), e.pool(),
                        e.pipelineId(), e.runId(), e.taskId(), e.attempt(), e.priority()));
            } else if (event instanceof PoolSlotGranted e) {
                out.add(new GrantPoolSlot(id(cause, "grant", e.runId(), e.taskId(), e.attempt()), e.holderPipelineId(),
                        e.runId(), e.taskId(), e.attempt(), e.pool()));
            } else if (event instanceof CommandRejected r && r.code() == RejectionCode.UNKNOWN_POOL
                    && command instanceof AcquirePoolSlot a) {
                out.add(new DenyPoolSlot(id(cause, "deny", a.runId(), a.taskId(), a.attempt()), a.holderPipelineId(),
                        a.runId(), a.taskId(), a.attempt(), a.pool(), r.message()));
            } else if (!(command instanceof DenyPoolSlot)) {
                attemptEnded(event).flatMap(ended -> release(before, ended, cause)).ifPresent(out::add);
            }
        }
        if (command instanceof GrantPoolSlot g && !waitsOrHolds(before, g)) {
            // the attempt no longer waits (its run was canceled, or it was released meanwhile): give the slot back
            out.add(new ReleasePoolSlot(id(cause, "release", g.runId(), g.taskId(), g.attempt()), g.pool(),
                    g.pipelineId(), g.runId(), g.taskId(), g.attempt(), "granted after the attempt stopped waiting"));
        }
        return out;
    }

    /** The run a message concerns: the correlation id of the envelope it is sent in. */
    public static String runIdOf(SchedulerCommand message) {
        if (message instanceof AcquirePoolSlot m) {
            return m.runId();
        } else if (message instanceof ReleasePoolSlot m) {
            return m.runId();
        } else if (message instanceof GrantPoolSlot m) {
            return m.runId();
        } else if (message instanceof DenyPoolSlot m) {
            return m.runId();
        }
        return null;
    }

    /** The attempt of a task an event ends (or cancels), as (runId, taskId). */
    private record Ended(String runId, String taskId, String why) {
    }

    private static Optional<Ended> attemptEnded(SchedulerEvent event) {
        if (event instanceof TaskSucceeded e) {
            return Optional.of(new Ended(e.runId(), e.taskId(), "succeeded"));
        } else if (event instanceof TaskFailed e) {
            return Optional.of(new Ended(e.runId(), e.taskId(), "failed"));
        } else if (event instanceof TaskTimedOut e) {
            return Optional.of(new Ended(e.runId(), e.taskId(), "timed out"));
        } else if (event instanceof TaskLost e) {
            return Optional.of(new Ended(e.runId(), e.taskId(), "lost"));
        } else if (event instanceof TaskCanceled e) {
            return Optional.of(new Ended(e.runId(), e.taskId(), "canceled"));
        }
        return Optional.empty();
    }

    /** A release for the task's attempt if, before the decision, it held or waited for a pool slot. */
    private static Optional<SchedulerCommand> release(SchedulerState before, Ended ended, String cause) {
        Optional<RunState> run = before.activeRun(ended.runId());
        if (run.isEmpty()) {
            return Optional.empty();
        }
        TaskState task = run.get().tasks().get(ended.taskId());
        if (task == null) {
            return Optional.empty();
        }
        String pool = before.revisionOf(run.get()).spec().task(ended.taskId())
                .map(s -> s.options().pool()).orElse(null);
        boolean holdsOrWaits = task.status().inFlight() || task.awaitingPool() != null;
        if (pool == null || !holdsOrWaits) {
            return Optional.empty();
        }
        return Optional.of(new ReleasePoolSlot(id(cause, "release", ended.runId(), ended.taskId(), task.attempt()),
                pool, run.get().pipelineId(), ended.runId(), ended.taskId(), task.attempt(), "attempt " + ended.why()));
    }

    private static boolean waitsOrHolds(SchedulerState before, GrantPoolSlot g) {
        return before.activeRun(g.runId()).map(r -> r.tasks().get(g.taskId()))
                .filter(t -> t.attempt() == g.attempt())
                .filter(t -> t.status().inFlight() || (t.status() == TaskStatus.QUEUED
                        && g.pool().equals(t.awaitingPool())))
                .isPresent();
    }

    private static String id(String cause, String kind, String runId, String taskId, int attempt) {
        return cause + ">" + kind + ":" + Pools.holder(runId, taskId, attempt);
    }
}
