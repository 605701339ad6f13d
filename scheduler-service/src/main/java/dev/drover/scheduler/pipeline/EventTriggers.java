package dev.drover.scheduler.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.platform.expression.Expressions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes {@code event} triggers: {@code {event: {type: T, filter: CEL, parameters: {name: CEL}}}} (see
 * {@code docs/triggers.md}). Expressions are compiled at registration, so a typo is a problem then, not a run that
 * never starts.
 */
public final class EventTriggers {
    /** The keys of an {@code event} trigger. */
    static final List<String> KEYS = List.of("type", "filter", "parameters");
    /** The variables of filter and parameter expressions: the CloudEvent's attributes and its data. */
    public static final Expressions EXPRESSIONS = new Expressions(Set.of("event", "data"));

    private EventTriggers() {
    }

    /** Reads the value of an {@code event} key at {@code path}; null (and problems) when it is invalid. */
    static Trigger.Event parse(JsonNode e, String path, List<SpecProblem> problems) {
        String example = "{event: {type: com.example.table.updated, filter: 'data.table == \"churn\"', "
                + "parameters: {table: data.table}}}";
        if (e == null || !e.isObject()) {
            problems.add(new SpecProblem(path, "an event trigger is a mapping with `type` and optionally `filter` "
                    + "and `parameters`, e.g. " + example + ", got " + Values.describe(e)));
            return null;
        }
        int before = problems.size();
        e.properties().stream().map(Map.Entry::getKey).filter(k -> !KEYS.contains(k))
                .forEach(k -> problems.add(new SpecProblem(Pointer.child(path, k), "unknown key `" + k
                        + "`; an event trigger allows: " + String.join(", ", KEYS))));
        JsonNode type = e.get("type");
        if (type == null || !type.isTextual() || type.textValue().isBlank()) {
            problems.add(new SpecProblem(Pointer.child(path, "type"), "an event trigger needs `type`, the "
                    + "CloudEvent type to start on (matched exactly), e.g. com.example.table.updated, got "
                    + Values.describe(type)));
        }
        String filter = null;
        JsonNode f = e.get("filter");
        if (f != null && !f.isNull()) {
            if (!f.isTextual() || f.textValue().isBlank()) {
                problems.add(new SpecProblem(Pointer.child(path, "filter"), "`filter` is a CEL condition over "
                        + "`event` and `data`, e.g. 'data.table == \"churn\"', got " + Values.describe(f)));
            } else {
                filter = f.textValue();
                expression(filter, Pointer.child(path, "filter"), problems);
            }
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        JsonNode p = e.get("parameters");
        if (p != null && !p.isNull()) {
            String pPath = Pointer.child(path, "parameters");
            if (!p.isObject()) {
                problems.add(new SpecProblem(pPath, "`parameters` maps run parameter names to CEL expressions over "
                        + "`event` and `data`, e.g. {table: data.table, source: event.source}, got "
                        + Values.describe(p)));
            } else {
                for (Map.Entry<String, JsonNode> entry : p.properties()) {
                    String ePath = Pointer.child(pPath, entry.getKey());
                    JsonNode v = entry.getValue();
                    if (!v.isTextual() || v.textValue().isBlank()) {
                        problems.add(new SpecProblem(ePath, "a parameter mapping is a CEL expression written as a "
                                + "string, e.g. data.table or 'string(data.rows)', got " + Values.describe(v)));
                        continue;
                    }
                    expression(v.textValue(), ePath, problems);
                    parameters.put(entry.getKey(), v.textValue());
                }
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new Trigger.Event(type.textValue(), filter, parameters);
    }

    private static void expression(String text, String path, List<SpecProblem> problems) {
        String problem = EXPRESSIONS.problem(text);
        if (problem != null) {
            problems.add(new SpecProblem(path, "`" + text + "` is not a valid CEL expression: " + problem
                    + "; it may use `event` (id, source, type, subject, time, datacontenttype, dataschema, "
                    + "extensions) and `data`"));
        }
    }

    /**
     * Checks every event trigger's parameter mapping against the declared parameters: a mapped name must be
     * declared, and a required parameter (one without a default) must be mapped, or every event would be refused.
     */
    static void checkParameters(JsonNode triggers, Map<String, ParameterSpec> declared, List<SpecProblem> problems) {
        if (triggers == null || !triggers.isArray()) {
            return;
        }
        for (int i = 0; i < triggers.size(); i++) {
            JsonNode e = triggers.get(i).get("event");
            if (e == null || !e.isObject()) {
                continue;
            }
            String path = Pointer.child(Pointer.child(Pointer.child(Pointer.ROOT, "triggers"), i), "event");
            JsonNode p = e.get("parameters");
            Set<String> mapped = p != null && p.isObject()
                    ? p.properties().stream().map(Map.Entry::getKey).collect(java.util.stream.Collectors.toSet())
                    : Set.of();
            if (p != null && p.isObject()) {
                for (Map.Entry<String, JsonNode> entry : p.properties()) {
                    if (!declared.containsKey(entry.getKey())) {
                        problems.add(new SpecProblem(Pointer.child(Pointer.child(path, "parameters"), entry.getKey()),
                                "parameter `" + entry.getKey() + "` is not declared; declare it under `parameters` "
                                        + "or map one of the declared ones: " + (declared.isEmpty() ? "(none)"
                                        : String.join(", ", declared.keySet()))));
                    }
                }
            }
            declared.forEach((name, spec) -> {
                if (spec.defaultValue() == null && !mapped.contains(name)) {
                    problems.add(new SpecProblem(path, "parameter `" + name + "` is required (it has no default) "
                            + "but this event trigger does not map it, so every event would be refused; add `"
                            + name + ": <CEL expression>` under `parameters`, or give the parameter a default"));
                }
            });
        }
    }

    /** The trigger in the pipeline format, as {@link PipelineSpecs} stores it. */
    static ObjectNode toJson(Trigger.Event t) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("type", t.type());
        if (t.filter() != null) {
            e.put("filter", t.filter());
        }
        ObjectNode parameters = e.putObject("parameters");
        t.parameters().forEach(parameters::put);
        return e;
    }

    /** Reads what {@link #toJson} wrote. */
    static Trigger.Event fromJson(JsonNode e) {
        Map<String, String> parameters = new LinkedHashMap<>();
        JsonNode p = e.get("parameters");
        if (p != null) {
            p.properties().forEach(entry -> parameters.put(entry.getKey(), entry.getValue().textValue()));
        }
        JsonNode filter = e.get("filter");
        return new Trigger.Event(e.get("type").textValue(), filter == null || filter.isNull() ? null
                : filter.textValue(), parameters);
    }
}
