package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.AssetRunTriggered;
import dev.drover.scheduler.core.SchedulerEvent.AssetUpdateRecorded;
import dev.drover.scheduler.pipeline.Trigger;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What a pipeline's {@code assets} triggers have seen (part of {@link PipelineState}; changed only by
 * {@link #apply}): for each trigger, the updates of its assets recorded since it last started a run, and the ids of
 * the most recent updates recorded, so that an update delivered again is recognised.
 *
 * <p>Triggers are identified by {@link AssetTriggering#key}, so a new revision that keeps a trigger keeps what it had
 * seen, and one that drops it stops counting for it.
 */
public final class AssetWatch {
    /**
     * How many update ids are remembered to recognise a redelivered update. The router redelivers within seconds
     * (an unacknowledged record, a restart), so this bounds state without letting a real repeat through.
     */
    public static final int REMEMBERED_UPDATES = 10_000;

    /** Trigger key → updates since its last run, in recording order. */
    private final Map<String, List<AssetRef>> pending = new LinkedHashMap<>();
    private final LinkedHashSet<String> recent = new LinkedHashSet<>();

    /** Whether an update with this id was recorded (among the last {@link #REMEMBERED_UPDATES}). */
    public boolean seen(String updateId) {
        return recent.contains(updateId);
    }

    /** The updates a trigger has seen since its last run; empty if none. */
    public List<AssetRef> pending(String triggerKey) {
        return Collections.unmodifiableList(pending.getOrDefault(triggerKey, List.of()));
    }

    /** Every trigger's pending updates (for snapshots). */
    public Map<String, List<AssetRef>> pending() {
        return Collections.unmodifiableMap(pending);
    }

    /** The remembered update ids, oldest first (for snapshots). */
    public List<String> recent() {
        return List.copyOf(recent);
    }

    /** Applies an event of this pipeline; {@code triggers} are the asset triggers of its latest revision. */
    void apply(SchedulerEvent event, List<Trigger.Assets> triggers) {
        if (event instanceof AssetUpdateRecorded e) {
            remember(e.updateId());
            for (Trigger.Assets t : triggers) {
                if (t.uris().contains(e.uri())) {
                    pending.computeIfAbsent(AssetTriggering.key(t), k -> new ArrayList<>())
                            .add(new AssetRef(e.uri(), e.updateId()));
                }
            }
        } else if (event instanceof AssetRunTriggered e) {
            pending.remove(e.trigger());
            // consumed updates must never count again (they were remembered when recorded; this keeps it so)
            e.updates().forEach(u -> remember(u.updateId()));
        }
    }

    private void remember(String updateId) {
        recent.add(updateId);
        if (recent.size() > REMEMBERED_UPDATES) {
            Iterator<String> oldest = recent.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Puts back what a snapshot holds. */
    public void restore(Map<String, List<AssetRef>> pending, List<String> recent) {
        this.pending.clear();
        pending.forEach((k, v) -> this.pending.put(k, new ArrayList<>(v)));
        this.recent.clear();
        this.recent.addAll(recent);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AssetWatch w && pending.equals(w.pending) && List.copyOf(recent).equals(w.recent());
    }

    @Override
    public int hashCode() {
        return pending.hashCode();
    }
}
