package dev.drover.scheduler.pipeline;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks shared by the model-registry task types ({@code register_model}, {@code profile_feature_set},
 * {@code promote_model}).
 *
 * <p>Their settings end up in a registry request, so names are held to the registry's naming rules (MLflow's, see
 * the registry's {@code NamingRules}) here, at registration, rather than failing hours later when the task runs. A
 * value that is a template ({@code {{ … }}}) is only known at dispatch: it is checked by {@link TemplateChecker} and,
 * once rendered, by the executor.
 */
final class RegistryConfigChecks {
    static final int MAX_NAME_LENGTH = 256;
    static final int MAX_ALIAS_LENGTH = 255;
    static final int MAX_KEY_LENGTH = 250;

    private static final Pattern ALIAS = Pattern.compile("[\\w\\-]+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern VERSION_ALIAS = Pattern.compile("[vV]\\d+");
    private static final Pattern KEY = Pattern.compile("[/\\w.\\- ]+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern POSITIVE_INTEGER = Pattern.compile("\\+?0*[1-9]\\d{0,17}");

    private RegistryConfigChecks() {
    }

    static boolean isTemplate(Object value) {
        return value instanceof String s && TemplateChecker.isTemplate(s);
    }

    /**
     * A required, non-blank string; returns it when it is a plain string (not a template), for further checks.
     *
     * @param example how a correct setting looks, for the message
     */
    static Optional<String> requiredString(Map<String, Object> config, String key, String taskPath, String what,
                                           String example, List<SpecProblem> problems) {
        if (!config.containsKey(key)) {
            problems.add(new SpecProblem(taskPath, what + " needs `" + key + "`, e.g. " + example));
            return Optional.empty();
        }
        return string(config, key, taskPath, example, problems);
    }

    /** An optional string; returns it when present and a plain string (not a template). */
    static Optional<String> optionalString(Map<String, Object> config, String key, String taskPath, String example,
                                           List<SpecProblem> problems) {
        return config.containsKey(key) ? string(config, key, taskPath, example, problems) : Optional.empty();
    }

    /** An optional free text (blank is fine), such as a description. */
    static void optionalText(Map<String, Object> config, String key, String taskPath, List<SpecProblem> problems) {
        if (config.containsKey(key) && !(config.get(key) instanceof String)) {
            problems.add(new SpecProblem(Pointer.child(taskPath, key), key + " must be a string (free text), got "
                    + Values.describe(config.get(key)) + "; quote it if YAML reads it as something else"));
        }
    }

    private static Optional<String> string(Map<String, Object> config, String key, String taskPath, String example,
                                           List<SpecProblem> problems) {
        Object value = config.get(key);
        String path = Pointer.child(taskPath, key);
        if (!(value instanceof String s)) {
            problems.add(new SpecProblem(path, key + " must be a string, got " + Values.describe(value) + "; e.g. "
                    + example));
            return Optional.empty();
        }
        if (s.isBlank()) {
            problems.add(new SpecProblem(path, key + " is blank; e.g. " + example));
            return Optional.empty();
        }
        return isTemplate(s) ? Optional.empty() : Optional.of(s);
    }

    /** A model or feature-set name, as the registry accepts it. */
    static void entityName(String name, String what, String path, List<SpecProblem> problems) {
        if (name.length() > MAX_NAME_LENGTH) {
            problems.add(new SpecProblem(path, "the " + what + " name has " + name.length() + " characters; at most "
                    + MAX_NAME_LENGTH + " are allowed"));
        } else if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf('%') >= 0) {
            problems.add(new SpecProblem(path, "`" + name + "` is not a valid " + what + " name: it cannot contain "
                    + "/, \\ or %; use - or _ instead"));
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            problems.add(new SpecProblem(path, "the " + what + " name cannot contain control characters (tabs, "
                    + "newlines)"));
        }
    }

    /** An alias name, as the registry accepts it. */
    static void alias(String alias, String path, List<SpecProblem> problems) {
        if (!ALIAS.matcher(alias).matches()) {
            problems.add(new SpecProblem(path, "`" + alias + "` is not a valid alias: use only letters, digits, _ "
                    + "and -, e.g. champion"));
        } else if (alias.length() > MAX_ALIAS_LENGTH) {
            problems.add(new SpecProblem(path, "the alias has " + alias.length() + " characters; at most "
                    + MAX_ALIAS_LENGTH + " are allowed"));
        } else if (alias.toLowerCase(Locale.ROOT).equals("latest")) {
            problems.add(new SpecProblem(path, "the alias `" + alias + "` is reserved for the newest version; choose "
                    + "another name, e.g. champion"));
        } else if (VERSION_ALIAS.matcher(alias).matches()) {
            problems.add(new SpecProblem(path, "the alias `" + alias + "` is reserved: v followed by digits names a "
                    + "version; choose another name, e.g. champion"));
        }
    }

    /** The key of a metric, parameter or tag, as the registry accepts it. */
    static void key(String key, String what, String path, List<SpecProblem> problems) {
        if (!KEY.matcher(key).matches()) {
            problems.add(new SpecProblem(path, "`" + key + "` is not a valid " + what + " name: use letters, digits, "
                    + "_, -, ., spaces and /"));
        } else if (key.length() > MAX_KEY_LENGTH) {
            problems.add(new SpecProblem(path, "the " + what + " name has " + key.length() + " characters; at most "
                    + MAX_KEY_LENGTH + " are allowed"));
        } else if (key.startsWith("/") || key.endsWith("/") || key.contains("//") || key.equals(".")
                || key.startsWith("./") || key.contains("/./") || key.endsWith("/.") || key.startsWith("..")
                || key.contains("/..")) {
            problems.add(new SpecProblem(path, "`" + key + "` is not a valid " + what + " name: it must not be a "
                    + "path that normalizes to another name (no leading, trailing or doubled /, no . or .. parts)"));
        }
    }

    /**
     * A number, or a string that is a template (rendered at dispatch) or a number written as a string. Returns the
     * value when it is known now.
     */
    static Optional<Double> numberOrTemplate(Object value, String path, String example, List<SpecProblem> problems) {
        if (value instanceof Number n) {
            return Optional.of(n.doubleValue());
        }
        if (value instanceof String s) {
            if (isTemplate(s)) {
                return Optional.empty();
            }
            if (NUMBER.matcher(s.strip()).matches()) {
                return Optional.of(Double.parseDouble(s.strip()));
            }
            problems.add(new SpecProblem(path, "`" + s + "` is not a number; write a number or a template that gives "
                    + "one, e.g. " + example));
            return Optional.empty();
        }
        problems.add(new SpecProblem(path, "expected a number or a template that gives one, got "
                + Values.describe(value) + "; e.g. " + example));
        return Optional.empty();
    }

    /** A version number (1 or more), or a template that gives one. */
    static void versionOrTemplate(Object value, String path, String example, List<SpecProblem> problems) {
        if (value instanceof Long l) {
            if (l < 1) {
                problems.add(new SpecProblem(path, "versions start at 1, got " + l + "; e.g. " + example));
            }
        } else if (value instanceof String s) {
            if (!isTemplate(s) && !POSITIVE_INTEGER.matcher(s.strip()).matches()) {
                problems.add(new SpecProblem(path, "`" + s + "` is not a version number; write a whole number from 1 "
                        + "or a template that gives one, e.g. " + example));
            }
        } else {
            problems.add(new SpecProblem(path, "expected a version number (a whole number from 1) or a template that "
                    + "gives one, got " + Values.describe(value) + "; e.g. " + example));
        }
    }

    /** A mapping from names to values; returns it, or nothing (after reporting) when it is not a mapping. */
    static Optional<Map<?, ?>> mapping(Map<String, Object> config, String key, String taskPath, String example,
                                       List<SpecProblem> problems) {
        if (!config.containsKey(key)) {
            return Optional.empty();
        }
        Object value = config.get(key);
        if (value instanceof Map<?, ?> map) {
            return Optional.of(map);
        }
        problems.add(new SpecProblem(Pointer.child(taskPath, key), key + " must be a mapping, e.g. " + example
                + ", got " + Values.describe(value)));
        return Optional.empty();
    }

    /** Keys of a nested mapping that {@code allowed} does not list. */
    static void unknownKeys(Map<?, ?> map, List<String> allowed, String path, String where,
                            List<SpecProblem> problems) {
        for (Object k : map.keySet()) {
            String key = String.valueOf(k);
            if (!allowed.contains(key)) {
                problems.add(new SpecProblem(Pointer.child(path, key), "unknown key `" + key + "`"
                        + PipelineSpecParser.suggestion(key, allowed) + "; " + where + " allows: "
                        + String.join(", ", allowed)));
            }
        }
    }
}
