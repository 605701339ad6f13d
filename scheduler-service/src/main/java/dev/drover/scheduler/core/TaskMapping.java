package dev.drover.scheduler.core;

import dev.drover.platform.expression.Expressions;
import dev.drover.scheduler.pipeline.TaskSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Dynamic task mapping ({@code mapOver}, Airflow's {@code .expand()}): what a mapped task's list expression gives
 * when the task becomes ready, and the values its instances and its downstream tasks see.
 *
 * <p>Pure and deterministic: the expression reads only the run's parameters, its upstream tasks' outputs and its
 * ids, so deciding it again from the same state gives the same list.
 */
public final class TaskMapping {
    /**
     * The most instances one mapped task may expand into. A longer list fails the task for good: thousands of
     * instances belong in one task that loops, or in a batch system, not in the scheduler's state.
     */
    public static final int MAX_INSTANCES = 1024;
    /** The variables a {@code mapOver} expression may use. */
    public static final Set<String> VARIABLES = Set.of("params", "tasks", "run");

    private static final Expressions EXPRESSIONS = new Expressions(VARIABLES);

    private TaskMapping() {
    }

    /** What a mapped task does when it becomes ready. */
    public sealed interface Outcome {
    }

    /** Run one instance per element. */
    public record Expand(List<Object> items) implements Outcome {
    }

    /** The list is empty: nothing to run, and that is not a failure (as in Airflow). */
    public record Skip(String reason) implements Outcome {
    }

    /** The expression failed, gave no list, or gave too long a list: the task fails for good. */
    public record Fail(String reason) implements Outcome {
    }

    /** Evaluates {@code spec}'s {@code mapOver} against the run as it stands. */
    public static Outcome evaluate(TaskSpec spec, RunState run) {
        String expression = spec.options().mapOver();
        Object value;
        try {
            value = EXPRESSIONS.evaluate(expression, Map.of("params", run.parameters(), "tasks", upstreamTasks(run),
                    "run", runValues(run)));
        } catch (Expressions.ExpressionException e) {
            return new Fail("mapOver " + e.getMessage());
        }
        if (!(value instanceof List<?> list)) {
            return new Fail("mapOver `" + expression + "` must give a list to map over, but gave "
                    + (value == null ? "null" : describe(value)) + "; make the expression return a list, e.g. "
                    + "params.NAME.split(\",\") or tasks.TASK.outputs.LIST");
        }
        if (list.isEmpty()) {
            return new Skip("mapped over an empty list");
        }
        if (list.size() > MAX_INSTANCES) {
            return new Fail("mapOver `" + expression + "` gave " + list.size() + " elements, more than the limit of "
                    + MAX_INSTANCES + " instances per mapped task; map over batches of elements instead");
        }
        return new Expand(new ArrayList<>(list));
    }

    private static String describe(Object value) {
        String type = value instanceof Map<?, ?> ? "a map" : value instanceof String ? "a string"
                : value instanceof Boolean ? "a boolean" : value instanceof Number ? "a number"
                : value.getClass().getSimpleName();
        String text = String.valueOf(value);
        return type + " " + (text.length() > 80 ? text.substring(0, 80) + "…" : text);
    }

    /**
     * {@code tasks} as templates and expressions see it: each succeeded task's {@code outputs}, where a mapped task's
     * outputs are the LIST of its instances' outputs in index order (an instance that was skipped gives an empty map).
     * Instances themselves are not listed.
     */
    public static Map<String, Object> upstreamTasks(RunState run) {
        Map<String, Object> tasks = new HashMap<>();
        run.tasks().forEach((id, t) -> {
            if (t.status() == TaskStatus.SUCCEEDED && !TaskInstances.isInstance(id)) {
                tasks.put(id, Map.of("outputs", t.mapItems() == null ? t.outputs() : instanceOutputs(run, id, t)));
            }
        });
        return tasks;
    }

    private static List<Object> instanceOutputs(RunState run, String taskId, TaskState parent) {
        List<Object> out = new ArrayList<>(parent.mapItems().size());
        for (int i = 0; i < parent.mapItems().size(); i++) {
            TaskState instance = run.tasks().get(TaskInstances.instanceId(taskId, i));
            out.add(instance == null ? Map.of() : instance.outputs());
        }
        return out;
    }

    /** {@code run} as templates and expressions see it. */
    public static Map<String, Object> runValues(RunState run) {
        return Map.of("id", run.runId(), "pipeline", run.pipelineId());
    }

    /**
     * {@code map} in an instance's templates: {@code {item, index}}; null for an id that is not an instance.
     */
    public static Map<String, Object> mapValues(RunState run, String taskId) {
        OptionalInt index = TaskInstances.indexOf(taskId);
        if (index.isEmpty()) {
            return null;
        }
        TaskState parent = run.tasks().get(TaskInstances.specIdOf(taskId));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("item", parent.mapItems().get(index.getAsInt()));
        map.put("index", (long) index.getAsInt());
        return map;
    }

    /**
     * When every instance of the mapped task {@code taskId} has finished, how it ends: null while some still run,
     * else the ids of the instances that failed (empty: it succeeded). Skipped instances count as done.
     */
    public static List<String> failedInstancesIfDone(RunState run, String taskId) {
        TaskState parent = run.tasks().get(taskId);
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < parent.mapItems().size(); i++) {
            String id = TaskInstances.instanceId(taskId, i);
            TaskStatus st = run.tasks().get(id).status();
            if (!st.finished()) {
                return null;
            }
            if (st == TaskStatus.FAILED || st == TaskStatus.UPSTREAM_FAILED || st == TaskStatus.CANCELED) {
                failed.add(id);
            }
        }
        return failed;
    }
}
