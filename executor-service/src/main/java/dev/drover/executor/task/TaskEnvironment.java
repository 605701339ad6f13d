package dev.drover.executor.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment a task's process starts from: the executor's own minus what is the executor's and not the task's —
 * every {@code DROVER_*} and {@code MICRONAUT_*} variable (Drover's settings, among them its service token and the
 * secret key when they are given that way) and whatever else the operator names in {@code drover.executor.hidden-env}
 * (a name, or a prefix ending in {@code *}). A task that needs a value gets it from its spec: {@code env}, with
 * {@code {{ secrets.NAME }}} for what is secret.
 */
public final class TaskEnvironment {
    /** Hidden from every task, whatever is configured. */
    public static final List<String> ALWAYS_HIDDEN = List.of("DROVER_*", "MICRONAUT_*");
    /** Hides only {@link #ALWAYS_HIDDEN}. */
    public static final TaskEnvironment DEFAULT = hiding(List.of());

    private final List<String> names;
    private final List<String> prefixes;

    private TaskEnvironment(List<String> names, List<String> prefixes) {
        this.names = names;
        this.prefixes = prefixes;
    }

    /** Hides {@link #ALWAYS_HIDDEN} and {@code extra}. */
    public static TaskEnvironment hiding(List<String> extra) {
        List<String> names = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        List<String> all = new ArrayList<>(ALWAYS_HIDDEN);
        all.addAll(extra);
        for (String p : all) {
            if (p == null || p.isBlank()) {
                continue;
            }
            String t = p.strip();
            if (t.endsWith("*")) {
                prefixes.add(t.substring(0, t.length() - 1));
            } else {
                names.add(t);
            }
        }
        return new TaskEnvironment(List.copyOf(names), List.copyOf(prefixes));
    }

    public boolean hides(String name) {
        return names.contains(name) || prefixes.stream().anyMatch(name::startsWith);
    }

    /** {@code executorEnv} without what is hidden. */
    public Map<String, String> from(Map<String, String> executorEnv) {
        Map<String, String> out = new TreeMap<>();
        executorEnv.forEach((k, v) -> {
            if (!hides(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
