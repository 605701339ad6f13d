package dev.drover.scheduler.pipeline;

import java.util.List;
import java.util.Map;

/**
 * {@code type: promote_model}: asks the model registry to move an alias (default {@value #DEFAULT_ALIAS}) to a
 * version if its metric beats the alias holder's.
 *
 * <ul>
 *   <li>{@code model}, {@code version} (required; the version usually a template of a register_model output);</li>
 *   <li>{@code metric} (required): the metric to compare;</li>
 *   <li>{@code direction}: {@code greater} (default) or {@code smaller} is better;</li>
 *   <li>{@code min_improvement}: the least absolute gain that counts (default 0);</li>
 *   <li>{@code min_relative_improvement}: the least gain as a fraction of the holder's value (default 0);</li>
 *   <li>{@code alias}: default {@value #DEFAULT_ALIAS};</li>
 *   <li>measured on shared data: {@code challenger_value} (the run's value of the metric for the version),
 *       {@code champion_version} and {@code champion_value} (the holder measured on the same data; empty: none),
 *       {@code evaluation_data} and {@code drift_report_id} — compared instead of the registered metrics.</li>
 * </ul>
 * A declined promotion is a successful task; its outputs ({@code outcome}, {@code promoted}, {@code reason} …) say
 * why.
 */
public final class PromoteModelTaskType implements TaskType {
    /** The alias a promotion moves when {@code alias} is not set. */
    public static final String DEFAULT_ALIAS = "champion";
    static final List<String> DIRECTIONS = List.of("greater", "smaller");
    private static final String WHAT = "a promote_model task";

    PromoteModelTaskType() {
    }

    @Override
    public String name() {
        return "promote_model";
    }

    @Override
    public List<String> keys() {
        return List.of("model", "version", "metric", "direction", "min_improvement", "min_relative_improvement",
                "alias", "challenger_value", "champion_version", "champion_value", "evaluation_data",
                "drift_report_id");
    }

    @Override
    public void check(Map<String, Object> config, String taskPath, List<SpecProblem> problems) {
        RegistryConfigChecks.requiredString(config, "model", taskPath, WHAT, "model: churn", problems)
                .ifPresent(name -> RegistryConfigChecks.entityName(name, "model",
                        Pointer.child(taskPath, "model"), problems));
        if (!config.containsKey("version")) {
            problems.add(new SpecProblem(taskPath, WHAT + " needs `version`, the version to promote, e.g. version: "
                    + "\"{{ tasks.register.outputs.version }}\""));
        } else {
            RegistryConfigChecks.versionOrTemplate(config.get("version"), Pointer.child(taskPath, "version"),
                    "version: \"{{ tasks.register.outputs.version }}\"", problems);
        }
        RegistryConfigChecks.requiredString(config, "metric", taskPath, WHAT, "metric: auc", problems)
                .ifPresent(metric -> RegistryConfigChecks.key(metric, "metric", Pointer.child(taskPath, "metric"),
                        problems));
        if (config.containsKey("direction")) {
            Object direction = config.get("direction");
            if (!(direction instanceof String d) || !DIRECTIONS.contains(d)) {
                problems.add(new SpecProblem(Pointer.child(taskPath, "direction"), "direction must be greater (a "
                        + "higher value is better, e.g. auc) or smaller (a lower value is better, e.g. log_loss), "
                        + "got " + Values.describe(direction)
                        + (direction instanceof String d ? PipelineSpecParser.suggestion(d, DIRECTIONS) : "")));
            }
        }
        nonNegative(config, "min_improvement", "min_improvement: 0.01", taskPath, problems);
        nonNegative(config, "min_relative_improvement", "min_relative_improvement: 0.02 (2 %)", taskPath, problems);
        RegistryConfigChecks.optionalString(config, "alias", taskPath, "alias: " + DEFAULT_ALIAS, problems)
                .ifPresent(alias -> RegistryConfigChecks.alias(alias, Pointer.child(taskPath, "alias"), problems));
        if (config.containsKey("challenger_value")) {
            RegistryConfigChecks.numberOrTemplate(config.get("challenger_value"),
                    Pointer.child(taskPath, "challenger_value"),
                    "challenger_value: \"{{ tasks.evaluate.outputs.production_auc }}\"", problems);
        } else {
            for (String measured : List.of("champion_version", "champion_value", "evaluation_data")) {
                if (config.containsKey(measured)) {
                    problems.add(new SpecProblem(Pointer.child(taskPath, measured), measured + " describes a "
                            + "comparison measured on shared data, which needs challenger_value too (the new "
                            + "version's value of the metric on the same data)"));
                }
            }
        }
        // champion_version and champion_value may render empty (no version holds the alias yet): checked at run time
        RegistryConfigChecks.optionalText(config, "evaluation_data", taskPath, problems);
        RegistryConfigChecks.optionalText(config, "drift_report_id", taskPath, problems);
    }

    private static void nonNegative(Map<String, Object> config, String key, String example, String taskPath,
                                    List<SpecProblem> problems) {
        if (!config.containsKey(key)) {
            return;
        }
        String path = Pointer.child(taskPath, key);
        RegistryConfigChecks.numberOrTemplate(config.get(key), path, example, problems)
                .filter(d -> !(d >= 0) || !Double.isFinite(d))
                .ifPresent(d -> problems.add(new SpecProblem(path, key + " must be a finite number of 0 or more, got "
                        + d + "; e.g. " + example)));
    }
}
