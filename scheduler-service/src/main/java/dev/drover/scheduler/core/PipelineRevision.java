package dev.drover.scheduler.core;

import dev.drover.scheduler.pipeline.PipelineSpec;
import dev.drover.scheduler.pipeline.TaskSpec;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One registered revision of a pipeline. Runs keep the revision they started with.
 *
 * @param topologicalOrder the task ids ordered so that every task comes after its dependencies (spec order breaks
 *                         ties), which lets the decider settle a whole run in one pass
 */
public record PipelineRevision(int revision, PipelineSpec spec, String specHash, Instant registeredAt,
                               List<String> topologicalOrder) {

    public PipelineRevision {
        topologicalOrder = List.copyOf(topologicalOrder);
    }

    /** Builds a revision, computing the topological order (the spec was validated to be acyclic). */
    public static PipelineRevision of(int revision, PipelineSpec spec, String specHash, Instant registeredAt) {
        return new PipelineRevision(revision, spec, specHash, registeredAt, order(spec));
    }

    /** The spec of a task, or of the mapped task an instance id ({@code train[3]}) belongs to. */
    public java.util.Optional<TaskSpec> taskSpec(String taskOrInstanceId) {
        return spec.task(TaskInstances.specIdOf(taskOrInstanceId));
    }

    private static List<String> order(PipelineSpec spec) {
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> dependents = new HashMap<>();
        for (TaskSpec t : spec.tasks()) {
            pending.put(t.id(), t.dependsOn().size());
            for (String d : t.dependsOn()) {
                dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(t.id());
            }
        }
        Deque<String> ready = new ArrayDeque<>();
        spec.tasks().stream().filter(t -> t.dependsOn().isEmpty()).forEach(t -> ready.add(t.id()));
        List<String> out = new ArrayList<>();
        while (!ready.isEmpty()) {
            String id = ready.poll();
            out.add(id);
            for (String dep : dependents.getOrDefault(id, List.of())) {
                if (pending.merge(dep, -1, Integer::sum) == 0) {
                    ready.add(dep);
                }
            }
        }
        if (out.size() != spec.tasks().size()) {
            throw new IllegalArgumentException("pipeline " + spec.id() + " has a dependency cycle");
        }
        return out;
    }
}
