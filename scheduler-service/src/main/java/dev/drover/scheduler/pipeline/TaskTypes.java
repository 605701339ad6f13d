package dev.drover.scheduler.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of task types a pipeline may use. Adding a type here (and teaching executors to run it) is all it
 * takes for pipeline files to accept it; the JSON schema in {@code pipeline.schema.json} must follow.
 */
public final class TaskTypes {
    /** Does nothing and succeeds: for joining branches, and for tests. */
    public static final TaskType NOOP = new TaskType() {
        @Override
        public String name() {
            return "noop";
        }

        @Override
        public List<String> keys() {
            return List.of();
        }

        @Override
        public void check(Map<String, Object> config, String taskPath, List<SpecProblem> problems) {
            // Nothing to check: noop has no settings of its own.
        }
    };

    /** Runs a command on the executor's host; see {@link ShellTaskType}. */
    public static final TaskType SHELL = new ShellTaskType();

    private static final List<TaskType> ALL = List.of(NOOP, SHELL);

    private TaskTypes() {
    }

    /** The type named {@code name}, if known. */
    public static Optional<TaskType> find(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Names of all known types, for messages and docs. */
    public static List<String> names() {
        return ALL.stream().map(TaskType::name).toList();
    }
}
