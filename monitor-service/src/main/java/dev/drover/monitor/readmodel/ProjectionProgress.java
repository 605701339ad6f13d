package dev.drover.monitor.readmodel;

import java.time.Duration;

/** How far the read model has projected the monitor's event log: what read-your-writes waits on. */
public interface ProjectionProgress {

    /** Whether the event at {@code offset} of events partition {@code partition} is in the read model. */
    boolean hasProjected(int partition, long offset);

    /** Waits until {@link #hasProjected} holds or the timeout passes; returns whether it holds. */
    boolean awaitProjected(int partition, long offset, Duration timeout);
}
