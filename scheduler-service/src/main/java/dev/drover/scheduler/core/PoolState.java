package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.PoolDefined;
import dev.drover.scheduler.core.SchedulerEvent.PoolSlotGranted;
import dev.drover.scheduler.core.SchedulerEvent.PoolSlotQueued;
import dev.drover.scheduler.core.SchedulerEvent.PoolSlotReleased;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pool: a named number of slots shared by every pipeline (Airflow's pools). An attempt of a task that names the
 * pool holds one slot while it is dispatched or running. Changed only by {@link #apply}, live and during replay.
 */
public final class PoolState {
    /** One attempt that holds a slot or waits for one, named by its {@link Pools#holder holder id}. */
    public record Slot(String pipelineId, String runId, String taskId, int attempt, int priority, Instant since) {
        public String holder() {
            return Pools.holder(runId, taskId, attempt);
        }
    }

    /** Who waits first: higher priority, then earlier arrival (the queue is kept in arrival order). */
    static final Comparator<Slot> GRANT_ORDER = Comparator.comparingInt(Slot::priority).reversed();

    final String name;
    int slots;
    String description;
    final Map<String, Slot> holders = new LinkedHashMap<>();
    final List<Slot> queue = new ArrayList<>();

    PoolState(String name) {
        this.name = name;
    }

    /** Rebuilds a pool from a snapshot; {@code queue} in arrival order. */
    public static PoolState restore(String name, int slots, String description, List<Slot> holders, List<Slot> queue) {
        PoolState p = new PoolState(name);
        p.slots = slots;
        p.description = description;
        holders.forEach(h -> p.holders.put(h.holder(), h));
        p.queue.addAll(queue);
        return p;
    }

    void apply(SchedulerEvent event) {
        if (event instanceof PoolDefined e) {
            slots = e.slots();
            description = e.description();
        } else if (event instanceof PoolSlotQueued e) {
            queue.add(new Slot(e.holderPipelineId(), e.runId(), e.taskId(), e.attempt(), e.priority(), e.at()));
        } else if (event instanceof PoolSlotGranted e) {
            String holder = Pools.holder(e.runId(), e.taskId(), e.attempt());
            queue.removeIf(s -> s.holder().equals(holder));
            holders.put(holder, new Slot(e.holderPipelineId(), e.runId(), e.taskId(), e.attempt(), e.priority(),
                    e.at()));
        } else if (event instanceof PoolSlotReleased e) {
            String holder = Pools.holder(e.runId(), e.taskId(), e.attempt());
            holders.remove(holder);
            queue.removeIf(s -> s.holder().equals(holder));
        } else {
            throw new IllegalStateException("no applier for " + event.getClass().getSimpleName());
        }
    }

    Optional<Slot> queued(String holder) {
        return queue.stream().filter(s -> s.holder().equals(holder)).findFirst();
    }

    /** The next attempt to be granted a slot: highest priority, then earliest. */
    Optional<Slot> next() {
        return queue.stream().min(GRANT_ORDER);
    }

    public String name() {
        return name;
    }

    public int slots() {
        return slots;
    }

    public String description() {
        return description;
    }

    /** Attempts holding a slot, in grant order. */
    public Collection<Slot> holders() {
        return Collections.unmodifiableCollection(holders.values());
    }

    /** Attempts waiting for a slot, in arrival order ({@link #next()} picks by priority first). */
    public List<Slot> queue() {
        return Collections.unmodifiableList(queue);
    }
}
