package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerCommand.AcquirePoolSlot;
import dev.drover.scheduler.core.SchedulerCommand.DefinePool;
import dev.drover.scheduler.core.SchedulerCommand.ReleasePoolSlot;
import dev.drover.scheduler.core.SchedulerEvent.PoolDefined;
import dev.drover.scheduler.core.SchedulerEvent.PoolSlotGranted;
import dev.drover.scheduler.core.SchedulerEvent.PoolSlotQueued;
import dev.drover.scheduler.core.SchedulerEvent.PoolSlotReleased;
import dev.drover.scheduler.pipeline.Limits;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides the commands of a pool aggregate (see {@code docs/limits.md}). Pure, like {@link SchedulerDecider}: it
 * works on a private copy of the pool, through the same {@link PoolState#apply} that evolves the real one.
 *
 * <p>Every command is idempotent on the slot holder ({@code <runId>/<taskId>/<attempt>}): acquiring a slot the
 * attempt holds or waits for, and releasing one it neither holds nor waits for, decide nothing.
 */
final class PoolDecider {

    private PoolDecider() {
    }

    static Decision decide(SchedulerState state, SchedulerCommand command, Instant now) {
        if (command instanceof DefinePool c) {
            return define(state, c, now);
        } else if (command instanceof AcquirePoolSlot c) {
            return acquire(state, c, now);
        } else if (command instanceof ReleasePoolSlot c) {
            return release(state, c, now);
        }
        throw new IllegalArgumentException("no decision for " + command.getClass().getSimpleName());
    }

    private static Decision define(SchedulerState state, DefinePool c, Instant now) {
        if (c.pool() == null || !Limits.POOL.matcher(c.pool()).matches()) {
            return Decision.reject(c, RejectionCode.INVALID_POOL, "`" + c.pool() + "` is not a valid pool name; use 1 "
                    + "to 63 lowercase letters, digits, _ and -, starting with a letter or digit (e.g. gpu)");
        }
        if (c.slots() < 0 || c.slots() > Limits.MAX_SLOTS) {
            return Decision.reject(c, RejectionCode.INVALID_POOL, "slots must be from 0 to " + Limits.MAX_SLOTS
                    + " (0 pauses the pool: nothing new starts), got " + c.slots());
        }
        PoolState pool = copy(state.pool(c.pool()).orElseGet(() -> new PoolState(c.pool())));
        List<SchedulerEvent> events = new ArrayList<>();
        emit(pool, events, new PoolDefined(c.pool(), c.slots(), c.description() == null ? "" : c.description(),
                c.requestedBy(), now));
        grantFree(pool, events, now);
        return Decision.of(events);
    }

    private static Decision acquire(SchedulerState state, AcquirePoolSlot c, Instant now) {
        Optional<PoolState> existing = state.pool(c.pool());
        if (existing.isEmpty()) {
            return Decision.reject(c, RejectionCode.UNKNOWN_POOL, "pool `" + c.pool() + "` does not exist; create it "
                    + "with PUT /api/v1/pools/" + c.pool() + " {\"slots\": N} (task " + c.taskId() + " of run "
                    + c.runId() + " names it)");
        }
        PoolState pool = copy(existing.get());
        String holder = Pools.holder(c.runId(), c.taskId(), c.attempt());
        if (pool.holders.containsKey(holder) || pool.queued(holder).isPresent()) {
            return Decision.nothing(); // a repeated request: already granted or queued
        }
        List<SchedulerEvent> events = new ArrayList<>();
        if (pool.queue.isEmpty() && pool.holders.size() < pool.slots) {
            emit(pool, events, new PoolSlotGranted(c.pool(), c.holderPipelineId(), c.runId(), c.taskId(), c.attempt(),
                    c.priority(), now));
        } else {
            emit(pool, events, new PoolSlotQueued(c.pool(), c.holderPipelineId(), c.runId(), c.taskId(), c.attempt(),
                    c.priority(), now));
        }
        return Decision.of(events);
    }

    private static Decision release(SchedulerState state, ReleasePoolSlot c, Instant now) {
        Optional<PoolState> existing = state.pool(c.pool());
        if (existing.isEmpty()) {
            return Decision.nothing(); // its acquire was denied: nothing to give back
        }
        PoolState pool = copy(existing.get());
        String holder = Pools.holder(c.runId(), c.taskId(), c.attempt());
        boolean held = pool.holders.containsKey(holder);
        if (!held && pool.queued(holder).isEmpty()) {
            return Decision.nothing(); // released before, or never asked for
        }
        List<SchedulerEvent> events = new ArrayList<>();
        emit(pool, events, new PoolSlotReleased(c.pool(), c.holderPipelineId(), c.runId(), c.taskId(), c.attempt(),
                held, c.reason() == null ? "" : c.reason(), now));
        grantFree(pool, events, now);
        return Decision.of(events);
    }

    /** Grants free slots to waiting attempts, highest priority first, then first come. */
    private static void grantFree(PoolState pool, List<SchedulerEvent> events, Instant now) {
        while (pool.holders.size() < pool.slots) {
            Optional<PoolState.Slot> next = pool.next();
            if (next.isEmpty()) {
                return;
            }
            PoolState.Slot s = next.get();
            emit(pool, events, new PoolSlotGranted(pool.name, s.pipelineId(), s.runId(), s.taskId(), s.attempt(),
                    s.priority(), now));
        }
    }

    private static void emit(PoolState pool, List<SchedulerEvent> events, SchedulerEvent event) {
        events.add(event);
        pool.apply(event);
    }

    private static PoolState copy(PoolState p) {
        return PoolState.restore(p.name, p.slots, p.description, new ArrayList<>(p.holders.values()),
                new ArrayList<>(p.queue));
    }
}
