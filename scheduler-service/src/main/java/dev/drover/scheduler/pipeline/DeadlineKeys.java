package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code deadline} keys of a pipeline document: the pipeline's (how long after it started a run should have
 * finished) and each task's (how long after its first dispatch the task should have finished). Past a deadline the
 * scheduler raises an alert while the run or task keeps running (see {@code docs/rerun-and-deadlines.md}).
 *
 * <p>Kept apart from {@link PipelineSpecParser} and {@link PipelineSpecs} so that reading, storing and hashing the
 * keys is one small file; both call in here.
 */
final class DeadlineKeys {
    static final String KEY = "deadline";

    private DeadlineKeys() {
    }

    /** The deadlines a document declares; null or absent where none. */
    record Parsed(Duration pipeline, Map<String, Duration> tasks) {
    }

    /** Reads the deadlines of a document, adding a problem for each that is not a duration longer than zero. */
    static Parsed parse(JsonNode root, List<SpecProblem> problems) {
        Duration pipeline = root.has(KEY) ? duration(root.get(KEY), Pointer.child(Pointer.ROOT, KEY), problems)
                : null;
        Map<String, Duration> tasks = new HashMap<>();
        JsonNode list = root.get("tasks");
        if (list != null && list.isArray()) {
            for (int i = 0; i < list.size(); i++) {
                JsonNode task = list.get(i);
                if (task.isObject() && task.has(KEY)) {
                    String path = Pointer.child(Pointer.child(Pointer.child(Pointer.ROOT, "tasks"), i), KEY);
                    Duration d = duration(task.get(KEY), path, problems);
                    if (d != null && task.path("id").isTextual()) {
                        tasks.put(task.get("id").textValue(), d);
                    }
                }
            }
        }
        return new Parsed(pipeline, tasks);
    }

    private static Duration duration(JsonNode node, String path, List<SpecProblem> problems) {
        String example = "e.g. deadline: 2h (the run or task keeps running past it; an alert is raised)";
        if (!node.isTextual()) {
            problems.add(new SpecProblem(path, "a deadline must be a duration, got " + Values.describe(node) + "; "
                    + (node.isNumber() ? "durations need a unit, e.g. " + node.asText() + "m" : example)));
            return null;
        }
        Durations.Result result = Durations.parse(node.textValue());
        if (result instanceof Durations.Result.Invalid invalid) {
            problems.add(new SpecProblem(path, invalid.reason()));
            return null;
        }
        Duration d = result.value().orElseThrow();
        if (d.isZero()) {
            problems.add(new SpecProblem(path, "a deadline must be longer than zero, " + example));
            return null;
        }
        return d;
    }

    /** The spec with the parsed deadlines in its options. */
    static PipelineSpec apply(PipelineSpec spec, Parsed parsed) {
        return withDeadlines(spec, parsed.pipeline(), spec.tasks().stream()
                .map(t -> parsed.tasks().get(t.id())).toList());
    }

    private static PipelineSpec withDeadlines(PipelineSpec spec, Duration pipeline, List<Duration> tasks) {
        List<TaskSpec> out = new ArrayList<>();
        for (int i = 0; i < spec.tasks().size(); i++) {
            TaskSpec t = spec.tasks().get(i);
            out.add(tasks.get(i) == null ? t : t.withOptions(t.options().withDeadline(tasks.get(i))));
        }
        return new PipelineSpec(spec.id(), spec.description(), spec.parameters(), out, spec.triggers(),
                spec.options().withDeadline(pipeline));
    }

    /** Writes the deadlines into the stored form; only where set, so that older specs keep their hash. */
    static void write(PipelineSpec spec, ObjectNode root) {
        if (spec.options().deadline() != null) {
            root.put(KEY, Durations.format(spec.options().deadline()));
        }
        JsonNode tasks = root.get("tasks");
        for (int i = 0; i < spec.tasks().size(); i++) {
            Duration d = spec.tasks().get(i).options().deadline();
            if (d != null) {
                ((ObjectNode) tasks.get(i)).put(KEY, Durations.format(d));
            }
        }
    }

    /** The spec read from its stored form, with the deadlines that form holds. */
    static PipelineSpec read(JsonNode root, PipelineSpec spec) {
        Duration pipeline = stored(root.get(KEY));
        List<Duration> tasks = new ArrayList<>();
        JsonNode list = root.get("tasks");
        for (int i = 0; i < spec.tasks().size(); i++) {
            tasks.add(stored(list.get(i).get(KEY)));
        }
        return pipeline == null && tasks.stream().allMatch(java.util.Objects::isNull) ? spec
                : withDeadlines(spec, pipeline, tasks);
    }

    private static Duration stored(JsonNode node) {
        if (node == null) {
            return null;
        }
        return Durations.parse(node.asText()).value().orElseThrow(() -> new IllegalArgumentException(
                "stored pipeline spec is malformed: `deadline` is no duration"));
    }
}
