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

    /** Registers a model version in the model registry; see {@link RegisterModelTaskType}. */
    public static final TaskType REGISTER_MODEL = new RegisterModelTaskType();

    /** Profiles a CSV file and registers it as a feature-set version; see {@link ProfileFeatureSetTaskType}. */
    public static final TaskType PROFILE_FEATURE_SET = new ProfileFeatureSetTaskType();

    /** Moves a model alias to a better version; see {@link PromoteModelTaskType}. */
    public static final TaskType PROMOTE_MODEL = new PromoteModelTaskType();

    /** Sensors (see {@link SensorTaskTypes}): wait for a file, an HTTP answer, an event, or a moment. */
    public static final TaskType WAIT_FOR_FILE = SensorTaskTypes.FILE;
    public static final TaskType WAIT_FOR_HTTP = SensorTaskTypes.HTTP;
    public static final TaskType WAIT_FOR_EVENT = SensorTaskTypes.EVENT;
    public static final TaskType WAIT_FOR_TIME = SensorTaskTypes.TIME;

    /** Starts a run of another pipeline; see {@link TriggerPipelineTaskType}. */
    public static final TaskType TRIGGER_PIPELINE = new TriggerPipelineTaskType();

    private static final List<TaskType> ALL = List.of(NOOP, SHELL, REGISTER_MODEL, PROFILE_FEATURE_SET,
            PROMOTE_MODEL, WAIT_FOR_FILE, WAIT_FOR_HTTP, WAIT_FOR_EVENT, WAIT_FOR_TIME, TRIGGER_PIPELINE);

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
