package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.platform.expression.Expressions;
import dev.drover.scheduler.expression.References;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads, checks and stores a task's control-flow keys: {@code triggerRule} (when the task may run given how its
 * upstream tasks ended) and {@code when} (a CEL condition; false skips the task). See {@code docs/control-flow.md}.
 * Kept apart from {@link PipelineSpecParser} and {@link PipelineSpecs} so that they only call it.
 */
public final class TaskControlFlow {
    /** The language of {@code when}: CEL over the run's parameters, its upstream tasks' outputs and the run. */
    public static final Expressions WHEN = new Expressions(Set.of("params", "tasks", "run"));
    /** The task keys read here. */
    static final List<String> KEYS = List.of("triggerRule", "when");
    /** What {@code run} holds in a condition. */
    static final List<String> RUN_KEYS = List.of("id", "pipeline");

    private TaskControlFlow() {
    }

    /** The trigger rules' names in the pipeline format, e.g. {@code none_failed_min_one_success}. */
    static List<String> ruleNames() {
        return Stream.of(TriggerRule.values()).map(TriggerRule::formatName).toList();
    }

    /** Reads {@code triggerRule} and {@code when} of a task document into {@code options}, reporting problems. */
    static TaskOptions read(JsonNode task, String path, TaskOptions options, List<SpecProblem> problems) {
        JsonNode rule = task.get("triggerRule");
        if (rule != null) {
            String rulePath = Pointer.child(path, "triggerRule");
            String allowed = String.join(", ", ruleNames());
            java.util.Optional<TriggerRule> known = rule.isTextual() ? Stream.of(TriggerRule.values())
                    .filter(r -> r.formatName().equals(rule.textValue())).findFirst() : java.util.Optional.empty();
            if (known.isPresent()) {
                options = options.withTriggerRule(known.get());
            } else if (rule.isTextual()) {
                problems.add(new SpecProblem(rulePath, "unknown trigger rule `" + rule.textValue() + "`; use one of "
                        + allowed + PipelineSpecParser.suggestion(rule.textValue(), ruleNames())));
            } else {
                problems.add(new SpecProblem(rulePath, "triggerRule must be the name of a rule, one of " + allowed
                        + ", got " + Values.describe(rule)));
            }
        }
        JsonNode when = task.get("when");
        if (when != null) {
            String whenPath = Pointer.child(path, "when");
            if (!when.isTextual() || when.textValue().isBlank()) {
                problems.add(new SpecProblem(whenPath, "`when` must be a CEL condition written as a string, e.g. "
                        + "when: \"params.deploy\" or when: \"tasks.evaluate.outputs.auc >= 0.8\", got "
                        + Values.describe(when) + (when.isBoolean() ? "; quote it: when: \"" + when.asText() + "\""
                        : "")));
            } else {
                String problem = WHEN.problem(when.textValue());
                if (problem != null) {
                    problems.add(new SpecProblem(whenPath, "`when` is not a valid CEL condition: " + problem
                            + "; it may use params, tasks (outputs of upstream tasks, e.g. "
                            + "tasks.train.outputs.auc) and run (id, pipeline)"));
                }
                options = options.withWhen(when.textValue());
            }
        }
        return options;
    }

    /**
     * Checks what a task's {@code when} reads: declared parameters, tasks upstream of it (only their outputs can be
     * there when it is evaluated), and the run's {@code id} and {@code pipeline}.
     *
     * @param tasks    the pipeline's task ids
     * @param upstream whether a task id is upstream of the task, directly or transitively
     */
    static void checkWhen(String when, String path, String taskId, Set<String> parameters, List<String> tasks,
                          Predicate<String> upstream, List<SpecProblem> problems) {
        if (when == null || WHEN.problem(when) != null) {
            return; // absent, or already reported as invalid
        }
        String whenPath = Pointer.child(path, "when");
        for (String p : References.keysOf(when, "params")) {
            if (!parameters.contains(p)) {
                problems.add(new SpecProblem(whenPath, "`when` reads params." + p + ", which is not a declared "
                        + "parameter; declare it under `parameters` or fix the name"
                        + PipelineSpecParser.suggestion(p, List.copyOf(parameters))));
            }
        }
        for (String t : References.keysOf(when, "tasks")) {
            if (!tasks.contains(t)) {
                problems.add(new SpecProblem(whenPath, "`when` reads tasks." + t + ", but there is no task `" + t
                        + "`; known tasks: " + String.join(", ", tasks) + PipelineSpecParser.suggestion(t, tasks)));
            } else if (!upstream.test(t)) {
                problems.add(new SpecProblem(whenPath, "`when` reads tasks." + t + ", which is not upstream of task `"
                        + taskId + "`; a condition can only read the outputs of tasks it depends on (directly or "
                        + "through others), so add `" + t + "` to its dependsOn"));
            }
        }
        for (String r : References.keysOf(when, "run")) {
            if (!RUN_KEYS.contains(r)) {
                problems.add(new SpecProblem(whenPath, "`when` reads run." + r + "; run has only "
                        + String.join(" and ", RUN_KEYS)));
            }
        }
    }

    /** Writes the keys that differ from the defaults, so specs without them keep the hash they had before. */
    static void write(TaskOptions options, ObjectNode task) {
        if (options.triggerRule() != TriggerRule.ALL_SUCCESS) {
            task.put("triggerRule", options.triggerRule().formatName());
        }
        if (options.when() != null) {
            task.put("when", options.when());
        }
    }

    /** Reads what {@link #write} wrote into {@code options}. */
    static TaskOptions fromJson(JsonNode task, TaskOptions options) {
        JsonNode rule = task.get("triggerRule");
        if (rule != null) {
            options = options.withTriggerRule(TriggerRule.valueOf(rule.textValue().toUpperCase(Locale.ROOT)));
        }
        JsonNode when = task.get("when");
        if (when != null) {
            options = options.withWhen(when.textValue());
        }
        return options;
    }
}
