package dev.drover.scheduler.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One task of a pipeline.
 *
 * @param id        task id, {@code [A-Za-z0-9_-]+}, unique within the pipeline
 * @param type      task type known to executors ({@code shell}, {@code noop})
 * @param dependsOn ids of tasks that must succeed first
 * @param config    type-specific settings (e.g. {@code command}, {@code env}, {@code workingDir} for shell), as parsed
 *                  JSON values (String, Long, Double, Boolean, List, Map); string values may hold templates
 * @param retry     effective retry policy (task setting, else pipeline default, else none)
 * @param timeout   effective timeout of one attempt
 * @param queue     named executor queue that runs it
 * @param startTimeout how long a dispatched attempt may wait for an executor to start it (task setting, else
 *                     pipeline default), or null to leave it to the scheduler ({@code drover.scheduler.start-timeout})
 * @param options   control flow and limits: trigger rule, {@code when}, {@code mapOver}, outlets, pool, priority,
 *                  deadline
 */
public record TaskSpec(String id, String type, List<String> dependsOn, Map<String, Object> config,
                       RetryPolicy retry, Duration timeout, String queue, Duration startTimeout,
                       TaskOptions options) {

    public TaskSpec {
        dependsOn = List.copyOf(dependsOn);
        config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
        options = options == null ? TaskOptions.DEFAULTS : options;
    }

    /** A task with default options. */
    public TaskSpec(String id, String type, List<String> dependsOn, Map<String, Object> config, RetryPolicy retry,
                    Duration timeout, String queue, Duration startTimeout) {
        this(id, type, dependsOn, config, retry, timeout, queue, startTimeout, TaskOptions.DEFAULTS);
    }

    /** This task with other options. */
    public TaskSpec withOptions(TaskOptions options) {
        return new TaskSpec(id, type, dependsOn, config, retry, timeout, queue, startTimeout, options);
    }

    /** A task that leaves its start timeout to the scheduler. */
    public TaskSpec(String id, String type, List<String> dependsOn, Map<String, Object> config, RetryPolicy retry,
                    Duration timeout, String queue) {
        this(id, type, dependsOn, config, retry, timeout, queue, null, TaskOptions.DEFAULTS);
    }
}
