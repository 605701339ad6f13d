package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerCommand.CheckRunDeadline;
import dev.drover.scheduler.core.SchedulerCommand.CheckTaskDeadline;
import dev.drover.scheduler.core.SchedulerCommand.ClearTasks;
import dev.drover.scheduler.core.SchedulerCommand.MarkTask;
import dev.drover.scheduler.core.SchedulerEvent.RunReopened;
import dev.drover.scheduler.core.SchedulerEvent.TaskMarked;
import dev.drover.scheduler.core.SchedulerEvent.TasksCleared;
import dev.drover.scheduler.pipeline.TaskSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.USER;

/** The nouns of the rerun and deadline tests, next to {@link SchedulerFixtures}. */
final class RerunFixtures {
    private RerunFixtures() {
    }

    static TaskSpec withDeadline(TaskSpec t, Duration deadline) {
        return t.withOptions(t.options().withDeadline(deadline));
    }

    // ---- commands

    static ClearTasks clear(String runId, String taskId, boolean downstream) {
        return new ClearTasks("clear-" + taskId + "-" + downstream, PIPELINE, runId, List.of(taskId), downstream,
                USER);
    }

    static MarkTask mark(String runId, String taskId, TaskStatus status) {
        return new MarkTask("mark-" + taskId + "-" + status, PIPELINE, runId, taskId, status, USER);
    }

    static CheckRunDeadline checkRunDeadline(String runId) {
        return new CheckRunDeadline("deadline-" + runId, PIPELINE, runId);
    }

    static CheckTaskDeadline checkTaskDeadline(String runId, String taskId) {
        return new CheckTaskDeadline("deadline-" + runId + "-" + taskId, PIPELINE, runId, taskId);
    }

    // ---- events

    static TasksCleared cleared(String runId, List<String> taskIds, boolean downstream, Instant at) {
        return new TasksCleared(PIPELINE, runId, taskIds, downstream, USER, at);
    }

    static RunReopened reopened(String runId, Instant at) {
        return new RunReopened(PIPELINE, runId, USER, at);
    }

    static TaskMarked marked(String runId, String taskId, TaskStatus status, int attempt, Instant at) {
        return new TaskMarked(PIPELINE, runId, taskId, status, attempt, USER, at);
    }
}
