package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes the {@code triggers} list of a pipeline document: {@code triggers: [{drift: {model: churn}}]}.
 * Kept apart from {@link PipelineSpecParser} so that the parser only calls it.
 */
final class Triggers {
    /** The kinds of trigger, each the single key of a list entry. */
    static final List<String> KINDS = List.of("drift", "assets", "event");
    /** The keys of a {@code drift} trigger. */
    static final List<String> DRIFT_KEYS = List.of("model");

    private Triggers() {
    }

    /** Reads {@code triggers} (absent: none), adding every problem found to {@code problems}. */
    static List<Trigger> parse(JsonNode node, List<SpecProblem> problems) {
        List<Trigger> out = new ArrayList<>();
        String path = Pointer.child(Pointer.ROOT, "triggers");
        if (node == null) {
            return out;
        }
        if (!node.isArray()) {
            problems.add(new SpecProblem(path, "triggers must be a list, e.g. triggers: [{drift: {model: churn}}], "
                    + "got " + Values.describe(node)));
            return out;
        }
        Set<String> models = new HashSet<>();
        Set<String> assetTriggers = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String itemPath = Pointer.child(path, i);
            JsonNode item = node.get(i);
            if (item.isObject() && item.size() == 1 && item.has(Assets.TRIGGER)) {
                Assets.trigger(item.get(Assets.TRIGGER), Pointer.child(itemPath, Assets.TRIGGER), assetTriggers,
                        problems).ifPresent(out::add);
                continue;
            }
            if (item.isObject() && item.size() == 1 && item.has("event")) {
                Trigger.Event event = EventTriggers.parse(item.get("event"), Pointer.child(itemPath, "event"), problems);
                if (event != null) {
                    out.add(event);
                }
                continue;
            }
            if (!item.isObject() || item.size() != 1 || !item.has("drift")) {
                problems.add(new SpecProblem(itemPath, "a trigger is a mapping with exactly one key naming its kind ("
                        + String.join(", ", KINDS) + "), e.g. {drift: {model: churn}}, got " + Values.describe(item)));
                continue;
            }
            String drift = Pointer.child(itemPath, "drift");
            JsonNode d = item.get("drift");
            if (!d.isObject() || !d.has("model") || !d.get("model").isTextual() || d.get("model").textValue().isEmpty()) {
                problems.add(new SpecProblem(drift, "a drift trigger names the monitored model, e.g. "
                        + "{drift: {model: churn}}, got " + Values.describe(d)));
                continue;
            }
            d.properties().stream().map(java.util.Map.Entry::getKey).filter(k -> !DRIFT_KEYS.contains(k))
                    .forEach(k -> problems.add(new SpecProblem(Pointer.child(drift, k), "unknown key `" + k
                            + "`; a drift trigger allows: " + String.join(", ", DRIFT_KEYS))));
            String model = d.get("model").textValue();
            RegistryConfigChecks.entityName(model, "model", Pointer.child(drift, "model"), problems);
            if (!models.add(model)) {
                problems.add(new SpecProblem(Pointer.child(drift, "model"), "a drift trigger for model `" + model
                        + "` is declared twice; keep one"));
            }
            out.add(new Trigger.Drift(model));
        }
        return out;
    }

    /** The list in the pipeline format, as {@link PipelineSpecs} stores it. */
    static ArrayNode toJson(List<Trigger> triggers) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Trigger t : triggers) {
            if (t instanceof Trigger.Drift drift) {
                out.addObject().putObject("drift").put("model", drift.model());
            } else if (t instanceof Trigger.Assets assets) {
                out.add(Assets.toJson(assets));
            }
            if (t instanceof Trigger.Event event) {
                out.addObject().set("event", EventTriggers.toJson(event));
            }
        }
        return out;
    }

    /** Reads what {@link #toJson} wrote; absent means none. */
    static List<Trigger> fromJson(JsonNode node) {
        List<Trigger> out = new ArrayList<>();
        if (node != null) {
            node.forEach(t -> out.add(t.has(Assets.TRIGGER) ? Assets.fromJson(t.get(Assets.TRIGGER))
                    : t.has("event") ? EventTriggers.fromJson(t.get("event"))
                    : new Trigger.Drift(t.get("drift").get("model").textValue())));
        }
        return out;
    }
}
