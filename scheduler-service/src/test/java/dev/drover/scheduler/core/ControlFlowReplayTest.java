package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.ParameterType;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.TriggerRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.map;
import static dev.drover.scheduler.core.SchedulerFixtures.optional;
import static dev.drover.scheduler.core.SchedulerFixtures.parameters;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.register;
import static dev.drover.scheduler.core.SchedulerFixtures.reportFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.reportStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.requestRun;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerFixtures.withTriggerRule;
import static dev.drover.scheduler.core.SchedulerFixtures.withWhen;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Skips and trigger rules replay like everything else: the decisions are logged ({@code TaskSkipped},
 * {@code TaskUpstreamFailed}, {@code TaskDispatched}), so folding the log gives the state the live decisions left,
 * after every step ({@link ReplayTest.Live} checks that).
 */
class ControlFlowReplayTest {
    static final PipelineSpec SPEC = pipeline(parameters("deploy", optional(ParameterType.BOOLEAN, false)),
            task("train"),
            withWhen(task("evaluate", "train"), "has(tasks.train.outputs.model)"),
            withWhen(task("deploy", "evaluate"), "params.deploy && tasks.evaluate.outputs.auc > 0.8"),
            task("smoke-test", "deploy"),
            withTriggerRule(task("report", "smoke-test", "evaluate"), TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS),
            withTriggerRule(task("cleanup", "train"), TriggerRule.ALL_FAILED),
            withTriggerRule(task("page", "train", "evaluate"), TriggerRule.ONE_FAILED));

    @Test
    void a_branching_run_replays_to_the_state_the_live_decisions_left() {
        ReplayTest.Live live = new ReplayTest.Live();
        live.decide(register(SPEC, "branching"), seconds(0));

        // train.1: deploy is false; deploy and smoke-test are skipped, report joins, cleanup and page are skipped
        live.decide(requestRun("train.1", map("deploy", false)), seconds(0));
        live.decide(reportStarted("train.1", "train", 1, EXECUTOR), seconds(1));
        live.decide(reportSucceeded("train.1", "train", 1, EXECUTOR, map("model", "m-1")), seconds(2));
        live.decide(reportStarted("train.1", "evaluate", 1, EXECUTOR), seconds(3));
        live.decide(reportSucceeded("train.1", "evaluate", 1, EXECUTOR, map("auc", 0.9)), seconds(4));
        live.decide(reportStarted("train.1", "report", 1, EXECUTOR), seconds(5));
        live.decide(reportSucceeded("train.1", "report", 1, EXECUTOR), seconds(6));

        // train.2: train fails; cleanup and page run, the rest is upstream-failed
        live.decide(requestRun("train.2", map("deploy", true)), seconds(10));
        live.decide(reportStarted("train.2", "train", 1, EXECUTOR), seconds(11));
        live.decide(reportFailed("train.2", "train", 1, EXECUTOR, "oom", 137), seconds(12));

        assertThat(StateView.of(ReplayTest.fold(live.log))).isEqualTo(StateView.of(live.state));
        assertThat(statuses(live, "train.1")).isEmpty(); // finished
        assertThat(live.log).filteredOn(e -> e instanceof SchedulerEvent.TaskSkipped)
                .extracting(e -> ((SchedulerEvent.TaskSkipped) e).runId() + "/" + ((SchedulerEvent.TaskSkipped) e).taskId())
                .containsExactly("train.1/cleanup", "train.1/deploy", "train.1/page", "train.1/smoke-test");
        assertThat(live.log).filteredOn(e -> e instanceof SchedulerEvent.RunFinished)
                .extracting(e -> ((SchedulerEvent.RunFinished) e).status()).containsExactly(RunStatus.SUCCEEDED);
        assertThat(statuses(live, "train.2")).containsExactly(
                "train=FAILED", "evaluate=UPSTREAM_FAILED", "deploy=UPSTREAM_FAILED", "smoke-test=UPSTREAM_FAILED",
                "report=UPSTREAM_FAILED", "cleanup=DISPATCHED", "page=DISPATCHED");
    }

    private static List<String> statuses(ReplayTest.Live live, String runId) {
        return live.state.activeRun(runId).map(r -> r.tasks().values().stream()
                .map(t -> t.taskId() + "=" + t.status()).toList()).orElse(List.of());
    }
}
