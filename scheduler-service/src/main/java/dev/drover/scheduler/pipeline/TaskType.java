package dev.drover.scheduler.pipeline;

import java.util.List;
import java.util.Map;

/**
 * A kind of task executors know how to run, and the keys it adds to a task in a pipeline file.
 *
 * <p>The scheduler checks a task's type-specific keys when the pipeline is registered, so that a typo fails at
 * registration with a pointer to the line, not hours later on an executor.
 */
public interface TaskType {

    /** The value of {@code type:} in pipeline files. */
    String name();

    /** The keys this type accepts besides the ones every task has, in the order the docs list them. */
    List<String> keys();

    /**
     * Checks a task's type-specific settings.
     *
     * @param config   the task's keys from {@link #keys()} that are present, as parsed values (String, Long, Double,
     *                 Boolean, List, Map, or null for an empty YAML value); unknown keys were already reported
     * @param taskPath pointer of the task, e.g. {@code /tasks/2}
     * @param problems where to add what is wrong, with paths below {@code taskPath}
     */
    void check(Map<String, Object> config, String taskPath, List<SpecProblem> problems);
}
