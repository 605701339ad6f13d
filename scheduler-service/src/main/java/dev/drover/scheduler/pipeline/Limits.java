package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads and writes the limit keys of a pipeline document: {@code maxActiveTasks} (pipeline), {@code pool} and
 * {@code priority} (task). Kept apart from {@link PipelineSpecParser} and {@link PipelineSpecs}, which only call it
 * (see {@code docs/limits.md}).
 */
public final class Limits {
    /** Pool names: the same rules as queue names, at most 63 characters (they appear in URLs and Kafka keys). */
    public static final Pattern POOL = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
    /** The largest {@code maxActiveTasks} and pool size accepted. */
    public static final int MAX_SLOTS = 100_000;
    /** {@code priority} lies within ±this. */
    public static final int MAX_PRIORITY = 1_000_000;

    static final List<String> ROOT_KEYS = List.of("maxActiveTasks");
    static final List<String> TASK_KEYS = List.of("pool", "priority");

    /** The limit keys of one task as read; null where absent or invalid (and reported). */
    record TaskLimits(String pool, Integer priority) {
    }

    private Limits() {
    }

    /** Reads {@code maxActiveTasks}; null when absent or invalid. */
    static Integer maxActiveTasks(JsonNode root, List<SpecProblem> problems) {
        JsonNode node = root.get("maxActiveTasks");
        if (node == null) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 1 || node.intValue() > MAX_SLOTS) {
            problems.add(new SpecProblem(Pointer.child(Pointer.ROOT, "maxActiveTasks"), "maxActiveTasks must be a "
                    + "whole number from 1 to " + MAX_SLOTS + " (how many tasks of one run may be dispatched or running "
                    + "at once), got " + Values.describe(node) + "; leave it out for no limit"));
            return null;
        }
        return node.intValue();
    }

    /** Reads {@code pool} and {@code priority} of every task, by position in {@code tasks}. */
    static List<TaskLimits> tasks(JsonNode tasks, List<SpecProblem> problems) {
        List<TaskLimits> out = new ArrayList<>();
        if (tasks == null || !tasks.isArray()) {
            return out;
        }
        String tasksPath = Pointer.child(Pointer.ROOT, "tasks");
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode t = tasks.get(i);
            String path = Pointer.child(tasksPath, i);
            if (!t.isObject()) {
                out.add(new TaskLimits(null, null));
                continue;
            }
            out.add(new TaskLimits(pool(t.get("pool"), Pointer.child(path, "pool"), problems),
                    priority(t.get("priority"), Pointer.child(path, "priority"), problems)));
        }
        return out;
    }

    private static String pool(JsonNode node, String path, List<SpecProblem> problems) {
        if (node == null) {
            return null;
        }
        if (!node.isTextual() || !POOL.matcher(node.textValue()).matches()) {
            problems.add(new SpecProblem(path, "a pool name must be 1 to 63 lowercase letters, digits, _ and -, "
                    + "starting with a letter or digit (e.g. gpu, warehouse), got " + Values.describe(node)
                    + "; create the pool with PUT /api/v1/pools/{name}"));
            return null;
        }
        return node.textValue();
    }

    private static Integer priority(JsonNode node, String path, List<SpecProblem> problems) {
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || Math.abs(node.intValue()) > MAX_PRIORITY) {
            problems.add(new SpecProblem(path, "priority must be a whole number from -" + MAX_PRIORITY + " to "
                    + MAX_PRIORITY + " (higher goes first when tasks wait for a slot; default 0), got "
                    + Values.describe(node)));
            return null;
        }
        return node.intValue();
    }

    /** The spec with the limits read by {@link #maxActiveTasks} and {@link #tasks} (every task was read). */
    static PipelineSpec apply(PipelineSpec spec, Integer maxActiveTasks, List<TaskLimits> limits) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int i = 0; i < spec.tasks().size(); i++) {
            TaskSpec t = spec.tasks().get(i);
            TaskLimits l = i < limits.size() ? limits.get(i) : new TaskLimits(null, null);
            tasks.add(t.withOptions(t.options().withPool(l.pool())
                    .withPriority(l.priority() == null ? 0 : l.priority())));
        }
        return new PipelineSpec(spec.id(), spec.description(), spec.parameters(), tasks, spec.triggers(),
                spec.options().withMaxActiveTasks(maxActiveTasks));
    }

    // ---- storage (PipelineSpecs) ----------------------------------------------------------------------------

    /** Writes the pipeline's limit keys; only when set, so that specs without them keep their hash. */
    static void write(PipelineSpec spec, ObjectNode root) {
        if (spec.options().maxActiveTasks() != null) {
            root.put("maxActiveTasks", spec.options().maxActiveTasks());
        }
    }

    /** Writes a task's limit keys; only when set. */
    static void write(TaskSpec task, ObjectNode node) {
        if (task.options().pool() != null) {
            node.put("pool", task.options().pool());
        }
        if (task.options().priority() != 0) {
            node.put("priority", task.options().priority());
        }
    }

    /** {@code spec} (read from stored JSON without its limits) with the limits {@link #write} stored in {@code root}. */
    static PipelineSpec read(JsonNode root, PipelineSpec spec) {
        List<TaskLimits> limits = new ArrayList<>();
        for (JsonNode t : root.path("tasks")) {
            limits.add(new TaskLimits(t.hasNonNull("pool") ? t.get("pool").textValue() : null,
                    t.has("priority") ? t.get("priority").intValue() : null));
        }
        return apply(spec, root.has("maxActiveTasks") ? root.get("maxActiveTasks").intValue() : null, limits);
    }
}
