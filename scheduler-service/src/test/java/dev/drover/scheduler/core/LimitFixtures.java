package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.PoolDefined;
import dev.drover.scheduler.core.SchedulerEvent.PoolSlotGranted;
import dev.drover.scheduler.core.SchedulerEvent.PoolSlotQueued;
import dev.drover.scheduler.core.SchedulerEvent.PoolSlotReleased;
import dev.drover.scheduler.core.SchedulerEvent.TaskAwaitingPool;
import dev.drover.scheduler.core.SchedulerEvent.TaskQueued;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.TaskSpec;

import java.time.Instant;

import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.USER;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;

/** The nouns of the limit tests: maxActiveTasks, pools and priorities (see {@link SchedulerFixtures}). */
final class LimitFixtures {
    static final String POOL = "gpu";

    private LimitFixtures() {
    }

    /** A pipeline whose runs may have at most {@code max} tasks out at once. */
    static PipelineSpec limited(int max, TaskSpec... tasks) {
        PipelineSpec spec = pipeline(tasks);
        return spec.withOptions(spec.options().withMaxActiveTasks(max));
    }

    static TaskSpec priority(int priority, TaskSpec t) {
        return t.withOptions(t.options().withPriority(priority));
    }

    static TaskSpec inPool(String pool, TaskSpec t) {
        return t.withOptions(t.options().withPool(pool));
    }

    static TaskQueued queued(String runId, String taskId, int attempt, int max) {
        return new TaskQueued(PIPELINE, runId, taskId, attempt,
                "waiting for one of the run's " + max + " task slots (maxActiveTasks)");
    }

    static TaskAwaitingPool awaitingPool(String runId, String taskId, int attempt, String pool, int priority) {
        return new TaskAwaitingPool(PIPELINE, runId, taskId, attempt, pool, priority);
    }

    static PoolDefined poolDefined(String pool, int slots, Instant at) {
        return new PoolDefined(pool, slots, "", USER, at);
    }

    static PoolSlotGranted granted(String pipelineId, String runId, String taskId, int attempt, int priority,
                                   Instant at) {
        return new PoolSlotGranted(POOL, pipelineId, runId, taskId, attempt, priority, at);
    }

    static PoolSlotQueued poolQueued(String pipelineId, String runId, String taskId, int attempt, int priority,
                                     Instant at) {
        return new PoolSlotQueued(POOL, pipelineId, runId, taskId, attempt, priority, at);
    }

    static PoolSlotReleased released(String pipelineId, String runId, String taskId, int attempt, boolean held,
                                     String reason, Instant at) {
        return new PoolSlotReleased(POOL, pipelineId, runId, taskId, attempt, held, reason, at);
    }

    static SchedulerCommand.DefinePool definePool(String pool, int slots) {
        return new SchedulerCommand.DefinePool("define-" + pool + "-" + slots, pool, slots, "", USER);
    }

    static SchedulerCommand.AcquirePoolSlot acquire(String pipelineId, String runId, String taskId, int attempt,
                                                    int priority) {
        return new SchedulerCommand.AcquirePoolSlot("acquire-" + runId + "-" + taskId + "-" + attempt, POOL,
                pipelineId, runId, taskId, attempt, priority);
    }

    static SchedulerCommand.ReleasePoolSlot release(String pipelineId, String runId, String taskId, int attempt) {
        return new SchedulerCommand.ReleasePoolSlot("release-" + runId + "-" + taskId + "-" + attempt, POOL,
                pipelineId, runId, taskId, attempt, "attempt succeeded");
    }

    static SchedulerCommand.GrantPoolSlot grant(String runId, String taskId, int attempt) {
        return new SchedulerCommand.GrantPoolSlot("grant-" + runId + "-" + taskId + "-" + attempt, PIPELINE, runId,
                taskId, attempt, POOL);
    }

    static SchedulerCommand.DenyPoolSlot deny(String runId, String taskId, int attempt, String reason) {
        return new SchedulerCommand.DenyPoolSlot("deny-" + runId + "-" + taskId + "-" + attempt, PIPELINE, runId,
                taskId, attempt, POOL, reason);
    }
}
