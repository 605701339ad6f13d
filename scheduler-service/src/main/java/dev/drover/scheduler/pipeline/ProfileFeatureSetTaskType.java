package dev.drover.scheduler.pipeline;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code type: profile_feature_set}: computes the reference statistics of a CSV file (histograms, quantiles,
 * category counts, missing counts) and registers them as a new version of a feature set in the model registry.
 *
 * <ul>
 *   <li>{@code feature_set} (required): the feature set's name;</li>
 *   <li>{@code data} (required): path of a CSV file with a header row, usually a template of an upstream output;</li>
 *   <li>{@code features}: the columns to profile as {@code {name, type}} ({@code type} NUMERIC, CATEGORICAL or
 *       BINARY; inferred when left out); default: every column, types inferred;</li>
 *   <li>{@code exclude}: columns to leave out, such as the label or an id;</li>
 *   <li>{@code bins}: histogram bins of numeric features, default {@value #DEFAULT_BINS};</li>
 *   <li>{@code description}.</li>
 * </ul>
 * Outputs: {@code feature_set}, {@code version}, {@code row_count}.
 */
public final class ProfileFeatureSetTaskType implements TaskType {
    /** Histogram bins of a numeric feature when {@code bins} is not set. */
    public static final int DEFAULT_BINS = 10;
    /** The registry keeps at most this many bins per feature. */
    public static final int MAX_BINS = 1000;
    /** The registry keeps at most this many features per version. */
    public static final int MAX_FEATURES = 1000;
    static final List<String> FEATURE_KEYS = List.of("name", "type");
    static final List<String> FEATURE_TYPES = List.of("NUMERIC", "CATEGORICAL", "BINARY");
    private static final String WHAT = "a profile_feature_set task";

    ProfileFeatureSetTaskType() {
    }

    @Override
    public String name() {
        return "profile_feature_set";
    }

    @Override
    public List<String> keys() {
        return List.of("feature_set", "data", "features", "exclude", "bins", "description");
    }

    @Override
    public void check(Map<String, Object> config, String taskPath, List<SpecProblem> problems) {
        RegistryConfigChecks.requiredString(config, "feature_set", taskPath, WHAT, "feature_set: churn-features",
                        problems)
                .ifPresent(name -> RegistryConfigChecks.entityName(name, "feature set",
                        Pointer.child(taskPath, "feature_set"), problems));
        RegistryConfigChecks.requiredString(config, "data", taskPath, WHAT,
                "data: \"{{ tasks.featurize.outputs.train_path }}\"", problems);
        Set<String> featureNames = config.containsKey("features")
                ? features(config.get("features"), Pointer.child(taskPath, "features"), problems) : Set.of();
        if (config.containsKey("exclude")) {
            exclude(config.get("exclude"), featureNames, Pointer.child(taskPath, "exclude"), problems);
        }
        if (config.containsKey("bins")) {
            Object bins = config.get("bins");
            String path = Pointer.child(taskPath, "bins");
            if (bins instanceof Long n) {
                if (n < 1 || n > MAX_BINS) {
                    problems.add(new SpecProblem(path, "bins must be from 1 to " + MAX_BINS + ", got " + n));
                }
            } else if (!RegistryConfigChecks.isTemplate(bins)) {
                problems.add(new SpecProblem(path, "bins must be a whole number from 1 to " + MAX_BINS
                        + " (histogram bins per numeric feature), got " + Values.describe(bins) + "; e.g. bins: 20"));
            }
        }
        RegistryConfigChecks.optionalText(config, "description", taskPath, problems);
    }

    /** Checks the list of features; returns the names given. */
    private static Set<String> features(Object value, String path, List<SpecProblem> problems) {
        Set<String> names = new HashSet<>();
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            problems.add(new SpecProblem(path, "features must be a non-empty list of {name, type}, e.g. features: "
                    + "[{name: tenure, type: NUMERIC}, {name: plan, type: CATEGORICAL}]; leave it out to profile "
                    + "every column, got " + Values.describe(value)));
            return names;
        }
        if (list.size() > MAX_FEATURES) {
            problems.add(new SpecProblem(path, list.size() + " features; the registry keeps at most " + MAX_FEATURES
                    + " per feature set"));
        }
        for (int i = 0; i < list.size(); i++) {
            String itemPath = Pointer.child(path, i);
            Object item = list.get(i);
            if (item instanceof String s) {
                // A bare column name is the short form of {name: s}: its type is inferred.
                item = Map.of("name", s);
            }
            if (!(item instanceof Map<?, ?> feature)) {
                problems.add(new SpecProblem(itemPath, "a feature is a column name or {name, type}, e.g. {name: "
                        + "tenure, type: NUMERIC}, got " + Values.describe(item)));
                continue;
            }
            RegistryConfigChecks.unknownKeys(feature, FEATURE_KEYS, itemPath, "a feature", problems);
            Object name = feature.get("name");
            if (!(name instanceof String s) || s.isBlank()) {
                problems.add(new SpecProblem(itemPath, "a feature needs `name`, the column's name in the CSV "
                        + "header, e.g. {name: tenure, type: NUMERIC}"));
            } else if (!names.add(s)) {
                problems.add(new SpecProblem(Pointer.child(itemPath, "name"), "feature `" + s + "` is listed twice; "
                        + "list each column once"));
            }
            if (feature.containsKey("type")) {
                Object type = feature.get("type");
                String known = String.join(", ", FEATURE_TYPES);
                if (!(type instanceof String t) || !isFeatureType(t)) {
                    problems.add(new SpecProblem(Pointer.child(itemPath, "type"), "unknown feature type "
                            + Values.describe(type) + "; use one of " + known + " (lower case works too; or leave type out to infer it)"
                            + (type instanceof String t ? PipelineSpecParser.suggestion(t.toUpperCase(Locale.ROOT),
                            FEATURE_TYPES) : "")));
                }
            }
        }
        return names;
    }

    /** NUMERIC, CATEGORICAL or BINARY, in upper or lower case (as the JSON schema can say too). */
    static boolean isFeatureType(String type) {
        return FEATURE_TYPES.contains(type)
                || (type.equals(type.toLowerCase(Locale.ROOT)) && FEATURE_TYPES.contains(type.toUpperCase(Locale.ROOT)));
    }

    private static void exclude(Object value, Set<String> features, String path, List<SpecProblem> problems) {
        if (!(value instanceof List<?> list)) {
            problems.add(new SpecProblem(path, "exclude must be a list of column names, e.g. exclude: [label, "
                    + "customer_id], got " + Values.describe(value)));
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Object column = list.get(i);
            String itemPath = Pointer.child(path, i);
            if (!(column instanceof String s) || s.isBlank()) {
                problems.add(new SpecProblem(itemPath, "exclude lists column names (strings), got "
                        + Values.describe(column)));
            } else if (features.contains(s)) {
                problems.add(new SpecProblem(itemPath, "column `" + s + "` is both in features and in exclude; "
                        + "remove it from one of them"));
            } else if (seen.putIfAbsent(s, i) != null) {
                problems.add(new SpecProblem(itemPath, "column `" + s + "` is excluded twice; list it once"));
            }
        }
    }
}
