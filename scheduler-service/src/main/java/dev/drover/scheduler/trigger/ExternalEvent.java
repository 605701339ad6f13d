package dev.drover.scheduler.trigger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An external CloudEvent as Drover reads it (see {@code docs/triggers.md}): its attributes and its data, already
 * parsed (a JSON value when the content type is JSON, else a string).
 *
 * @param id              the {@code id} attribute: with {@code source}, what identifies the event (and its runs)
 * @param source          the {@code source} attribute, a URI reference such as {@code /warehouse/loader}
 * @param type            the {@code type} attribute, matched by event triggers
 * @param subject         the {@code subject} attribute, or null
 * @param time            the {@code time} attribute, or null
 * @param dataContentType the {@code datacontenttype} attribute, or null
 * @param dataSchema      the {@code dataschema} attribute, or null
 * @param extensions      extension attributes by name (strings, numbers, booleans)
 * @param data            the data: maps, lists, strings, longs, doubles, booleans, or null when there is none
 */
public record ExternalEvent(String id, String source, String type, String subject, Instant time,
                            String dataContentType, String dataSchema, Map<String, Object> extensions, Object data) {
    public ExternalEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(type, "type");
        extensions = extensions == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    /**
     * The variables of trigger expressions: {@code event} (the attributes that are set, with {@code time} as an
     * RFC 3339 string and the extensions under {@code extensions}) and {@code data}.
     */
    public Map<String, Object> expressionVariables() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", id);
        event.put("source", source);
        event.put("type", type);
        putIfSet(event, "subject", subject);
        putIfSet(event, "time", time == null ? null : time.toString());
        putIfSet(event, "datacontenttype", dataContentType);
        putIfSet(event, "dataschema", dataSchema);
        event.put("extensions", extensions);
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("event", event);
        variables.put("data", data);
        return variables;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
