package dev.drover.bench;

import dev.drover.schemas.run.event.RunFinished;
import dev.drover.schemas.run.event.RunStarted;
import dev.drover.schemas.run.event.TaskDispatched;
import dev.drover.schemas.run.event.TaskStarted;
import dev.drover.schemas.run.event.TaskSucceeded;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Follows every run in the event log: when it started and finished (event timestamps, i.e. the scheduler's decision
 * times), how many tasks started and succeeded, and — for the pipelines asked for — each task's start and success
 * time. Registered on the {@link EventTail} before any run starts, so no event is missed.
 */
final class RunTracker implements Consumer<EventTail.Event> {
    /** What is known about one run. */
    static final class RunInfo {
        final String pipelineId;
        volatile Instant startedAt;
        volatile Instant finishedAt;
        volatile String status;
        volatile int tasksStarted;
        volatile int tasksSucceeded;
        final Map<String, Instant> taskDispatchedAt;
        final Map<String, Instant> taskStartedAt;
        final Map<String, Instant> taskSucceededAt;

        RunInfo(String pipelineId, boolean detailed) {
            this.pipelineId = pipelineId;
            this.taskDispatchedAt = detailed ? new ConcurrentHashMap<>() : null;
            this.taskStartedAt = detailed ? new ConcurrentHashMap<>() : null;
            this.taskSucceededAt = detailed ? new ConcurrentHashMap<>() : null;
        }

        boolean finished() {
            return finishedAt != null;
        }
    }

    private final Map<String, RunInfo> runs = new ConcurrentHashMap<>();
    private final Set<String> detailed = ConcurrentHashMap.newKeySet();
    private volatile Instant lastTaskStartedAt = Instant.EPOCH;

    /** Records per-task times for runs of this pipeline. */
    void detail(String pipelineId) {
        detailed.add(pipelineId);
    }

    @Override
    public void accept(EventTail.Event e) {
        Object p = e.payload();
        Instant ts = e.envelope().getTimestamp();
        if (p instanceof RunStarted s) {
            RunInfo r = runs.computeIfAbsent(s.getRunId(),
                    id -> new RunInfo(e.envelope().getPipelineId(), detailed.contains(e.envelope().getPipelineId())));
            r.startedAt = ts;
        } else if (p instanceof TaskDispatched s) {
            RunInfo r = runs.get(s.getRunId());
            if (r != null && r.taskDispatchedAt != null) {
                r.taskDispatchedAt.put(s.getTaskId(), ts);
            }
        } else if (p instanceof TaskStarted s) {
            RunInfo r = runs.get(s.getRunId());
            if (r != null) {
                r.tasksStarted++;
                if (r.taskStartedAt != null) {
                    r.taskStartedAt.put(s.getTaskId(), ts);
                }
            }
            lastTaskStartedAt = ts;
        } else if (p instanceof TaskSucceeded s) {
            RunInfo r = runs.get(s.getRunId());
            if (r != null) {
                r.tasksSucceeded++;
                if (r.taskSucceededAt != null) {
                    r.taskSucceededAt.put(s.getTaskId(), ts);
                }
            }
        } else if (p instanceof RunFinished f) {
            RunInfo r = runs.get(f.getRunId());
            if (r != null) {
                r.status = f.getStatus().name();
                r.finishedAt = ts; // written last: readers that see it finished see the rest
            }
        }
    }

    RunInfo run(String runId) {
        return runs.get(runId);
    }

    /** Timestamp of the latest TaskStarted seen (the scheduler's clock). */
    Instant lastTaskStartedAt() {
        return lastTaskStartedAt;
    }

    boolean finished(String runId) {
        RunInfo r = runs.get(runId);
        return r != null && r.finished();
    }

    /** Waits until every run has finished; fails after {@code timeout}. */
    void awaitFinished(Collection<String> runIds, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String id : runIds) {
            while (!finished(id)) {
                if (System.nanoTime() > deadline) {
                    RunInfo r = runs.get(id);
                    throw new IllegalStateException("run " + id + " did not finish within " + timeout + " ("
                            + (r == null ? "not started" : r.tasksSucceeded + " tasks succeeded") + ")");
                }
                Thread.sleep(5);
            }
        }
    }
}
