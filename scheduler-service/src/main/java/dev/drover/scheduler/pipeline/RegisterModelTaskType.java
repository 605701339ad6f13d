package dev.drover.scheduler.pipeline;

import java.util.List;
import java.util.Map;

/**
 * {@code type: register_model}: registers a new version of a model in the model registry, creating the model if it
 * is missing, with the run and task as its lineage.
 *
 * <ul>
 *   <li>{@code model} (required): the registered model's name;</li>
 *   <li>{@code artifact} (required): where the model is, usually a template of an upstream output;</li>
 *   <li>{@code metrics}: name to number (or a template giving one);</li>
 *   <li>{@code params}, {@code tags}: name to value (strings, numbers or booleans, sent as strings);</li>
 *   <li>{@code description}; {@code code_version} (default: the executor's {@code DROVER_CODE_VERSION}, else the
 *       commit of its working directory);</li>
 *   <li>{@code feature_set}: {@code {name, version}} of the data the model was trained on.</li>
 * </ul>
 * Outputs: {@code model}, {@code version}, {@code artifact}.
 */
public final class RegisterModelTaskType implements TaskType {
    static final List<String> FEATURE_SET_KEYS = List.of("name", "version");
    private static final String WHAT = "a register_model task";

    RegisterModelTaskType() {
    }

    @Override
    public String name() {
        return "register_model";
    }

    @Override
    public List<String> keys() {
        return List.of("model", "artifact", "metrics", "params", "tags", "description", "code_version",
                "feature_set");
    }

    @Override
    public void check(Map<String, Object> config, String taskPath, List<SpecProblem> problems) {
        RegistryConfigChecks.requiredString(config, "model", taskPath, WHAT, "model: churn", problems)
                .ifPresent(name -> RegistryConfigChecks.entityName(name, "model",
                        Pointer.child(taskPath, "model"), problems));
        RegistryConfigChecks.requiredString(config, "artifact", taskPath, WHAT,
                "artifact: \"{{ tasks.train.outputs.model_path }}\"", problems);
        RegistryConfigChecks.mapping(config, "metrics", taskPath,
                "metrics: {auc: \"{{ tasks.evaluate.outputs.auc }}\"}", problems).ifPresent(metrics ->
                metrics.forEach((k, v) -> {
                    String path = Pointer.child(Pointer.child(taskPath, "metrics"), String.valueOf(k));
                    RegistryConfigChecks.key(String.valueOf(k), "metric", path, problems);
                    RegistryConfigChecks.numberOrTemplate(v, path, k + ": \"{{ tasks.evaluate.outputs." + k + " }}\"",
                                    problems)
                            .filter(d -> !Double.isFinite(d))
                            .ifPresent(d -> problems.add(new SpecProblem(path, "metric values must be finite "
                                    + "numbers, got " + d)));
                }));
        scalarMap(config, "params", "parameter", "params: {learning_rate: \"{{ params.learning_rate }}\"}",
                taskPath, problems);
        scalarMap(config, "tags", "tag", "tags: {team: growth}", taskPath, problems);
        RegistryConfigChecks.optionalText(config, "description", taskPath, problems);
        RegistryConfigChecks.optionalString(config, "code_version", taskPath,
                "code_version: \"{{ tasks.checkout.outputs.commit }}\"", problems);
        RegistryConfigChecks.mapping(config, "feature_set", taskPath,
                "feature_set: {name: churn-features, version: \"{{ tasks.profile.outputs.version }}\"}", problems)
                .ifPresent(fs -> featureSet(fs, Pointer.child(taskPath, "feature_set"), problems));
    }

    private static void scalarMap(Map<String, Object> config, String key, String what, String example,
                                  String taskPath, List<SpecProblem> problems) {
        RegistryConfigChecks.mapping(config, key, taskPath, example, problems).ifPresent(map ->
                map.forEach((k, v) -> {
                    String path = Pointer.child(Pointer.child(taskPath, key), String.valueOf(k));
                    RegistryConfigChecks.key(String.valueOf(k), what, path, problems);
                    if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                        problems.add(new SpecProblem(path, what + " values must be strings, numbers or booleans, "
                                + "got " + Values.describe(v) + (v == null ? "; write \"\" for an empty value" : "")));
                    }
                }));
    }

    private static void featureSet(Map<?, ?> fs, String path, List<SpecProblem> problems) {
        RegistryConfigChecks.unknownKeys(fs, FEATURE_SET_KEYS, path, "feature_set", problems);
        Object name = fs.get("name");
        if (name == null) {
            problems.add(new SpecProblem(path, "feature_set needs `name`, the feature set the model was trained on, "
                    + "e.g. feature_set: {name: churn-features, version: 3}"));
        } else if (!(name instanceof String s) || s.isBlank()) {
            problems.add(new SpecProblem(Pointer.child(path, "name"), "feature_set.name must be a non-blank string, "
                    + "got " + Values.describe(name)));
        } else if (!RegistryConfigChecks.isTemplate(s)) {
            RegistryConfigChecks.entityName(s, "feature set", Pointer.child(path, "name"), problems);
        }
        if (!fs.containsKey("version")) {
            problems.add(new SpecProblem(path, "feature_set needs `version`, usually the output of the task that "
                    + "profiled it, e.g. version: \"{{ tasks.profile.outputs.version }}\""));
        } else {
            RegistryConfigChecks.versionOrTemplate(fs.get("version"), Pointer.child(path, "version"),
                    "version: \"{{ tasks.profile.outputs.version }}\"", problems);
        }
    }
}
