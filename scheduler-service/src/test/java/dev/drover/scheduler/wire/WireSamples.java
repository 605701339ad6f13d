package dev.drover.scheduler.wire;

import dev.drover.scheduler.schedule.DataInterval;

import dev.drover.scheduler.core.RejectionCode;
import dev.drover.scheduler.core.RunStatus;
import dev.drover.scheduler.core.SchedulerCommand;
import dev.drover.scheduler.core.SchedulerEvent;
import dev.drover.scheduler.pipeline.ParameterSpec;
import dev.drover.scheduler.pipeline.ParameterType;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.RetryPolicy;
import dev.drover.scheduler.pipeline.TaskSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Commands and events with every field set, and again with every optional field null. */
final class WireSamples {
    static final String P = "train-model";
    static final String RUN = P + ".7";
    static final Instant T = Instant.parse("2025-05-06T07:08:09.123Z");

    private WireSamples() {
    }

    static PipelineSpec spec() {
        Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
        parameters.put("epochs", new ParameterSpec(ParameterType.INTEGER, 3L, "passes over the data"));
        parameters.put("lr", new ParameterSpec(ParameterType.NUMBER, 0.01, ""));
        parameters.put("dataset", new ParameterSpec(ParameterType.STRING, null, "required"));
        parameters.put("dryRun", new ParameterSpec(ParameterType.BOOLEAN, false, ""));
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("EPOCHS", "{{ params.epochs }}");
        env.put("SEED", 42L);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("command", "python train.py --lr {{ params.lr }}");
        config.put("env", env);
        config.put("args", List.of("--verbose", 1L, 2.5, true));
        RetryPolicy retry = new RetryPolicy(2, Duration.ofSeconds(5), 2.0, Duration.ofMinutes(1), 0.1);
        return new PipelineSpec(P, "trains a model", parameters, List.of(
                new TaskSpec("prepare", "shell", List.of(), Map.of("command", "make data"), RetryPolicy.NONE,
                        Duration.ofMinutes(10), "default"),
                new TaskSpec("train", "shell", List.of("prepare"), config, retry, Duration.ofHours(2), "gpu")));
    }

    static Map<String, Object> json() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("auc", 0.91);
        nested.put("none", null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("epochs", 3L);
        out.put("accuracy", 0.875);
        out.put("model", "s3://models/7");
        out.put("ok", true);
        out.put("tags", List.of("a", 2L));
        out.put("metrics", nested);
        return out;
    }

    /** One of each command with every field set, then the optional fields null. */
    static List<SchedulerCommand> commands() {
        List<SchedulerCommand> out = new ArrayList<>(List.of(
                new SchedulerCommand.RegisterPipeline("c1", P, spec(), "abc123", "alice"),
                new SchedulerCommand.RequestRun("c2", P, RUN, json(), "manual", "alice"),
                new SchedulerCommand.CancelRun("c3", P, RUN, "not needed", "alice"),
                new SchedulerCommand.ReportTaskStarted("c4", P, RUN, "train", 1, "executor-1"),
                new SchedulerCommand.ReportTaskHeartbeat("c5", P, RUN, "train", 1, "executor-1"),
                new SchedulerCommand.ReportTaskSucceeded("c6", P, RUN, "train", 1, "executor-1", json()),
                new SchedulerCommand.ReportTaskFailed("c7", P, RUN, "train", 2, "executor-1", "exit 3", 3),
                new SchedulerCommand.TimeOutTask("c8", P, RUN, "train", 1),
                new SchedulerCommand.ExpireTaskLease("c9", P, RUN, "train", 1),
                new SchedulerCommand.DispatchRetry("c10", P, RUN, "train", 2),
                new SchedulerCommand.ReportTaskRescheduled("c11", P, RUN, "wait", 1, "executor-1", 3,
                        "no file matches /data/*.csv"),
                new SchedulerCommand.ReportTaskStarted("c12", P, RUN, "wait", 1, "executor-1", 4),
                new SchedulerCommand.ReportTaskHeartbeat("c13", P, RUN, "wait", 1, "executor-1", 4),
                new SchedulerCommand.ReportTaskSucceeded("c14", P, RUN, "wait", 1, "executor-1", json(), 4),
                new SchedulerCommand.ReportTaskFailed("c15", P, RUN, "wait", 1, "executor-1", "boom", null, 4),
                new SchedulerCommand.RecordAssetUpdate("c16", P, "s3://b/features", "feat.1/build/1/s3://b/features",
                        "feat", "feat.1", "build", T),
                new SchedulerCommand.PublishAssetUpdate("c17", "_assets", "s3://b/features", json(), "alice"),
                new SchedulerCommand.ClearTasks("c18", P, RUN, List.of("train", "evaluate"), true, "alice"),
                new SchedulerCommand.MarkTask("c19", P, RUN, "train", dev.drover.scheduler.core.TaskStatus.SUCCEEDED,
                        "alice"),
                new SchedulerCommand.MarkTask("c20", P, RUN, "train", dev.drover.scheduler.core.TaskStatus.FAILED,
                        "alice"),
                new SchedulerCommand.CheckRunDeadline("c21", P, RUN),
                new SchedulerCommand.CheckTaskDeadline("c22", P, RUN, "train")));
        out.addAll(List.of(
                new SchedulerCommand.RegisterPipeline("n1", P, spec(), "abc123", null),
                new SchedulerCommand.RequestRun("n2", P, null, null, null, null),
                new SchedulerCommand.RequestRun("n2b", P, null, Map.of(), "api", null),
                new SchedulerCommand.CancelRun("n3", P, RUN, null, null),
                new SchedulerCommand.ReportTaskSucceeded("n6", P, RUN, "train", 1, "executor-1", null),
                new SchedulerCommand.ReportTaskFailed("n7", P, RUN, "train", 1, "executor-1", null, null),
                new SchedulerCommand.ReportTaskRescheduled("n11", P, RUN, "wait", 1, "executor-1", 1, null),
                new SchedulerCommand.RecordAssetUpdate("n12", P, "asset:x", "external/k", null, null, null, T),
                new SchedulerCommand.PublishAssetUpdate("n13", "_assets", "asset:x", Map.of(), null),
                new SchedulerCommand.ClearTasks("n14", P, RUN, List.of("train"), false, null),
                new SchedulerCommand.MarkTask("n15", P, RUN, "train", dev.drover.scheduler.core.TaskStatus.FAILED,
                        null),
                new SchedulerCommand.DefinePool("p1", "gpu", 4, "the A100s", "alice"),
                new SchedulerCommand.DefinePool("p1n", "gpu", 0, null, null),
                new SchedulerCommand.AcquirePoolSlot("p2", "gpu", P, RUN, "train", 1, 7),
                new SchedulerCommand.ReleasePoolSlot("p3", "gpu", P, RUN, "train", 1, "attempt failed"),
                new SchedulerCommand.ReleasePoolSlot("p3n", "gpu", P, RUN, "train", 1, null),
                new SchedulerCommand.GrantPoolSlot("p4", P, RUN, "train", 1, "gpu"),
                new SchedulerCommand.DenyPoolSlot("p5", P, RUN, "train", 1, "gpu", "pool `gpu` does not exist")));
        out.addAll(List.of(
                new SchedulerCommand.FireSchedule("s1", P, T),
                new SchedulerCommand.PausePipeline("s2", P, "data source down", "alice"),
                new SchedulerCommand.PausePipeline("s2n", P, null, null),
                new SchedulerCommand.ResumePipeline("s3", P, "alice"),
                new SchedulerCommand.RequestBackfill("s4", P, T, T.plusSeconds(86_400 * 30), 4, json(), "alice"),
                new SchedulerCommand.RequestBackfill("s4n", P, T, T.plusSeconds(60), 1, null, null),
                new SchedulerCommand.CancelBackfill("s5", P, P + ".backfill-1", "wrong range", "alice"),
                new SchedulerCommand.CancelBackfill("s5n", P, P + ".backfill-1", null, null)));
        return out;
    }

    /** One of each event with every field set, then the optional fields null, every status and every code. */
    static List<SchedulerEvent> events() {
        List<SchedulerEvent> out = new ArrayList<>(List.of(
                new SchedulerEvent.PipelineRegistered(P, 2, spec(), "abc123", "alice", T),
                new SchedulerEvent.RunStarted(P, RUN, 2, json(), "manual", "alice", T),
                new SchedulerEvent.TaskDispatched(P, RUN, "train", 1, "shell", "gpu", json(), 7_200_000L, T),
                new SchedulerEvent.TaskStarted(P, RUN, "train", 1, "executor-1", T.plusSeconds(30),
                        T.plusSeconds(7200), T),
                new SchedulerEvent.TaskLeaseRenewed(P, RUN, "train", 1, T.plusSeconds(60)),
                new SchedulerEvent.TaskSucceeded(P, RUN, "train", 1, json(), T),
                new SchedulerEvent.TaskFailed(P, RUN, "train", 1, "exit 3", 3, T),
                new SchedulerEvent.TaskTimedOut(P, RUN, "train", 1, T),
                new SchedulerEvent.TaskLost(P, RUN, "train", 1, "executor-1", T),
                new SchedulerEvent.TaskRetryScheduled(P, RUN, "train", 2, T.plusSeconds(5)),
                new SchedulerEvent.TaskFailedFinally(P, RUN, "train", 3, "no attempts left"),
                new SchedulerEvent.TaskUpstreamFailed(P, RUN, "evaluate", "train"),
                new SchedulerEvent.TaskCanceled(P, RUN, "train", 0),
                new SchedulerEvent.TaskSkipped(P, RUN, "deploy", "when `params.deploy` was false"),
                new SchedulerEvent.TaskExpanded(P, RUN, "train", java.util.Arrays.asList("a", 2L, 0.5, true, null,
                        List.of(1L), Map.of("k", "v"))),
                new SchedulerEvent.RunFinished(P, RUN, RunStatus.SUCCEEDED, "all tasks succeeded", T),
                new SchedulerEvent.CommandRejected(P, "c4", RejectionCode.STALE_ATTEMPT, "attempt 1 is over"),
                new SchedulerEvent.TaskRescheduled(P, RUN, "wait", 1, 2, "no file matches /data/*.csv",
                        T.plusSeconds(30), T),
                new SchedulerEvent.TaskDispatched(P, RUN, "wait", 1, "wait_for_file", "default", json(), 60_000L, T,
                        3),
                new SchedulerEvent.AssetUpdated(P, RUN, "train", "s3://b/m", RUN + "/train/1/s3://b/m", json(), T),
                new SchedulerEvent.AssetUpdateRecorded(P, "s3://b/m", "u1", "feat", "feat.1", "build",
                        T.minusSeconds(1), T),
                new SchedulerEvent.AssetRunTriggered(P, P + ".asset-0123", "all:[s3://b/m, s3://b/n]",
                        List.of(new dev.drover.scheduler.core.AssetRef("s3://b/m", "u1"),
                                new dev.drover.scheduler.core.AssetRef("s3://b/n", "u2"))),
                new SchedulerEvent.TasksCleared(P, RUN, List.of("train", "evaluate"), true, "alice", T),
                new SchedulerEvent.RunReopened(P, RUN, "alice", T),
                new SchedulerEvent.TaskMarked(P, RUN, "train", dev.drover.scheduler.core.TaskStatus.SUCCEEDED, 2,
                        "alice", T),
                new SchedulerEvent.TaskMarked(P, RUN, "train", dev.drover.scheduler.core.TaskStatus.FAILED, 0,
                        "alice", T),
                new SchedulerEvent.RunDeadlineMissed(P, RUN, 3_600_000L, T),
                new SchedulerEvent.TaskDeadlineMissed(P, RUN, "train", 600_000L, T)));
        out.addAll(List.of(
                new SchedulerEvent.PipelineRegistered(P, 1, spec(), "abc123", null, T),
                new SchedulerEvent.RunStarted(P, RUN, 1, Map.of(), null, null, T),
                new SchedulerEvent.TaskDispatched(P, RUN, "prepare", 1, "noop", "default", Map.of(), 0L, T),
                new SchedulerEvent.TaskStarted(P, RUN, "train", 1, "executor-1", T.plusSeconds(30), null, T),
                new SchedulerEvent.TaskSucceeded(P, RUN, "train", 1, Map.of(), T),
                new SchedulerEvent.TaskFailed(P, RUN, "train", 1, null, null, T),
                new SchedulerEvent.TaskLost(P, RUN, "train", 1, null, T),
                new SchedulerEvent.TaskFailedFinally(P, RUN, "train", 1, null),
                new SchedulerEvent.RunFinished(P, RUN, RunStatus.FAILED, null, T),
                new SchedulerEvent.AssetUpdated("_assets", null, null, "asset:x", "external/k", Map.of(), T),
                new SchedulerEvent.AssetUpdateRecorded(P, "asset:x", "external/k", null, null, null, T, T),
                new SchedulerEvent.AssetRunTriggered(P, P + ".asset-4567", "any:[asset:x]", List.of()),
                new SchedulerEvent.TasksCleared(P, RUN, List.of("train"), false, null, T),
                new SchedulerEvent.RunReopened(P, RUN, null, T),
                new SchedulerEvent.TaskMarked(P, RUN, "train", dev.drover.scheduler.core.TaskStatus.FAILED, 0, null,
                        T)));
        out.addAll(List.of(
                new SchedulerEvent.TaskQueued(P, RUN, "train", 2, "waiting for one of the run's 2 task slots"),
                new SchedulerEvent.TaskAwaitingPool(P, RUN, "train", 1, "gpu", -5),
                new SchedulerEvent.PoolDefined("gpu", 4, "the A100s", "alice", T),
                new SchedulerEvent.PoolDefined("gpu", 0, "", null, T),
                new SchedulerEvent.PoolSlotQueued("gpu", P, RUN, "train", 1, 10, T),
                new SchedulerEvent.PoolSlotGranted("gpu", P, RUN, "train", 1, 10, T),
                new SchedulerEvent.PoolSlotReleased("gpu", P, RUN, "train", 1, true, "attempt succeeded", T)));
        DataInterval day = new DataInterval(T, T.plusSeconds(86_400));
        out.addAll(List.of(
                new SchedulerEvent.RunStarted(P, P + ".2025-05-06T07-08Z", 2, json(), "backfill", "alice", T, day,
                        P + ".backfill-1"),
                new SchedulerEvent.RunQueued(P, RUN, 2, json(), "schedule", "scheduler", day, "pipeline is paused", T),
                new SchedulerEvent.RunQueued(P, RUN, 2, Map.of(), null, null, null, "earlier runs are queued", T),
                new SchedulerEvent.PipelinePaused(P, "data source down", "alice", T),
                new SchedulerEvent.PipelinePaused(P, null, null, T),
                new SchedulerEvent.PipelineResumed(P, "alice", T),
                new SchedulerEvent.PipelineResumed(P, null, T),
                new SchedulerEvent.ScheduledRunSkipped(P, RUN, day, "pipeline paused by alice", T),
                new SchedulerEvent.BackfillRequested(P, P + ".backfill-1", T, T.plusSeconds(86_400 * 30), 4, json(), 2,
                        T, 30, "alice", T),
                new SchedulerEvent.BackfillRequested(P, P + ".backfill-2", T, T.plusSeconds(60), 1, Map.of(), 1, null,
                        0, null, T),
                new SchedulerEvent.BackfillIntervalSkipped(P, P + ".backfill-1", RUN, day, "run exists"),
                new SchedulerEvent.BackfillFinished(P, P + ".backfill-1", "COMPLETED", "all done", T),
                new SchedulerEvent.BackfillFinished(P, P + ".backfill-1", "CANCELED", null, T)));
        for (RunStatus status : RunStatus.values()) {
            out.add(new SchedulerEvent.RunFinished(P, RUN, status, "status " + status, T));
        }
        for (RejectionCode code : RejectionCode.values()) {
            out.add(new SchedulerEvent.CommandRejected(P, "c-" + code, code, "code " + code));
        }
        return out;
    }
}
