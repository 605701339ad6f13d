package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.platform.expression.Expressions;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The task key {@code mapOver} (dynamic task mapping, see {@code docs/mapping.md}): a CEL expression over
 * {@code params}, {@code tasks} and {@code run} giving the list the task fans out over, one instance per element.
 * Read by {@link PipelineSpecParser}; checked at registration so that a typo or a read of a task that is not
 * upstream is reported with its path instead of failing the run later.
 */
final class MapOverOption {
    /** The key in a task. */
    static final String KEY = "mapOver";
    /** The variables a {@code mapOver} expression may use. */
    static final Set<String> VARIABLES = Set.of("params", "tasks", "run");

    private static final Expressions EXPRESSIONS = new Expressions(VARIABLES);
    private static final String EXAMPLE = "e.g. mapOver: params.regions or mapOver: tasks.split.outputs.shards";
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'");
    private static final Pattern TASK_FIELD = Pattern.compile("\\btasks\\s*\\.\\s*([A-Za-z_][A-Za-z0-9_]*)(?!\\s*\\()");
    private static final Pattern TASK_INDEX = Pattern.compile("\\btasks\\s*\\[\\s*(['\"])([^'\"]*)\\1\\s*]");
    private static final Pattern PARAM_FIELD = Pattern.compile("\\bparams\\s*\\.\\s*([A-Za-z_][A-Za-z0-9_]*)(?!\\s*\\()");

    private MapOverOption() {
    }

    /** Reads the key from a task mapping: its expression, or null when absent or invalid (then reported). */
    static String read(JsonNode task, String taskPath, List<SpecProblem> problems) {
        JsonNode node = task.get(KEY);
        if (node == null) {
            return null;
        }
        String path = Pointer.child(taskPath, KEY);
        if (!node.isTextual() || node.textValue().isBlank()) {
            problems.add(new SpecProblem(path, "mapOver must be a CEL expression (a string) that gives a list, got "
                    + Values.describe(node) + "; " + EXAMPLE + (node.isArray() ? ", or write a literal list as a "
                    + "string: mapOver: \"['a', 'b']\"" : "")));
            return null;
        }
        return node.textValue();
    }

    /**
     * Checks that the expression compiles and reads only declared parameters and upstream tasks.
     *
     * @param upstream whether a task id is a direct or transitive dependency of {@code taskId}
     */
    static void check(String expression, String taskPath, String taskId, Set<String> parameters, List<String> tasks,
                      Predicate<String> upstream, List<SpecProblem> problems) {
        String path = Pointer.child(taskPath, KEY);
        String quoted = "mapOver `" + expression + "`";
        String problem = EXPRESSIONS.problem(expression);
        if (problem != null) {
            problems.add(new SpecProblem(path, quoted + " is not a valid CEL expression: " + problem
                    + "; it may use " + String.join(", ", List.of("params", "tasks", "run")) + ", " + EXAMPLE));
            return;
        }
        String code = STRING_LITERAL.matcher(expression).replaceAll("\"\"");
        Matcher params = PARAM_FIELD.matcher(code);
        while (params.find()) {
            String name = params.group(1);
            if (!parameters.contains(name)) {
                problems.add(new SpecProblem(path, quoted + " uses parameter `" + name + "`, which is not declared; "
                        + "declare it under `parameters` or fix the name (" + (parameters.isEmpty()
                        ? "this pipeline declares no parameters" : "declared: " + String.join(", ", parameters))
                        + ")"));
            }
        }
        Matcher fields = TASK_FIELD.matcher(code);
        while (fields.find()) {
            checkTask(fields.group(1), quoted, path, taskId, tasks, upstream, problems);
        }
        Matcher indexed = TASK_INDEX.matcher(expression);
        while (indexed.find()) {
            checkTask(indexed.group(2), quoted, path, taskId, tasks, upstream, problems);
        }
    }

    private static void checkTask(String id, String quoted, String path, String taskId, List<String> tasks,
                                  Predicate<String> upstream, List<SpecProblem> problems) {
        if (id.equals(taskId)) {
            problems.add(new SpecProblem(path, quoted + " reads task `" + id + "` itself, whose outputs cannot exist "
                    + "before it runs; map over an upstream task's outputs or a parameter"));
        } else if (!tasks.contains(id)) {
            problems.add(new SpecProblem(path, quoted + " refers to task `" + id + "`, which this pipeline does not "
                    + "have; known tasks: " + String.join(", ", tasks)
                    + PipelineSpecParser.suggestion(id, tasks)));
        } else if (!upstream.test(id)) {
            problems.add(new SpecProblem(path, quoted + " reads task `" + id + "`, which is not upstream of `"
                    + taskId + "`, so its outputs may not exist when the list is evaluated; add `" + id
                    + "` to dependsOn of `" + taskId + "` (directly or through another task)"));
        }
    }
}
