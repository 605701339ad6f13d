package dev.drover.scheduler.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated pipeline definition: what a user registers in YAML or JSON (see {@code docs/pipelines.md}).
 *
 * <p>Instances are only built by {@link PipelineSpecParser}, which guarantees every invariant the scheduler relies
 * on: unique task ids, known dependencies, no cycles, known task types, valid durations and parameter defaults; and
 * restored from the log by {@link PipelineSpecs#fromJson(String)}, which trusts what it once stored.
 *
 * @param id          pipeline id, {@code [a-z0-9][a-z0-9_-]*} (no dots: run ids are {@code <pipelineId>.<suffix>})
 * @param description free text, may be empty
 * @param parameters  declared run parameters by name, in declaration order
 * @param tasks       tasks in declaration order
 * @param triggers    what else starts runs (drift of a model, events, assets), in declaration order; empty: only
 *                    people, APIs and the schedule
 * @param options     schedule, run and task limits, run deadline
 */
public record PipelineSpec(String id, String description, Map<String, ParameterSpec> parameters, List<TaskSpec> tasks,
                           List<Trigger> triggers, PipelineOptions options) {

    public PipelineSpec {
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        tasks = List.copyOf(tasks);
        triggers = List.copyOf(triggers);
        options = options == null ? PipelineOptions.DEFAULTS : options;
    }

    /** A spec with default options. */
    public PipelineSpec(String id, String description, Map<String, ParameterSpec> parameters, List<TaskSpec> tasks,
                        List<Trigger> triggers) {
        this(id, description, parameters, tasks, triggers, PipelineOptions.DEFAULTS);
    }

    /** This spec with other options. */
    public PipelineSpec withOptions(PipelineOptions options) {
        return new PipelineSpec(id, description, parameters, tasks, triggers, options);
    }

    /** A spec without triggers. */
    public PipelineSpec(String id, String description, Map<String, ParameterSpec> parameters, List<TaskSpec> tasks) {
        this(id, description, parameters, tasks, List.of(), PipelineOptions.DEFAULTS);
    }

    /** Whether a drift of this model starts a run of the pipeline. */
    public boolean triggeredByDriftOf(String model) {
        return triggers.stream().anyMatch(t -> t instanceof Trigger.Drift d && d.model().equals(model));
    }

    /** The task with this id, if declared. */
    public Optional<TaskSpec> task(String taskId) {
        return tasks.stream().filter(t -> t.id().equals(taskId)).findFirst();
    }
}
