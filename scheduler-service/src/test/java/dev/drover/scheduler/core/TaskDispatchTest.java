package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.TaskFailedFinally;
import dev.drover.scheduler.pipeline.ParameterType;
import dev.drover.scheduler.pipeline.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.OTHER_EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.failed;
import static dev.drover.scheduler.core.SchedulerFixtures.map;
import static dev.drover.scheduler.core.SchedulerFixtures.optional;
import static dev.drover.scheduler.core.SchedulerFixtures.parameters;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.requestRun;
import static dev.drover.scheduler.core.SchedulerFixtures.required;
import static dev.drover.scheduler.core.SchedulerFixtures.retries;
import static dev.drover.scheduler.core.SchedulerFixtures.runFinished;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.runSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.succeeded;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerFixtures.upstreamFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.withConfig;
import static dev.drover.scheduler.core.SchedulerFixtures.withRetry;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/** When a task becomes ready, and what its dispatch carries. */
class TaskDispatchTest {
    static final PipelineSpec ROOTS = pipeline(task("a"), task("b"), task("c", "a", "b"));
    static final PipelineSpec DIAMOND = pipeline(task("a"), task("b", "a"), task("c", "a"), task("d", "b", "c"));

    @Test
    void every_root_task_is_dispatched_when_the_run_starts() {
        given(registered(ROOTS))
                .when(requestRun(), T0)
                .then(runStarted(RUN), dispatched(RUN, "a", 1, T0), dispatched(RUN, "b", 1, T0));
    }

    @Test
    void a_task_waits_until_every_dependency_succeeded() {
        given(registered(ROOTS), runStarted(RUN), dispatched(RUN, "a", 1, T0), dispatched(RUN, "b", 1, T0),
                started(RUN, "a", 1, EXECUTOR, T0), started(RUN, "b", 1, OTHER_EXECUTOR, T0))
                .when(reportSucceeded(RUN, "a", 1, EXECUTOR), seconds(10))
                .then(succeeded(RUN, "a", 1, seconds(10)));
    }

    @Test
    void a_task_is_dispatched_once_its_last_dependency_succeeded() {
        given(registered(ROOTS), runStarted(RUN), dispatched(RUN, "a", 1, T0), dispatched(RUN, "b", 1, T0),
                started(RUN, "a", 1, EXECUTOR, T0), started(RUN, "b", 1, OTHER_EXECUTOR, T0),
                succeeded(RUN, "a", 1, seconds(10)))
                .when(reportSucceeded(RUN, "b", 1, OTHER_EXECUTOR), seconds(20))
                .then(succeeded(RUN, "b", 1, seconds(20)), dispatched(RUN, "c", 1, seconds(20)));
    }

    @Test
    void diamond_fans_out_after_its_root() {
        given(registered(DIAMOND), runStarted(RUN), dispatched(RUN, "a", 1, T0), started(RUN, "a", 1, EXECUTOR, T0))
                .when(reportSucceeded(RUN, "a", 1, EXECUTOR), seconds(10))
                .then(succeeded(RUN, "a", 1, seconds(10)), dispatched(RUN, "b", 1, seconds(10)),
                        dispatched(RUN, "c", 1, seconds(10)));
    }

    @Test
    void diamond_join_waits_for_the_first_branch() {
        given(diamondWithBranchesRunning())
                .when(reportSucceeded(RUN, "b", 1, EXECUTOR), seconds(20))
                .then(succeeded(RUN, "b", 1, seconds(20)));
    }

    @Test
    void diamond_join_is_dispatched_after_both_branches() {
        given(diamondWithBranchesRunning()).and(succeeded(RUN, "b", 1, seconds(20)))
                .when(reportSucceeded(RUN, "c", 1, OTHER_EXECUTOR), seconds(30))
                .then(succeeded(RUN, "c", 1, seconds(30)), dispatched(RUN, "d", 1, seconds(30)));
    }

    @Test
    void the_last_task_to_succeed_finishes_the_run() {
        given(diamondWithBranchesRunning()).and(succeeded(RUN, "b", 1, seconds(20)),
                        succeeded(RUN, "c", 1, seconds(30)), dispatched(RUN, "d", 1, seconds(30)),
                        started(RUN, "d", 1, EXECUTOR, seconds(31)))
                .when(reportSucceeded(RUN, "d", 1, EXECUTOR), seconds(40))
                .then(succeeded(RUN, "d", 1, seconds(40)), runSucceeded(RUN, seconds(40)));
    }

    @Test
    void a_finished_run_leaves_the_active_state_but_keeps_its_id() {
        SchedulerState state = given(registered(pipeline(task("a"))), runStarted(RUN), dispatched(RUN, "a", 1, T0),
                started(RUN, "a", 1, EXECUTOR, T0))
                .when(reportSucceeded(RUN, "a", 1, EXECUTOR), seconds(10))
                .stateAfter();

        assertThat(state.activeRun(RUN)).isEmpty();
        assertThat(state.pipelineState(SchedulerFixtures.PIPELINE).orElseThrow().runIds()).containsExactly(RUN);
    }

    @Test
    void root_configs_are_rendered_against_the_run_parameters() {
        PipelineSpec spec = pipeline(parameters("dataset", required(ParameterType.STRING),
                        "epochs", optional(ParameterType.INTEGER, 10L)),
                withConfig(task("train"), map(
                        "command", "train --data {{ params.dataset }} --epochs {{ params.epochs }}",
                        "env", map("RUN_ID", "{{ run.id }}", "PIPELINE", "{{ run.pipeline }}"),
                        "args", List.of("--attempt={{ attempt }}", "--plain"),
                        "workers", 4L)));

        given(registered(spec))
                .when(requestRun(null, map("dataset", "s3://bucket/d")), T0)
                .then(runStarted(RUN, 1, map("dataset", "s3://bucket/d", "epochs", 10L), T0),
                        dispatched(RUN, "train", 1, map(
                                "command", "train --data s3://bucket/d --epochs 10",
                                "env", map("RUN_ID", RUN, "PIPELINE", "train"),
                                "args", List.of("--attempt=1", "--plain"),
                                "workers", 4L), T0));
    }

    @Test
    void downstream_configs_can_use_upstream_outputs() {
        PipelineSpec spec = pipeline(task("a"),
                withConfig(task("b", "a"), map("command", "deploy {{ tasks.a.outputs.model_uri }}")));

        given(registered(spec), runStarted(RUN), dispatched(RUN, "a", 1, T0), started(RUN, "a", 1, EXECUTOR, T0))
                .when(SchedulerFixtures.reportSucceeded(RUN, "a", 1, EXECUTOR, map("model_uri", "s3://m/7")),
                        seconds(10))
                .then(succeeded(RUN, "a", 1, map("model_uri", "s3://m/7"), seconds(10)),
                        dispatched(RUN, "b", 1, map("command", "deploy s3://m/7"), seconds(10)));
    }

    @Test
    void a_template_error_fails_the_task_for_good_without_dispatching_it() {
        // b has retries, but a template that cannot be resolved fails the same way on every attempt
        PipelineSpec spec = pipeline(task("a"), withRetry(
                withConfig(task("b", "a"), map("command", "deploy {{ tasks.a.outputs.missing }}")),
                retries(3, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1))));

        List<SchedulerEvent> events = given(registered(spec), runStarted(RUN), dispatched(RUN, "a", 1, T0),
                started(RUN, "a", 1, EXECUTOR, T0))
                .when(reportSucceeded(RUN, "a", 1, EXECUTOR), seconds(10))
                .events();

        String error = templateError(events);
        assertThat(error).startsWith("template error").contains("missing");
        assertThat(events).containsExactly(succeeded(RUN, "a", 1, seconds(10)),
                failed(RUN, "b", 1, error, null, seconds(10)),
                SchedulerFixtures.failedFinally(RUN, "b", 1, error),
                runFinished(RUN, RunStatus.FAILED, "task(s) failed: b", seconds(10)));
    }

    @Test
    void a_template_error_at_run_start_fails_everything_downstream() {
        PipelineSpec spec = pipeline(withConfig(task("a"), map("command", "{{ params.nope }}")), task("b", "a"));

        List<SchedulerEvent> events = given(registered(spec))
                .when(requestRun(), T0)
                .events();

        String error = templateError(events);
        assertThat(events).containsExactly(runStarted(RUN), failed(RUN, "a", 1, error, null, T0),
                SchedulerFixtures.failedFinally(RUN, "a", 1, error), upstreamFailed(RUN, "b", "a"),
                runFinished(RUN, RunStatus.FAILED, "task(s) failed: a", T0));
    }

    @Test
    void a_template_error_never_reaches_an_executor() {
        PipelineSpec spec = pipeline(withConfig(task("a"), map("command", "{{ params.nope }}")));

        assertThat(given(registered(spec)).when(requestRun(), T0).events())
                .noneMatch(e -> e instanceof SchedulerEvent.TaskDispatched);
    }

    private static SchedulerEvent[] diamondWithBranchesRunning() {
        return new SchedulerEvent[] {registered(DIAMOND), runStarted(RUN), dispatched(RUN, "a", 1, T0),
                started(RUN, "a", 1, EXECUTOR, T0), succeeded(RUN, "a", 1, seconds(10)),
                dispatched(RUN, "b", 1, seconds(10)), dispatched(RUN, "c", 1, seconds(10)),
                started(RUN, "b", 1, EXECUTOR, seconds(11)), started(RUN, "c", 1, OTHER_EXECUTOR, seconds(11))};
    }

    private static String templateError(List<SchedulerEvent> events) {
        return events.stream().filter(e -> e instanceof TaskFailedFinally).map(e -> ((TaskFailedFinally) e).reason())
                .findFirst().orElseThrow(() -> new AssertionError("no TaskFailedFinally in " + events));
    }

    @Test
    void a_secret_reference_is_dispatched_as_its_placeholder_with_the_names_the_spec_gives_the_task() {
        PipelineSpec spec = pipeline(parameters("dataset", required(ParameterType.STRING)),
                withConfig(task("load"), map(
                        "command", "load {{ params.dataset }} --password={{secrets.warehouse_password}}",
                        "env", map("TOKEN", "{{ secrets.api_token }}"))));

        // a parameter that looks like a reference is only text: the task may read only what its spec names
        given(registered(spec))
                .when(requestRun(null, map("dataset", "{{ secrets.admin_password }}")), T0)
                .then(runStarted(RUN, 1, map("dataset", "{{ secrets.admin_password }}"), T0),
                        new SchedulerEvent.TaskDispatched(SchedulerFixtures.PIPELINE, RUN, "load", 1, "shell",
                                "default", map(
                                "command", "load {{ secrets.admin_password }} --password={{ secrets.warehouse_password }}",
                                "env", map("TOKEN", "{{ secrets.api_token }}")),
                                SchedulerFixtures.TIMEOUT.toMillis(), T0, 0, List.of("warehouse_password", "api_token")));
    }
}
