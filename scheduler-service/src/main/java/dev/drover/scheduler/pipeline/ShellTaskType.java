package dev.drover.scheduler.pipeline;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code type: shell}: runs {@code command} on the executor's host.
 *
 * <ul>
 *   <li>{@code command} (required): a string, run with {@code /bin/sh -c}, or a list of strings, executed directly
 *       without a shell (first element is the program);</li>
 *   <li>{@code env} (optional): extra environment variables, name to string value;</li>
 *   <li>{@code workingDir} (optional): directory to run in.</li>
 * </ul>
 */
public final class ShellTaskType implements TaskType {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Drover sets these itself; letting a task override DROVER_ATTEMPT_ID would break idempotency keys. */
    private static final String RESERVED_PREFIX = "DROVER_";

    ShellTaskType() {
    }

    @Override
    public String name() {
        return "shell";
    }

    @Override
    public List<String> keys() {
        return List.of("command", "env", "workingDir");
    }

    @Override
    public void check(Map<String, Object> config, String taskPath, List<SpecProblem> problems) {
        String commandPath = Pointer.child(taskPath, "command");
        if (!config.containsKey("command")) {
            problems.add(new SpecProblem(taskPath, "a shell task needs `command`: a string run with /bin/sh -c "
                    + "(e.g. command: python train.py) or a list of program and arguments (e.g. command: [python, "
                    + "train.py])"));
        } else {
            Object command = config.get("command");
            if (command instanceof String s) {
                if (s.isBlank()) {
                    problems.add(new SpecProblem(commandPath, "command is blank; give the command to run"));
                }
            } else if (command instanceof List<?> list) {
                if (list.isEmpty()) {
                    problems.add(new SpecProblem(commandPath,
                            "command is an empty list; give at least the program to run, e.g. [python, train.py]"));
                }
                for (int i = 0; i < list.size(); i++) {
                    Object arg = list.get(i);
                    String argPath = Pointer.child(commandPath, i);
                    if (!(arg instanceof String s)) {
                        problems.add(new SpecProblem(argPath, "command arguments must be strings, got "
                                + Values.describe(arg) + "; quote it, e.g. \"" + (arg == null ? "" : arg) + "\""));
                    } else if (i == 0 && s.isBlank()) {
                        problems.add(new SpecProblem(argPath, "the program (first element of command) is blank; "
                                + "give the program to run"));
                    }
                }
            } else {
                problems.add(new SpecProblem(commandPath, "command must be a string (run with /bin/sh -c) or a list "
                        + "of strings (run directly), got " + Values.describe(command)));
            }
        }
        if (config.containsKey("env")) {
            String envPath = Pointer.child(taskPath, "env");
            if (config.get("env") instanceof Map<?, ?> env) {
                env.forEach((k, v) -> {
                    String name = String.valueOf(k);
                    String varPath = Pointer.child(envPath, name);
                    if (!ENV_NAME.matcher(name).matches()) {
                        problems.add(new SpecProblem(varPath, "`" + name + "` is not a valid environment variable "
                                + "name; use letters, digits and _, not starting with a digit"));
                    } else if (name.startsWith(RESERVED_PREFIX)) {
                        problems.add(new SpecProblem(varPath, "names starting with " + RESERVED_PREFIX
                                + " are reserved for the variables Drover sets itself; rename `" + name + "`"));
                    }
                    if (!(v instanceof String)) {
                        problems.add(new SpecProblem(varPath, "environment values must be strings, got "
                                + Values.describe(v) + "; quote it, e.g. " + name + ": \"" + (v == null ? "" : v)
                                + "\""));
                    }
                });
            } else {
                problems.add(new SpecProblem(envPath, "env must be a mapping of variable names to string values, "
                        + "e.g. env: {MODEL_DIR: /models}, got " + Values.describe(config.get("env"))));
            }
        }
        if (config.containsKey("workingDir")) {
            Object dir = config.get("workingDir");
            String dirPath = Pointer.child(taskPath, "workingDir");
            if (!(dir instanceof String s)) {
                problems.add(new SpecProblem(dirPath, "workingDir must be a string (a directory path), got "
                        + Values.describe(dir)));
            } else if (s.isBlank()) {
                problems.add(new SpecProblem(dirPath, "workingDir is blank; give a directory or remove the key"));
            }
        }
    }
}
