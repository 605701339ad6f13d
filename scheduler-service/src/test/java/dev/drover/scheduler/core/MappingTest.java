package dev.drover.scheduler.core;

import dev.drover.scheduler.core.SchedulerEvent.TaskExpanded;
import dev.drover.scheduler.core.SchedulerEvent.RunFinished;
import dev.drover.scheduler.core.SchedulerEvent.TaskSkipped;
import dev.drover.scheduler.pipeline.ParameterType;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.TaskSpec;
import dev.drover.scheduler.wire.EventCodec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.drover.scheduler.core.SchedulerFixtures.EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.OTHER_EXECUTOR;
import static dev.drover.scheduler.core.SchedulerFixtures.PIPELINE;
import static dev.drover.scheduler.core.SchedulerFixtures.RUN;
import static dev.drover.scheduler.core.SchedulerFixtures.T0;
import static dev.drover.scheduler.core.SchedulerFixtures.TIMEOUT;
import static dev.drover.scheduler.core.SchedulerFixtures.USER;
import static dev.drover.scheduler.core.SchedulerFixtures.cancelRun;
import static dev.drover.scheduler.core.SchedulerFixtures.canceled;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatchRetry;
import static dev.drover.scheduler.core.SchedulerFixtures.dispatched;
import static dev.drover.scheduler.core.SchedulerFixtures.failed;
import static dev.drover.scheduler.core.SchedulerFixtures.failedFinally;
import static dev.drover.scheduler.core.SchedulerFixtures.map;
import static dev.drover.scheduler.core.SchedulerFixtures.optional;
import static dev.drover.scheduler.core.SchedulerFixtures.parameters;
import static dev.drover.scheduler.core.SchedulerFixtures.pipeline;
import static dev.drover.scheduler.core.SchedulerFixtures.register;
import static dev.drover.scheduler.core.SchedulerFixtures.registered;
import static dev.drover.scheduler.core.SchedulerFixtures.reportFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.reportHeartbeat;
import static dev.drover.scheduler.core.SchedulerFixtures.reportStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.reportSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.requestRun;
import static dev.drover.scheduler.core.SchedulerFixtures.retries;
import static dev.drover.scheduler.core.SchedulerFixtures.retryScheduled;
import static dev.drover.scheduler.core.SchedulerFixtures.runFinished;
import static dev.drover.scheduler.core.SchedulerFixtures.runStarted;
import static dev.drover.scheduler.core.SchedulerFixtures.runSucceeded;
import static dev.drover.scheduler.core.SchedulerFixtures.seconds;
import static dev.drover.scheduler.core.SchedulerFixtures.started;
import static dev.drover.scheduler.core.SchedulerFixtures.succeeded;
import static dev.drover.scheduler.core.SchedulerFixtures.task;
import static dev.drover.scheduler.core.SchedulerFixtures.timeOut;
import static dev.drover.scheduler.core.SchedulerFixtures.timedOut;
import static dev.drover.scheduler.core.SchedulerFixtures.upstreamFailed;
import static dev.drover.scheduler.core.SchedulerFixtures.withConfig;
import static dev.drover.scheduler.core.SchedulerFixtures.withRetry;
import static dev.drover.scheduler.core.SchedulerScenario.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dynamic task mapping ({@code mapOver}): a task fans out over a list from an upstream output or a parameter, one
 * instance {@code <task>[<index>]} per element, and a downstream task collects the instances' outputs in index order.
 */
class MappingTest {
    static final String SHARDS = "tasks.split.outputs.shards";
    static final Map<String, Object> SPLIT_CONFIG = map("command", "split");
    static final Map<String, Object> SUM_CONFIG =
            map("command", "sum{% for o in tasks.process.outputs %} {{ o.n }}{% endfor %}");

    /** split → process (mapped over split's shards, 1 retry after 10 s) → sum (collects the instances' n). */
    static final PipelineSpec SPEC = pipeline(withConfig(task("split"), SPLIT_CONFIG),
            mapped(withRetry(withConfig(task("process", "split"),
                    map("command", "process {{ map.item }} #{{ map.index }} try {{ attempt }}")),
                    retries(1, Duration.ofSeconds(10), 1.0, Duration.ofSeconds(10))), SHARDS),
            withConfig(task("sum", "process"), SUM_CONFIG));
    /** The same without the downstream task. */
    static final PipelineSpec LEAF = pipeline(withConfig(task("split"), SPLIT_CONFIG),
            mapped(withConfig(task("process", "split"), map("command", "process {{ map.item }}")), SHARDS));

    static TaskSpec mapped(TaskSpec t, String expression) {
        return t.withOptions(t.options().withMapOver(expression));
    }

    static TaskExpanded expanded(String taskId, Object... items) {
        return new TaskExpanded(PIPELINE, RUN, taskId, List.of(items));
    }

    static SchedulerEvent.TaskDispatched dispatchedProcess(int index, String item, int attempt, Instant at) {
        return dispatched(RUN, "process[" + index + "]", attempt,
                map("command", "process " + item + " #" + index + " try " + attempt), at);
    }

    /** split is running on {@link SchedulerFixtures#EXECUTOR}. */
    static SchedulerEvent[] splitRunning(PipelineSpec spec) {
        return new SchedulerEvent[] {registered(spec), runStarted(RUN), dispatched(RUN, "split", 1, SPLIT_CONFIG, T0),
                started(RUN, "split", 1, EXECUTOR, T0)};
    }

    /** split gave three shards at 5 s; the three instances were dispatched and started at 6 s. */
    static List<SchedulerEvent> threeInstancesRunning() {
        List<SchedulerEvent> events = new ArrayList<>(List.of(splitRunning(SPEC)));
        events.addAll(List.of(succeeded(RUN, "split", 1, map("shards", List.of("a", "b", "c")), seconds(5)),
                expanded("process", "a", "b", "c"),
                dispatchedProcess(0, "a", 1, seconds(5)), dispatchedProcess(1, "b", 1, seconds(5)),
                dispatchedProcess(2, "c", 1, seconds(5)),
                started(RUN, "process[0]", 1, EXECUTOR, seconds(6)),
                started(RUN, "process[1]", 1, OTHER_EXECUTOR, seconds(6)),
                started(RUN, "process[2]", 1, EXECUTOR, seconds(6))));
        return events;
    }

    static SchedulerEvent[] plus(List<SchedulerEvent> events, SchedulerEvent... more) {
        List<SchedulerEvent> out = new ArrayList<>(events);
        out.addAll(List.of(more));
        return out.toArray(SchedulerEvent[]::new);
    }

    // ---- expanding: many, one, zero elements

    @Test
    void a_mapped_task_runs_one_instance_per_element_of_an_upstream_output() {
        given(splitRunning(SPEC))
                .when(reportSucceeded(RUN, "split", 1, EXECUTOR, map("shards", List.of("a", "b", "c"))), seconds(5))
                .then(succeeded(RUN, "split", 1, map("shards", List.of("a", "b", "c")), seconds(5)),
                        expanded("process", "a", "b", "c"),
                        dispatchedProcess(0, "a", 1, seconds(5)), dispatchedProcess(1, "b", 1, seconds(5)),
                        dispatchedProcess(2, "c", 1, seconds(5)));
    }

    @Test
    void the_run_holds_each_instance_as_a_task_of_its_own_and_the_mapped_task_as_mapped() {
        RunState run = given(threeInstancesRunning().toArray(SchedulerEvent[]::new))
                .when(reportHeartbeat(RUN, "process[1]", 1, OTHER_EXECUTOR), seconds(20))
                .stateAfter().activeRun(RUN).orElseThrow();

        assertThat(run.tasks().keySet()).containsExactly("split", "process", "sum", "process[0]", "process[1]",
                "process[2]");
        assertThat(run.tasks().get("process").status()).isEqualTo(TaskStatus.MAPPED);
        assertThat(run.tasks().get("process").mapItems()).containsExactly("a", "b", "c");
        assertThat(run.tasks().get("process[1]").status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(run.tasks().get("process[1]").executorId()).isEqualTo(OTHER_EXECUTOR);
    }

    @Test
    void a_list_of_one_element_runs_one_instance() {
        given(splitRunning(SPEC))
                .when(reportSucceeded(RUN, "split", 1, EXECUTOR, map("shards", List.of("only"))), seconds(5))
                .then(succeeded(RUN, "split", 1, map("shards", List.of("only")), seconds(5)),
                        expanded("process", "only"), dispatchedProcess(0, "only", 1, seconds(5)));
    }

    @Test
    void an_empty_list_skips_the_mapped_task_and_the_run_still_succeeds() {
        given(splitRunning(LEAF))
                .when(reportSucceeded(RUN, "split", 1, EXECUTOR, map("shards", List.of())), seconds(5))
                .then(succeeded(RUN, "split", 1, map("shards", List.of()), seconds(5)),
                        new TaskSkipped(PIPELINE, RUN, "process", "mapped over an empty list"),
                        new RunFinished(PIPELINE, RUN, RunStatus.SUCCEEDED, "no final task failed (skipped: process)",
                                seconds(5)));
    }

    @Test
    void a_task_can_map_over_a_parameter() {
        TaskSpec perRegion = mapped(withConfig(task("deploy"), map("command", "deploy --region {{ map.item }}")),
                "params.regions.split(\",\")");
        PipelineSpec spec = pipeline(parameters("regions", optional(ParameterType.STRING, "eu")), perRegion);

        given(registered(spec))
                .when(requestRun(RUN, map("regions", "eu,us,ap")), T0)
                .then(new SchedulerEvent.RunStarted(PIPELINE, RUN, 1, map("regions", "eu,us,ap"), "manual", USER, T0),
                        expanded("deploy", "eu", "us", "ap"),
                        dispatched(RUN, "deploy[0]", 1, map("command", "deploy --region eu"), T0),
                        dispatched(RUN, "deploy[1]", 1, map("command", "deploy --region us"), T0),
                        dispatched(RUN, "deploy[2]", 1, map("command", "deploy --region ap"), T0));
    }

    @Test
    void elements_may_be_any_json_value_and_templates_reach_into_them() {
        TaskSpec train = mapped(withConfig(task("train", "split"),
                map("command", "train --lr {{ map.item.lr }} --name {{ map.item.name }}")), SHARDS);
        PipelineSpec spec = pipeline(withConfig(task("split"), SPLIT_CONFIG), train);
        List<Object> grid = List.of(map("lr", 0.1, "name", "fast"), map("lr", 0.01, "name", "slow"));

        given(splitRunning(spec))
                .when(reportSucceeded(RUN, "split", 1, EXECUTOR, map("shards", grid)), seconds(5))
                .then(succeeded(RUN, "split", 1, map("shards", grid), seconds(5)),
                        new TaskExpanded(PIPELINE, RUN, "train", grid),
                        dispatched(RUN, "train[0]", 1, map("command", "train --lr 0.1 --name fast"), seconds(5)),
                        dispatched(RUN, "train[1]", 1, map("command", "train --lr 0.01 --name slow"), seconds(5)));
    }

    // ---- lists the task cannot run over

    @Test
    void a_list_longer_than_the_limit_fails_the_mapped_task_for_good_saying_the_size_and_the_limit() {
        List<Object> tooMany = IntStream.range(0, TaskMapping.MAX_INSTANCES + 1).mapToObj(i -> (Object) (long) i)
                .toList();
        String reason = "mapOver `tasks.split.outputs.shards` gave 1025 elements, more than the limit of 1024 "
                + "instances per mapped task; map over batches of elements instead";

        given(splitRunning(SPEC))
                .when(reportSucceeded(RUN, "split", 1, EXECUTOR, map("shards", tooMany)), seconds(5))
                .then(succeeded(RUN, "split", 1, map("shards", tooMany), seconds(5)),
                        failedFinally(RUN, "process", 0, reason), upstreamFailed(RUN, "sum", "process"),
                        runFinished(RUN, RunStatus.FAILED, "task(s) failed: process", seconds(5)));
    }

    @Test
    void a_list_of_exactly_the_limit_expands() {
        List<Object> limit = IntStream.range(0, TaskMapping.MAX_INSTANCES).mapToObj(i -> (Object) (long) i).toList();

        List<SchedulerEvent> events = given(splitRunning(SPEC))
                .when(reportSucceeded(RUN, "split", 1, EXECUTOR, map("shards", limit)), seconds(5))
                .events();

        assertThat(events).hasSize(2 + TaskMapping.MAX_INSTANCES);
        assertThat(events.get(1)).isEqualTo(new TaskExpanded(PIPELINE, RUN, "process", limit));
        assertThat(events.get(events.size() - 1)).isEqualTo(dispatchedProcess(1023, "1023", 1, seconds(5)));
    }

    @Test
    void something_other_than_a_list_fails_the_mapped_task_for_good_with_a_clear_message() {
        List<SchedulerEvent> events = given(splitRunning(SPEC))
                .when(reportSucceeded(RUN, "split", 1, EXECUTOR, map("shards", "a,b")), seconds(5))
                .events();

        assertThat(events).hasSize(4);
        SchedulerEvent.TaskFailedFinally failure = (SchedulerEvent.TaskFailedFinally) events.get(1);
        assertThat(failure.taskId()).isEqualTo("process");
        assertThat(failure.reason()).isEqualTo("mapOver `tasks.split.outputs.shards` must give a list to map over, "
                + "but gave a string a,b; make the expression return a list, e.g. params.NAME.split(\",\") or "
                + "tasks.TASK.outputs.LIST");
        assertThat(events.get(2)).isEqualTo(upstreamFailed(RUN, "sum", "process"));
        assertThat(events.get(3)).isEqualTo(runFinished(RUN, RunStatus.FAILED, "task(s) failed: process",
                seconds(5)));
    }

    @Test
    void an_expression_that_fails_to_evaluate_fails_the_mapped_task_for_good() {
        List<SchedulerEvent> events = given(splitRunning(SPEC))
                .when(reportSucceeded(RUN, "split", 1, EXECUTOR, map("parts", List.of("a"))), seconds(5))
                .events();

        SchedulerEvent.TaskFailedFinally failure = (SchedulerEvent.TaskFailedFinally) events.get(1);
        assertThat(failure.taskId()).isEqualTo("process");
        assertThat(failure.reason()).startsWith("mapOver `tasks.split.outputs.shards` failed: ").contains("shards");
    }

    // ---- instances: retries, collecting, failing

    @Test
    void an_instance_fails_and_retries_on_its_own_while_the_others_succeed() {
        given(threeInstancesRunning().toArray(SchedulerEvent[]::new))
                .when(reportFailed(RUN, "process[1]", 1, OTHER_EXECUTOR, "boom", 1), seconds(10))
                .then(failed(RUN, "process[1]", 1, "boom", 1, seconds(10)),
                        retryScheduled(RUN, "process[1]", 2, seconds(20)));

        given(plus(threeInstancesRunning(), failed(RUN, "process[1]", 1, "boom", 1, seconds(10)),
                retryScheduled(RUN, "process[1]", 2, seconds(20))))
                .when(dispatchRetry(RUN, "process[1]", 2), seconds(20))
                .then(dispatchedProcess(1, "b", 2, seconds(20)));
    }

    @Test
    void the_last_instance_to_succeed_finishes_the_mapped_task_and_downstream_collects_outputs_in_index_order() {
        // instances finish in the order 2, 0, 1 (1 after a retry); sum still reads them in index order
        SchedulerEvent[] history = plus(threeInstancesRunning(),
                succeeded(RUN, "process[2]", 1, map("n", 3L), seconds(8)),
                failed(RUN, "process[1]", 1, "boom", 1, seconds(10)),
                retryScheduled(RUN, "process[1]", 2, seconds(20)),
                succeeded(RUN, "process[0]", 1, map("n", 1L), seconds(12)),
                dispatchedProcess(1, "b", 2, seconds(20)),
                started(RUN, "process[1]", 2, OTHER_EXECUTOR, seconds(21)));

        given(history)
                .when(reportSucceeded(RUN, "process[1]", 2, OTHER_EXECUTOR, map("n", 2L)), seconds(25))
                .then(succeeded(RUN, "process[1]", 2, map("n", 2L), seconds(25)),
                        succeeded(RUN, "process", 0, Map.of(), seconds(25)),
                        dispatched(RUN, "sum", 1, map("command", "sum 1 2 3"), seconds(25)));
    }

    @Test
    void downstream_expressions_see_the_mapped_outputs_as_a_list() {
        PipelineSpec spec = pipeline(withConfig(task("split"), SPLIT_CONFIG),
                mapped(withConfig(task("process", "split"), map("command", "p")), SHARDS),
                mapped(withConfig(task("report", "process"), map("command", "report {{ map.item }}")),
                        "tasks.process.outputs.map(o, o.n * 10)"));
        SchedulerEvent[] history = {registered(spec), runStarted(RUN), dispatched(RUN, "split", 1, SPLIT_CONFIG, T0),
                started(RUN, "split", 1, EXECUTOR, T0),
                succeeded(RUN, "split", 1, map("shards", List.of("a", "b")), seconds(1)),
                expanded("process", "a", "b"),
                dispatched(RUN, "process[0]", 1, map("command", "p"), seconds(1)),
                dispatched(RUN, "process[1]", 1, map("command", "p"), seconds(1)),
                started(RUN, "process[0]", 1, EXECUTOR, seconds(2)),
                started(RUN, "process[1]", 1, EXECUTOR, seconds(2)),
                succeeded(RUN, "process[1]", 1, map("n", 2L), seconds(3))};

        given(history)
                .when(reportSucceeded(RUN, "process[0]", 1, EXECUTOR, map("n", 1L)), seconds(4))
                .then(succeeded(RUN, "process[0]", 1, map("n", 1L), seconds(4)),
                        succeeded(RUN, "process", 0, Map.of(), seconds(4)),
                        expanded("report", 10L, 20L),
                        dispatched(RUN, "report[0]", 1, map("command", "report 10"), seconds(4)),
                        dispatched(RUN, "report[1]", 1, map("command", "report 20"), seconds(4)));
    }

    @Test
    void an_instance_failing_for_good_fails_the_mapped_task_once_every_instance_has_finished() {
        SchedulerEvent[] oneFailedForGood = plus(threeInstancesRunning(),
                succeeded(RUN, "process[2]", 1, map("n", 3L), seconds(8)),
                failed(RUN, "process[1]", 1, "boom", 1, seconds(10)),
                retryScheduled(RUN, "process[1]", 2, seconds(20)),
                dispatchedProcess(1, "b", 2, seconds(20)),
                started(RUN, "process[1]", 2, OTHER_EXECUTOR, seconds(21)));

        // the last attempt of process[1] fails while process[0] still runs: the mapped task waits for it
        given(oneFailedForGood)
                .when(reportFailed(RUN, "process[1]", 2, OTHER_EXECUTOR, "boom", 1), seconds(25))
                .then(failed(RUN, "process[1]", 2, "boom", 1, seconds(25)),
                        failedFinally(RUN, "process[1]", 2, "boom (attempt 2 of 2)"));

        given(plus(List.of(oneFailedForGood), failed(RUN, "process[1]", 2, "boom", 1, seconds(25)),
                failedFinally(RUN, "process[1]", 2, "boom (attempt 2 of 2)")))
                .when(reportSucceeded(RUN, "process[0]", 1, EXECUTOR, map("n", 1L)), seconds(30))
                .then(succeeded(RUN, "process[0]", 1, map("n", 1L), seconds(30)),
                        failedFinally(RUN, "process", 0, "1 of 3 mapped instance(s) failed: process[1]"),
                        upstreamFailed(RUN, "sum", "process"),
                        runFinished(RUN, RunStatus.FAILED, "task(s) failed: process, process[1]", seconds(30)));
    }

    @Test
    void an_instance_whose_template_cannot_render_fails_alone_and_the_mapped_task_fails_when_all_are_done() {
        PipelineSpec spec = pipeline(withConfig(task("split"), SPLIT_CONFIG),
                mapped(withConfig(task("process", "split"), map("command", "p {{ map.item.name }}")), SHARDS));

        List<SchedulerEvent> events = given(splitRunning(spec))
                .when(reportSucceeded(RUN, "split", 1, EXECUTOR, map("shards", List.of(map("name", "x"), "y"))),
                        seconds(5))
                .events();

        assertThat(events).extracting(e -> e.getClass().getSimpleName() + " " + taskIdOf(e)).containsExactly(
                "TaskSucceeded split", "TaskExpanded process", "TaskDispatched process[0]", "TaskFailed process[1]",
                "TaskFailedFinally process[1]");
    }

    private static String taskIdOf(SchedulerEvent e) {
        if (e instanceof SchedulerEvent.TaskSucceeded x) {
            return x.taskId();
        } else if (e instanceof TaskExpanded x) {
            return x.taskId();
        } else if (e instanceof SchedulerEvent.TaskDispatched x) {
            return x.taskId();
        } else if (e instanceof SchedulerEvent.TaskFailed x) {
            return x.taskId();
        } else if (e instanceof SchedulerEvent.TaskFailedFinally x) {
            return x.taskId();
        }
        return "-";
    }

    // ---- cancel, fencing, timers

    @Test
    void cancel_cancels_the_mapped_task_and_every_unfinished_instance() {
        SchedulerEvent[] inFlight = plus(threeInstancesRunning(),
                succeeded(RUN, "process[0]", 1, map("n", 1L), seconds(8)),
                failed(RUN, "process[2]", 1, "boom", 1, seconds(9)),
                retryScheduled(RUN, "process[2]", 2, seconds(19)));

        given(inFlight)
                .when(cancelRun(RUN, "wrong data"), seconds(10))
                .then(canceled(RUN, "process", 0), canceled(RUN, "sum", 0), canceled(RUN, "process[1]", 1),
                        canceled(RUN, "process[2]", 0),
                        runFinished(RUN, RunStatus.CANCELED, "wrong data", seconds(10)));
    }

    @Test
    void reports_for_instances_are_fenced_by_attempt() {
        SchedulerEvent[] retried = plus(threeInstancesRunning(),
                failed(RUN, "process[1]", 1, "boom", 1, seconds(10)),
                retryScheduled(RUN, "process[1]", 2, seconds(20)),
                dispatchedProcess(1, "b", 2, seconds(20)));

        given(retried)
                .when(reportSucceeded(RUN, "process[1]", 1, OTHER_EXECUTOR, map("n", 2L)), seconds(21))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
        given(retried)
                .when(reportStarted(RUN, "process[1]", 2, EXECUTOR), seconds(21))
                .then(started(RUN, "process[1]", 2, EXECUTOR, seconds(21)));
        given(retried)
                .when(reportSucceeded(RUN, "process[0]", 1, OTHER_EXECUTOR, map("n", 1L)), seconds(21))
                .thenRejected(RejectionCode.WRONG_EXECUTOR);
    }

    @Test
    void reports_for_the_mapped_task_itself_or_an_instance_it_does_not_have_are_rejected() {
        given(threeInstancesRunning().toArray(SchedulerEvent[]::new))
                .when(reportSucceeded(RUN, "process", 0, EXECUTOR, map()), seconds(10))
                .thenRejected(RejectionCode.STALE_ATTEMPT);
        given(threeInstancesRunning().toArray(SchedulerEvent[]::new))
                .when(reportSucceeded(RUN, "process[3]", 1, EXECUTOR, map()), seconds(10))
                .thenRejected(RejectionCode.UNKNOWN_TASK);
    }

    @Test
    void instances_hold_their_own_timers_and_time_out_on_their_own() {
        RunState run = given(threeInstancesRunning().toArray(SchedulerEvent[]::new))
                .when(reportHeartbeat(RUN, "process[0]", 1, EXECUTOR), seconds(6)).stateAfter()
                .activeRun(RUN).orElseThrow();
        SchedulerState state = new SchedulerState();
        threeInstancesRunning().forEach(state::apply);

        assertThat(DueTimer.of(run, state.revisionOf(run), SchedulerSettings.defaults()))
                .filteredOn(t -> t.kind() == DueTimer.Kind.TIMEOUT).extracting(DueTimer::taskId)
                .containsExactlyInAnyOrder("process[0]", "process[1]", "process[2]");

        given(threeInstancesRunning().toArray(SchedulerEvent[]::new))
                .when(timeOut(RUN, "process[2]", 1), seconds(6).plus(TIMEOUT))
                .then(timedOut(RUN, "process[2]", 1, seconds(6).plus(TIMEOUT)),
                        retryScheduled(RUN, "process[2]", 2, seconds(6).plus(TIMEOUT).plusSeconds(10)));
    }

    // ---- replay

    @Test
    void folding_the_log_gives_the_state_the_live_decisions_left_with_instances() {
        ReplayTest.Live live = new ReplayTest.Live();
        live.decide(register(SPEC, "v1"), seconds(0));
        live.decide(requestRun(RUN), seconds(0));
        live.decide(reportStarted(RUN, "split", 1, EXECUTOR), seconds(1));
        live.decide(reportSucceeded(RUN, "split", 1, EXECUTOR, map("shards", List.of("a", "b", "c"))), seconds(2));
        live.decide(reportStarted(RUN, "process[0]", 1, EXECUTOR), seconds(3));
        live.decide(reportStarted(RUN, "process[1]", 1, OTHER_EXECUTOR), seconds(3));
        live.decide(reportStarted(RUN, "process[2]", 1, EXECUTOR), seconds(3));
        live.decide(reportFailed(RUN, "process[1]", 1, OTHER_EXECUTOR, "boom", 1), seconds(4));
        live.decide(reportSucceeded(RUN, "process[2]", 1, EXECUTOR, map("n", 3L)), seconds(5));
        live.fireTimers(seconds(14)); // process[1]'s retry
        live.decide(reportStarted(RUN, "process[1]", 2, OTHER_EXECUTOR), seconds(15));
        live.decide(reportSucceeded(RUN, "process[0]", 1, EXECUTOR, map("n", 1L)), seconds(16));
        live.decide(reportSucceeded(RUN, "process[1]", 2, OTHER_EXECUTOR, map("n", 2.5)), seconds(17));
        live.decide(reportStarted(RUN, "sum", 1, EXECUTOR), seconds(18));

        assertThat(live.log).contains(dispatched(RUN, "sum", 1, map("command", "sum 1 2.5 3"), seconds(17)));
        // the same log through the wire (Avro) folds to the same state, as a restarted scheduler would read it
        List<SchedulerEvent> wire = live.log.stream()
                .map(e -> EventCodec.toDomain(EventCodec.decode(EventCodec.encode("e", T0, "c", RUN, e)))).toList();
        assertThat(wire).isEqualTo(live.log);
        assertThat(StateView.of(ReplayTest.fold(wire))).isEqualTo(StateView.of(live.state));

        live.decide(reportSucceeded(RUN, "sum", 1, EXECUTOR, map("total", 6.5)), seconds(19));
        assertThat(live.log.get(live.log.size() - 1)).isEqualTo(runSucceeded(RUN, seconds(19)));
    }
}
