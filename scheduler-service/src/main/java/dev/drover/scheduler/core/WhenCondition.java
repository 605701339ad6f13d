package dev.drover.scheduler.core;

import dev.drover.platform.expression.Expressions;
import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.TaskControlFlow;
import dev.drover.scheduler.pipeline.TaskSpec;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A task's {@code when} condition, evaluated once, just before its first attempt would be dispatched (Airflow's
 * {@code ShortCircuitOperator} and {@code @task.branch}, written on the task that may be skipped). The expression is
 * CEL ({@link Expressions}): sandboxed, terminating, and a pure function of its inputs, so the decision is the same
 * live and on replay — it is logged anyway, as the {@code TaskSkipped} or {@code TaskDispatched} it led to.
 */
final class WhenCondition {

    /** The outcome of evaluating a condition. */
    sealed interface Result {
        /** True: the task runs. */
        record True() implements Result {
        }

        /** False: the task is skipped, for this reason. */
        record False(String reason) implements Result {
        }

        /** The condition could not be evaluated (or did not give a boolean): the task fails, for this reason. */
        record Error(String message) implements Result {
        }
    }

    private WhenCondition() {
    }

    /** Evaluates {@code when} with {@code params}, {@code tasks} and {@code run} bound as in {@code values}. */
    static Result evaluate(String when, Map<String, Object> values) {
        try {
            return TaskControlFlow.WHEN.test(when, values) ? new Result.True()
                    : new Result.False("`when` was false: " + when);
        } catch (Expressions.ExpressionException e) {
            return new Result.Error("`when` could not be evaluated: " + e.getMessage() + "; fix the condition (a "
                    + "missing key fails: test it first with has(), e.g. has(tasks.train) && "
                    + "tasks.train.outputs.auc > 0.8)");
        }
    }

    /**
     * The ids of the tasks upstream of {@code taskId}, directly or transitively: the only tasks whose outputs a
     * condition may read (the parser checks it), and so the only ones handed to it, which keeps its input independent
     * of how far unrelated branches have got.
     */
    static Set<String> upstreamOf(String taskId, PipelineSpec spec) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(spec.task(taskId).map(TaskSpec::dependsOn).orElseThrow());
        while (!todo.isEmpty()) {
            String id = todo.poll();
            if (out.add(id)) {
                spec.task(id).ifPresent(t -> todo.addAll(t.dependsOn()));
            }
        }
        return out;
    }
}
