package dev.drover.executor.task;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The task runners an executor offers, by task type. Immutable. */
public final class TaskRunners {
    private final Map<String, TaskRunner> byType;

    /**
     * @throws IllegalArgumentException if two runners claim the same type (a wiring bug, not a runtime condition)
     */
    public TaskRunners(Collection<? extends TaskRunner> runners) {
        Map<String, TaskRunner> map = new LinkedHashMap<>();
        for (TaskRunner runner : runners) {
            if (map.putIfAbsent(runner.type(), runner) != null) {
                throw new IllegalArgumentException("two task runners for type '" + runner.type() + "'");
            }
        }
        this.byType = Map.copyOf(map);
    }

    /** The built-in runners: {@code noop}, and {@code shell} running in {@code shellBaseDir} by default. */
    public static TaskRunners builtIn(Path shellBaseDir) {
        return builtIn(shellBaseDir, TaskEnvironment.DEFAULT);
    }

    /** As above, shell tasks' environment being the executor's minus what {@code environment} hides. */
    public static TaskRunners builtIn(Path shellBaseDir, TaskEnvironment environment) {
        return new TaskRunners(List.of(new NoopTaskRunner(),
                new ShellTaskRunner(shellBaseDir, environment.from(System.getenv()))));
    }

    /** The runner for a task type, if this executor has one. */
    public Optional<TaskRunner> get(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The task types offered. */
    public Set<String> types() {
        return byType.keySet();
    }

    /** A registry with {@code runner} added, replacing any runner of the same type. */
    public TaskRunners with(TaskRunner runner) {
        Map<String, TaskRunner> map = new LinkedHashMap<>(byType);
        map.put(runner.type(), runner);
        return new TaskRunners(map.values());
    }

    /** Starts an attempt with the runner for its type; an unknown type ends at once as {@link TaskResult.Failed}. */
    public RunningTask start(TaskInvocation inv, LogSink logs) {
        return get(inv.type())
                .map(runner -> runner.start(inv, logs))
                .orElseGet(() -> RunningTask.finished(
                        new TaskResult.Failed("no runner for task type '" + inv.type() + "'", null)));
    }
}
