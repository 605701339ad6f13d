package dev.drover.scheduler.core;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ids of the instances of a mapped task ({@code mapOver}): instance {@code i} of task {@code train} is
 * {@code train[i]}, as in Airflow ({@code map_index}). Task ids cannot contain brackets, so an instance id never
 * collides with a task id. Everything that looks up a task's spec by the id in an event, report or timer goes through
 * {@link #specIdOf} (or {@link PipelineRevision#taskSpec}) instead of parsing ids itself.
 */
public final class TaskInstances {
    private static final Pattern INSTANCE = Pattern.compile("(.+)\\[(\\d{1,9})]");

    private TaskInstances() {
    }

    /** The id of instance {@code index} of {@code taskId}. */
    public static String instanceId(String taskId, int index) {
        return taskId + "[" + index + "]";
    }

    /** The id of the task whose spec an id (task or instance) runs: {@code train[3]} → {@code train}. */
    public static String specIdOf(String id) {
        Matcher m = INSTANCE.matcher(id);
        return m.matches() ? m.group(1) : id;
    }

    /** The index of an instance id, or empty for a plain task id. */
    public static OptionalInt indexOf(String id) {
        Matcher m = INSTANCE.matcher(id);
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(2))) : OptionalInt.empty();
    }

    /** Whether {@code id} names an instance of a mapped task. */
    public static boolean isInstance(String id) {
        return INSTANCE.matcher(id).matches();
    }
}
