package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.ParameterType;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.TriggerRule;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.OTHER_EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.failed;
import static dev.drover.scheduler.core.SchedulerFixtures.failedFinally;
import static dev.drover.scheduler.core.SchedulerFixtures.map;
import static dev.drover.scheduler.core.SchedulerFixtures.optional;
import static dev.drover.scheduler.core.SchedulerFixtures.parameters;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.reportFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.requestRun;
import static dev.drover.scheduler.core.SchedulerFixtures.runFinished;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.runSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.skipped;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.succeeded;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerFixtures.upstreamFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.withTriggerRule;
import static dev.drover.scheduler.core.SchedulerFixtures.withWhen;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Trigger rules, {@code when} branching and how a run with skipped or handled failures ends. */
class ControlFlowTest {

    /** A run of {@code spec} with {@code tasks} dispatched and started at T0 (one executor each, in order). */
    static SchedulerEvent[] running(PipelineSpec spec, Map<String, Object> params, String... tasks) {
        SchedulerEvent[] out = new SchedulerEvent[2 + 2 * tasks.length];
        out[0] = registered(spec);
        out[1] = runStarted(RUN, 1, params, T0);
        for (int i = 0; i < tasks.length; i++) {
            out[2 + 2 * i] = dispatched(RUN, tasks[i], 1, T0);
            out[3 + 2 * i] = started(RUN, tasks[i], 1, EXECUTOR, T0);
        }
        return out;
    }

    static SchedulerEvent[] running(PipelineSpec spec, String... tasks) {
        return running(spec, Map.of(), tasks);
    }

    /**
     * The usual branch: {@code check} → {@code deploy} (only when {@code params.deploy}) → {@code notify}; the join
     * {@code finish} after {@code notify} and {@code check} runs whichever way the branch went.
     */
    @Nested
    class Branching {
        final PipelineSpec spec = pipeline(parameters("deploy", optional(ParameterType.BOOLEAN, false)),
                task("check"),
                withWhen(task("deploy", "check"), "params.deploy"),
                task("notify", "deploy"),
                withTriggerRule(task("finish", "notify", "check"), TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS));

        @Test
        void a_false_when_skips_the_task_and_its_all_success_descendants_while_the_join_runs() {
            given(running(spec, map("deploy", false), "check"))
                    .when(reportSucceeded(RUN, "check", 1, EXECUTOR), seconds(10))
                    .then(succeeded(RUN, "check", 1, seconds(10)),
                            skipped(RUN, "deploy", "`when` was false: params.deploy"),
                            skipped(RUN, "notify", "trigger rule all_success: upstream task deploy was skipped"),
                            dispatched(RUN, "finish", 1, seconds(10)));
        }

        @Test
        void skipped_tasks_do_not_fail_the_run() {
            given(running(spec, map("deploy", false), "check"))
                    .and(succeeded(RUN, "check", 1, seconds(10)),
                            skipped(RUN, "deploy", "`when` was false: params.deploy"),
                            skipped(RUN, "notify", "trigger rule all_success: upstream task deploy was skipped"),
                            dispatched(RUN, "finish", 1, seconds(10)), started(RUN, "finish", 1, EXECUTOR, seconds(11)))
                    .when(reportSucceeded(RUN, "finish", 1, EXECUTOR), seconds(12))
                    .then(succeeded(RUN, "finish", 1, seconds(12)), runFinished(RUN, RunStatus.SUCCEEDED,
                            "no final task failed (skipped: deploy, notify)", seconds(12)));
        }

        @Test
        void a_true_when_dispatches_the_task_and_the_join_waits_for_the_branch() {
            given(running(spec, map("deploy", true), "check"))
                    .when(reportSucceeded(RUN, "check", 1, EXECUTOR), seconds(10))
                    .then(succeeded(RUN, "check", 1, seconds(10)), dispatched(RUN, "deploy", 1, seconds(10)));
        }

        @Test
        void a_when_on_a_task_without_upstream_tasks_is_decided_when_the_run_starts() {
            PipelineSpec gated = pipeline(parameters("deploy", optional(ParameterType.BOOLEAN, false)),
                    withWhen(task("deploy"), "params.deploy && run.pipeline == 'train'"), task("notify", "deploy"));
            given(registered(gated))
                    .when(requestRun(RUN), T0)
                    .then(runStarted(RUN, 1, map("deploy", false), T0),
                            skipped(RUN, "deploy", "`when` was false: params.deploy && run.pipeline == 'train'"),
                            skipped(RUN, "notify", "trigger rule all_success: upstream task deploy was skipped"),
                            runFinished(RUN, RunStatus.SUCCEEDED, "no final task failed (skipped: deploy, notify)",
                                    T0));
        }
    }

    /** {@code when} over upstream outputs: evaluate → promote only if the model is good enough. */
    @Nested
    class WhenOnOutputs {
        final PipelineSpec spec = pipeline(
                task("train"),
                task("evaluate", "train"),
                withWhen(task("promote", "evaluate"),
                        "tasks.evaluate.outputs.auc >= 0.8 && tasks.train.outputs.model != ''"));

        SchedulerEvent[] evaluating() {
            return new SchedulerEvent[] {registered(spec), runStarted(RUN),
                    dispatched(RUN, "train", 1, T0), started(RUN, "train", 1, EXECUTOR, T0),
                    succeeded(RUN, "train", 1, map("model", "m-7"), seconds(5)),
                    dispatched(RUN, "evaluate", 1, seconds(5)), started(RUN, "evaluate", 1, EXECUTOR, seconds(5))};
        }

        @Test
        void a_good_enough_model_is_promoted() {
            given(evaluating())
                    .when(reportSucceeded(RUN, "evaluate", 1, EXECUTOR, map("auc", 0.91)), seconds(10))
                    .then(succeeded(RUN, "evaluate", 1, map("auc", 0.91), seconds(10)),
                            dispatched(RUN, "promote", 1, seconds(10)));
        }

        @Test
        void a_weak_model_is_not() {
            given(evaluating())
                    .when(reportSucceeded(RUN, "evaluate", 1, EXECUTOR, map("auc", 0.62)), seconds(10))
                    .then(succeeded(RUN, "evaluate", 1, map("auc", 0.62), seconds(10)),
                            skipped(RUN, "promote", "`when` was false: tasks.evaluate.outputs.auc >= 0.8 && "
                                    + "tasks.train.outputs.model != ''"),
                            runFinished(RUN, RunStatus.SUCCEEDED, "no final task failed (skipped: promote)",
                                    seconds(10)));
        }

        @Test
        void a_condition_that_cannot_be_evaluated_fails_the_task_for_good_without_dispatching_it() {
            // evaluate published no auc: the same outputs would fail the same way on every retry
            SchedulerScenario s = given(evaluating())
                    .when(reportSucceeded(RUN, "evaluate", 1, EXECUTOR, map("rows", 10L)), seconds(10));
            assertThat(s.events()).hasSize(4);
            assertThat(s.events().get(0)).isEqualTo(succeeded(RUN, "evaluate", 1, map("rows", 10L), seconds(10)));
            SchedulerEvent.TaskFailed failure = (SchedulerEvent.TaskFailed) s.events().get(1);
            assertThat(failure.taskId()).isEqualTo("promote");
            assertThat(failure.attempt()).isEqualTo(1);
            assertThat(failure.exitCode()).isNull();
            assertThat(failure.message()).startsWith("`when` could not be evaluated: `tasks.evaluate.outputs.auc "
                    + ">= 0.8 && tasks.train.outputs.model != ''` failed: ").contains("auc")
                    .endsWith("e.g. has(tasks.train) && tasks.train.outputs.auc > 0.8)");
            assertThat(s.events().get(2)).isEqualTo(failedFinally(RUN, "promote", 1, failure.message()));
            assertThat(s.events().get(3)).isEqualTo(runFinished(RUN, RunStatus.FAILED, "task(s) failed: promote",
                    seconds(10)));
            assertThat(s.stateAfter().activeRuns()).isEmpty();
        }

        @Test
        void a_condition_that_gives_no_boolean_fails_the_task() {
            PipelineSpec spec = pipeline(parameters("mode", optional(ParameterType.STRING, "fast")),
                    withWhen(task("a"), "params.mode"));
            SchedulerScenario s = given(registered(spec)).when(requestRun(RUN), T0);
            assertThat(s.events()).extracting(e -> e.getClass().getSimpleName())
                    .containsExactly("RunStarted", "TaskFailed", "TaskFailedFinally", "RunFinished");
            assertThat(((SchedulerEvent.TaskFailedFinally) s.events().get(2)).reason())
                    .contains("`params.mode` must give true or false, but gave String fast");
        }
    }

    @Nested
    class Rules {
        @Test
        void an_all_failed_cleanup_runs_after_the_failure_and_the_handled_failure_does_not_fail_the_run() {
            PipelineSpec spec = pipeline(task("train"),
                    withTriggerRule(task("cleanup", "train"), TriggerRule.ALL_FAILED));
            given(running(spec, "train"))
                    .when(reportFailed(RUN, "train", 1, EXECUTOR, "oom", 137), seconds(10))
                    .then(failed(RUN, "train", 1, "oom", 137, seconds(10)), failedFinally(RUN, "train", 1, "oom"),
                            dispatched(RUN, "cleanup", 1, seconds(10)));
            given(running(spec, "train"))
                    .and(failed(RUN, "train", 1, "oom", 137, seconds(10)), failedFinally(RUN, "train", 1, "oom"),
                            dispatched(RUN, "cleanup", 1, seconds(10)), started(RUN, "cleanup", 1, EXECUTOR, seconds(11)))
                    .when(reportSucceeded(RUN, "cleanup", 1, EXECUTOR), seconds(12))
                    // Airflow's rule: only leaf tasks decide, and the leaf (cleanup) succeeded
                    .then(succeeded(RUN, "cleanup", 1, seconds(12)), runFinished(RUN, RunStatus.SUCCEEDED,
                            "no final task failed (failed but handled downstream: train)", seconds(12)));
        }

        @Test
        void an_all_failed_cleanup_is_skipped_when_nothing_failed() {
            PipelineSpec spec = pipeline(task("train"),
                    withTriggerRule(task("cleanup", "train"), TriggerRule.ALL_FAILED));
            given(running(spec, "train"))
                    .when(reportSucceeded(RUN, "train", 1, EXECUTOR), seconds(10))
                    .then(succeeded(RUN, "train", 1, seconds(10)),
                            skipped(RUN, "cleanup", "trigger rule all_failed: upstream task train did not fail"),
                            runFinished(RUN, RunStatus.SUCCEEDED, "no final task failed (skipped: cleanup)",
                                    seconds(10)));
        }

        @Test
        void one_success_starts_as_soon_as_one_upstream_task_succeeded() {
            PipelineSpec spec = pipeline(task("mirror-a"), task("mirror-b"),
                    withTriggerRule(task("download", "mirror-a", "mirror-b"), TriggerRule.ONE_SUCCESS));
            given(running(spec, "mirror-a", "mirror-b"))
                    .when(reportSucceeded(RUN, "mirror-b", 1, EXECUTOR), seconds(3))
                    .then(succeeded(RUN, "mirror-b", 1, seconds(3)), dispatched(RUN, "download", 1, seconds(3)));
        }

        @Test
        void one_success_is_upstream_failed_when_every_upstream_task_is_done_and_none_succeeded() {
            PipelineSpec spec = pipeline(task("mirror-a"), task("mirror-b"),
                    withTriggerRule(task("download", "mirror-a", "mirror-b"), TriggerRule.ONE_SUCCESS));
            given(running(spec, "mirror-a", "mirror-b"))
                    .and(failed(RUN, "mirror-a", 1, "404", 1, seconds(2)), failedFinally(RUN, "mirror-a", 1, "404"))
                    .when(reportFailed(RUN, "mirror-b", 1, EXECUTOR, "503", 1), seconds(3))
                    .then(failed(RUN, "mirror-b", 1, "503", 1, seconds(3)), failedFinally(RUN, "mirror-b", 1, "503"),
                            upstreamFailed(RUN, "download", "mirror-a"),
                            runFinished(RUN, RunStatus.FAILED, "task(s) failed: mirror-a, mirror-b", seconds(3)));
        }

        @Test
        void one_failed_alerts_at_the_first_failure_without_waiting_for_the_rest() {
            PipelineSpec spec = pipeline(task("a"), task("b"),
                    withTriggerRule(task("alert", "a", "b"), TriggerRule.ONE_FAILED));
            given(running(spec, "a", "b"))
                    .when(reportFailed(RUN, "a", 1, EXECUTOR, "boom", 1), seconds(3))
                    .then(failed(RUN, "a", 1, "boom", 1, seconds(3)), failedFinally(RUN, "a", 1, "boom"),
                            dispatched(RUN, "alert", 1, seconds(3)));
        }

        @Test
        void all_done_runs_whatever_its_upstream_tasks_did_but_the_failure_still_fails_the_run_through_a_leaf() {
            // a fails: report (all_done) runs; publish (all_success) is upstream-failed, and it is a leaf
            PipelineSpec spec = pipeline(task("a"), withTriggerRule(task("report", "a"), TriggerRule.ALL_DONE),
                    task("publish", "a"));
            given(running(spec, "a"))
                    .when(reportFailed(RUN, "a", 1, EXECUTOR, "boom", 1), seconds(3))
                    .then(failed(RUN, "a", 1, "boom", 1, seconds(3)), failedFinally(RUN, "a", 1, "boom"),
                            dispatched(RUN, "report", 1, seconds(3)), upstreamFailed(RUN, "publish", "a"));
            given(running(spec, "a"))
                    .and(failed(RUN, "a", 1, "boom", 1, seconds(3)), failedFinally(RUN, "a", 1, "boom"),
                            dispatched(RUN, "report", 1, seconds(3)), upstreamFailed(RUN, "publish", "a"),
                            started(RUN, "report", 1, OTHER_EXECUTOR, seconds(4)))
                    .when(reportSucceeded(RUN, "report", 1, OTHER_EXECUTOR), seconds(5))
                    .then(succeeded(RUN, "report", 1, seconds(5)),
                            runFinished(RUN, RunStatus.FAILED, "task(s) failed: a", seconds(5)));
        }

        @Test
        void always_runs_at_once_without_waiting_for_its_upstream_tasks() {
            PipelineSpec spec = pipeline(task("a"), withTriggerRule(task("heartbeat", "a"), TriggerRule.ALWAYS));
            given(registered(spec))
                    .when(requestRun(RUN), T0)
                    .then(runStarted(RUN), dispatched(RUN, "a", 1, T0), dispatched(RUN, "heartbeat", 1, T0));
        }

        @Test
        void none_failed_runs_after_a_skipped_upstream_task_and_all_done_after_a_skipped_one_too() {
            PipelineSpec spec = pipeline(parameters("full", optional(ParameterType.BOOLEAN, false)),
                    task("a"), withWhen(task("extra", "a"), "params.full"),
                    withTriggerRule(task("merge", "a", "extra"), TriggerRule.NONE_FAILED),
                    withTriggerRule(task("log", "extra"), TriggerRule.ALL_DONE),
                    withTriggerRule(task("only-if-extra", "extra"), TriggerRule.ONE_SUCCESS));
            given(running(spec, map("full", false), "a"))
                    .when(reportSucceeded(RUN, "a", 1, EXECUTOR), seconds(3))
                    .then(succeeded(RUN, "a", 1, seconds(3)), skipped(RUN, "extra", "`when` was false: params.full"),
                            dispatched(RUN, "merge", 1, seconds(3)), dispatched(RUN, "log", 1, seconds(3)),
                            skipped(RUN, "only-if-extra", "trigger rule one_success: every upstream task was skipped"));
        }

        @Test
        void a_task_waiting_for_a_retry_has_not_failed_yet() {
            PipelineSpec spec = pipeline(
                    SchedulerFixtures.withRetry(task("a"), SchedulerFixtures.retries(1, java.time.Duration.ofSeconds(10),
                            1.0, java.time.Duration.ofSeconds(10))),
                    withTriggerRule(task("alert", "a"), TriggerRule.ONE_FAILED));
            given(running(spec, "a"))
                    .when(reportFailed(RUN, "a", 1, EXECUTOR, "flaky", 1), seconds(3))
                    .then(failed(RUN, "a", 1, "flaky", 1, seconds(3)),
                            SchedulerFixtures.retryScheduled(RUN, "a", 2, seconds(13)));
        }

        @Test
        void a_run_whose_tasks_all_succeeded_keeps_its_reason() {
            PipelineSpec spec = pipeline(task("a"));
            given(running(spec, "a"))
                    .when(reportSucceeded(RUN, "a", 1, EXECUTOR), seconds(3))
                    .then(succeeded(RUN, "a", 1, seconds(3)), runSucceeded(RUN, seconds(3)));
        }
    }
}
