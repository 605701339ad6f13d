package dev.drover.registry.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The naming rules of the registry, taken from MLflow (mlflow/utils/validation.py and the file store of its model
 * registry) so that what MLflow clients may create here they could create in MLflow, and the reverse. Each check
 * returns the problem as a sentence that says what to change, or nothing when the name is fine.
 *
 * <ul>
 *   <li><b>Registered model and feature-set names</b>: not empty; at most {@value #MAX_NAME_LENGTH} characters
 *       (the width of MLflow's name column); no path separator ({@code /} or {@code \}) and no {@code %} (MLflow's
 *       file store refuses them: names become directory names, and here also URL path segments); no control
 *       characters (ours: names are Kafka record keys and appear in logs).</li>
 *   <li><b>Alias names</b>: not empty; only letters, digits, {@code _} and {@code -} ({@code ^[\w\-]*$}, Unicode
 *       letters included as in Python); at most {@value #MAX_ALIAS_LENGTH} characters; not {@code latest} in any
 *       case (reserved for the newest version); not {@code v} or {@code V} followed by digits (reserved: it names a
 *       version, as in {@code models:/m@v3}).</li>
 *   <li><b>Tag, parameter and metric keys</b>: not empty; only letters, digits, {@code _ - . /} and space; not a
 *       path that normalizes to another name ({@code a//b}, {@code ./a}, {@code a/}, {@code /a}, {@code ..});
 *       at most {@value #MAX_KEY_LENGTH} characters. Tag values at most {@value #MAX_TAG_VALUE_LENGTH} characters,
 *       parameter values at most {@value #MAX_PARAM_VALUE_LENGTH}; neither may be null.</li>
 * </ul>
 * Where Python's {@code re.match(...$)} would accept a trailing newline, these checks do not.
 */
public final class NamingRules {
    public static final int MAX_NAME_LENGTH = 256;
    public static final int MAX_ALIAS_LENGTH = 255;
    public static final int MAX_KEY_LENGTH = 250;
    public static final int MAX_TAG_VALUE_LENGTH = 5000;
    public static final int MAX_PARAM_VALUE_LENGTH = 6000;

    private static final Pattern ALIAS = Pattern.compile("[\\w\\-]*", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern VERSION_ALIAS = Pattern.compile("[vV]\\d+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern KEY = Pattern.compile("[/\\w.\\- ]*", Pattern.UNICODE_CHARACTER_CLASS);

    private NamingRules() {
    }

    /** Checks the name of a registered model. */
    public static Optional<String> modelName(String name) {
        return entityName("registered model", name);
    }

    /** Checks the name of a feature set (same rules as model names). */
    public static Optional<String> featureSetName(String name) {
        return entityName("feature set", name);
    }

    private static Optional<String> entityName(String what, String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("a " + what + " name cannot be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return Optional.of("the " + what + " name has " + name.length() + " characters; at most "
                    + MAX_NAME_LENGTH + " are allowed");
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return Optional.of("invalid " + what + " name '" + name + "': it cannot contain a path separator "
                    + "(/ or \\); use - or _ instead");
        }
        if (name.indexOf('%') >= 0) {
            return Optional.of("invalid " + what + " name '" + name + "': it cannot contain '%'");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("invalid " + what + " name: it cannot contain control characters (tabs, newlines)");
        }
        return Optional.empty();
    }

    /** Checks an alias name. */
    public static Optional<String> alias(String alias) {
        if (alias == null || alias.isEmpty()) {
            return Optional.of("an alias name cannot be empty");
        }
        if (!ALIAS.matcher(alias).matches()) {
            return Optional.of("invalid alias name '" + alias + "': alias names may only contain letters, digits, "
                    + "underscores (_) and dashes (-)");
        }
        if (alias.length() > MAX_ALIAS_LENGTH) {
            return Optional.of("the alias name has " + alias.length() + " characters; at most " + MAX_ALIAS_LENGTH
                    + " are allowed");
        }
        if (alias.toLowerCase(Locale.ROOT).equals("latest")) {
            return Optional.of("the alias name 'latest' (in any case) is reserved for the newest version; "
                    + "choose another name");
        }
        if (VERSION_ALIAS.matcher(alias).matches()) {
            return Optional.of("the alias name '" + alias + "' is reserved: v followed by digits names a version; "
                    + "choose another name");
        }
        return Optional.empty();
    }

    /** Checks a tag's key and value ({@code what}: e.g. "model tag"). */
    public static Optional<String> tag(String what, String key, String value) {
        Optional<String> keyProblem = key(what, key);
        if (keyProblem.isPresent()) {
            return keyProblem;
        }
        if (value == null) {
            return Optional.of(what + " '" + key + "' needs a value (an empty string is fine)");
        }
        if (value.length() > MAX_TAG_VALUE_LENGTH) {
            return Optional.of(what + " '" + key + "' has a value of " + value.length() + " characters; at most "
                    + MAX_TAG_VALUE_LENGTH + " are allowed");
        }
        return Optional.empty();
    }

    /** Checks the key of a tag, parameter or metric ({@code what}: e.g. "parameter"). */
    public static Optional<String> key(String what, String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("a " + what + " key cannot be empty");
        }
        if (!KEY.matcher(key).matches()) {
            return Optional.of("invalid " + what + " key '" + key + "': keys may only contain letters, digits, "
                    + "underscores (_), dashes (-), periods (.), spaces and slashes (/)");
        }
        if (pathNotUnique(key)) {
            return Optional.of("invalid " + what + " key '" + key + "': keys may be used as file paths and must not "
                    + "resolve to another name; this one resolves to '" + normpath(key) + "'");
        }
        if (key.length() > MAX_KEY_LENGTH) {
            return Optional.of("the " + what + " key has " + key.length() + " characters; at most "
                    + MAX_KEY_LENGTH + " are allowed");
        }
        return Optional.empty();
    }

    /** Checks every tag of a map, returning every problem. */
    public static List<String> tags(String what, Map<String, String> tags) {
        List<String> out = new ArrayList<>();
        tags.forEach((k, v) -> tag(what, k, v).ifPresent(out::add));
        return out;
    }

    // MLflow's path_not_unique: a name is refused if it is not its own normalized path, or escapes upwards.
    private static boolean pathNotUnique(String name) {
        String norm = normpath(name);
        return !norm.equals(name) || norm.equals(".") || norm.startsWith("..") || norm.startsWith("/");
    }

    /** Python's {@code posixpath.normpath}, which MLflow uses to decide whether a key is a unique path. */
    static String normpath(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        int initialSlashes = !path.startsWith("/") ? 0 : path.startsWith("//") && !path.startsWith("///") ? 2 : 1;
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            boolean afterDotDot = !parts.isEmpty() && parts.get(parts.size() - 1).equals("..");
            if (!part.equals("..") || (initialSlashes == 0 && parts.isEmpty()) || afterDotDot) {
                parts.add(part);
            } else if (!parts.isEmpty()) {
                parts.remove(parts.size() - 1);
            }
        }
        String out = "/".repeat(initialSlashes) + String.join("/", parts);
        return out.isEmpty() ? "." : out;
    }
}
