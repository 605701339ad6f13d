package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes the asset keys of a pipeline document (data-aware scheduling, {@code docs/assets.md}): a task's
 * {@code outlets: [uri, …]} and the trigger {@code {assets: {all: [uri, …]}}} /
 * {@code {assets: {any: [uri, …]}}}.
 * Kept apart from {@link PipelineSpecParser} and {@link Triggers} so that they only call it.
 */
final class Assets {
    /** The task key that lists the assets a task updates. */
    static final String OUTLETS = "outlets";
    /** The trigger kind. */
    static final String TRIGGER = "assets";
    /** The keys of an assets trigger: exactly one of them. */
    static final List<String> TRIGGER_KEYS = List.of("all", "any");

    private Assets() {
    }

    /** Reads a task's {@code outlets} (absent: none). */
    static List<String> outlets(JsonNode node, String path, List<SpecProblem> problems) {
        if (node == null) {
            return List.of();
        }
        return uris(node, path, "outlets", "outlets: [s3://bucket/features/churn]", problems);
    }

    /** Reads the value of an {@code assets} trigger; {@code declared} holds the triggers seen so far (duplicates). */
    static Optional<Trigger.Assets> trigger(JsonNode node, String path, Set<String> declared,
                                            List<SpecProblem> problems) {
        String example = "{assets: {all: [s3://bucket/a, s3://bucket/b]}} or {assets: {any: [s3://bucket/a]}}";
        if (node == null || !node.isObject() || node.size() != 1
                || !(node.has("all") || node.has("any"))) {
            String unknown = node != null && node.isObject()
                    ? node.properties().stream().map(Map.Entry::getKey).filter(k -> !TRIGGER_KEYS.contains(k))
                    .findFirst().map(k -> " (unknown key `" + k + "`)").orElse("") : "";
            problems.add(new SpecProblem(path, "an assets trigger has exactly one key, `all` (run when every listed "
                    + "asset was updated) or `any` (run on each update of any of them)" + unknown + ", e.g. "
                    + example + ", got " + Values.describe(node)));
            return Optional.empty();
        }
        boolean all = node.has("all");
        String key = all ? "all" : "any";
        int before = problems.size();
        List<String> uris = uris(node.get(key), Pointer.child(path, key), "an assets trigger's `" + key + "`",
                example, problems);
        if (problems.size() > before) {
            return Optional.empty();
        }
        if (uris.isEmpty()) {
            problems.add(new SpecProblem(Pointer.child(path, key), "list at least one asset URI, e.g. " + example));
            return Optional.empty();
        }
        Trigger.Assets trigger = new Trigger.Assets(uris, all);
        if (!declared.add(key(trigger))) {
            problems.add(new SpecProblem(path, "this assets trigger is declared twice; keep one"));
        }
        return Optional.of(trigger);
    }

    /** Identifies a trigger independent of URI order: {@code all:[a,b]} / {@code any:[a]}. */
    static String key(Trigger.Assets trigger) {
        return (trigger.all() ? "all:" : "any:") + new TreeSet<>(trigger.uris());
    }

    private static List<String> uris(JsonNode node, String path, String what, String example,
                                     List<SpecProblem> problems) {
        if (!node.isArray()) {
            problems.add(new SpecProblem(path, what + " must be a list of asset URIs, e.g. " + example + ", got "
                    + Values.describe(node) + (node.isTextual() ? "; write [" + node.textValue() + "]" : "")));
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String itemPath = Pointer.child(path, i);
            if (!item.isTextual()) {
                problems.add(new SpecProblem(itemPath, "an asset URI must be a string, got " + Values.describe(item)));
                continue;
            }
            Optional<String> problem = AssetUris.problem(item.textValue());
            if (problem.isPresent()) {
                problems.add(new SpecProblem(itemPath, problem.get()));
            } else if (!out.add(item.textValue())) {
                problems.add(new SpecProblem(itemPath, "`" + item.textValue() + "` is listed twice; keep one"));
            }
        }
        return new ArrayList<>(out);
    }

    /** The trigger in the pipeline format. */
    static ObjectNode toJson(Trigger.Assets trigger) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode uris = out.putObject(TRIGGER).putArray(trigger.all() ? "all" : "any");
        trigger.uris().forEach(uris::add);
        return out;
    }

    /** Reads what {@link #toJson} wrote (the value under {@code assets}). */
    static Trigger.Assets fromJson(JsonNode assets) {
        boolean all = assets.has("all");
        List<String> uris = new ArrayList<>();
        assets.get(all ? "all" : "any").forEach(u -> uris.add(u.textValue()));
        return new Trigger.Assets(uris, all);
    }
}
