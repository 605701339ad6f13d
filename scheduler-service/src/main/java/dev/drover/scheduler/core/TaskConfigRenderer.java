package dev.drover.scheduler.core;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.loader.StringLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves {@code {{ … }}} templates (Pebble, Jinja-like) in a task's config against the run's parameters and its
 * upstream tasks' outputs. Rendering happens when the scheduler dispatches an attempt, so executors receive plain
 * values and the dispatched config is in the log for anyone to read.
 */
public final class TaskConfigRenderer {
    private static final int CACHE_LIMIT = 10_000;
    private final PebbleEngine engine = new PebbleEngine.Builder()
            .loader(new StringLoader())
            .autoEscaping(false)
            .strictVariables(true)
            .newLineTrimming(false)
            .cacheActive(false)
            .build();
    private final Map<String, PebbleTemplate> compiled = new ConcurrentHashMap<>();

    /** The outcome of rendering: the resolved config, or why it could not be resolved. */
    public record Rendered(Map<String, Object> config, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    /** Renders every string inside {@code config} (recursively through lists and maps). */
    public Rendered render(Map<String, Object> config, Map<String, Object> context) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> out = (Map<String, Object>) renderValue(config, context);
            return new Rendered(out, null);
        } catch (PebbleException | IOException e) {
            return new Rendered(null, "template error: " + e.getMessage());
        }
    }

    private Object renderValue(Object value, Map<String, Object> context) throws IOException {
        if (value instanceof String s) {
            return renderString(s, context);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(renderValue(o, context));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(String.valueOf(e.getKey()), renderValue(e.getValue(), context));
            }
            return out;
        }
        return value;
    }

    private String renderString(String s, Map<String, Object> context) throws IOException {
        if (!s.contains("{{") && !s.contains("{%")) {
            return s;
        }
        PebbleTemplate template = compiled.get(s);
        if (template == null) {
            template = engine.getTemplate(s);
            if (compiled.size() < CACHE_LIMIT) {
                compiled.put(s, template);
            }
        }
        StringWriter w = new StringWriter();
        template.evaluate(w, context);
        return w.toString();
    }
}
