package dev.drover.scheduler.pipeline;

import java.util.List;
import java.util.Map;

/**
 * {@code trigger_pipeline}: starts a run of another pipeline with parameters, optionally waiting for it to finish
 * (Airflow's {@code TriggerDagRunOperator}; see {@code docs/assets.md}). Executors run it against the scheduler's
 * REST API with an idempotency key derived from the run and task, so a retried attempt never starts a second run.
 */
public final class TriggerPipelineTaskType implements TaskType {
    private static final String WHAT = "a trigger_pipeline task";

    TriggerPipelineTaskType() {
    }

    @Override
    public String name() {
        return "trigger_pipeline";
    }

    @Override
    public List<String> keys() {
        return List.of("pipeline", "parameters", "wait", "pollInterval");
    }

    @Override
    public void check(Map<String, Object> config, String taskPath, List<SpecProblem> problems) {
        RegistryConfigChecks.requiredString(config, "pipeline", taskPath, WHAT, "pipeline: churn-training", problems)
                .filter(id -> !RegistryConfigChecks.isTemplate(id) && !PipelineSpecParser.PIPELINE_ID.matcher(id)
                        .matches())
                .ifPresent(id -> problems.add(new SpecProblem(Pointer.child(taskPath, "pipeline"), "`" + id
                        + "` is not a pipeline id: 1 to 63 lowercase letters, digits, _ and -")));
        RegistryConfigChecks.mapping(config, "parameters", taskPath,
                "parameters: {dataset: \"{{ params.dataset }}\"}", problems);
        Object wait = config.get("wait");
        if (config.containsKey("wait") && !(wait instanceof Boolean)) {
            problems.add(new SpecProblem(Pointer.child(taskPath, "wait"), "wait must be true (wait for the run to "
                    + "finish and fail if it fails) or false (the default: only start it), got "
                    + Values.describe(wait)));
        }
        if (config.containsKey("pollInterval")) {
            String path = Pointer.child(taskPath, "pollInterval");
            Object v = config.get("pollInterval");
            if (!(v instanceof String s) || Durations.parse(s).value().isEmpty()) {
                problems.add(new SpecProblem(path, "pollInterval must be a duration such as 10s or 1m, got "
                        + Values.describe(v)));
            } else if (Durations.parse(s).value().get().toMillis() < 100) {
                problems.add(new SpecProblem(path, "pollInterval must be at least 100ms, got " + s));
            }
            if (!Boolean.TRUE.equals(wait)) {
                problems.add(new SpecProblem(path, "pollInterval only matters with wait: true; set wait: true or "
                        + "remove pollInterval"));
            }
        }
    }
}
