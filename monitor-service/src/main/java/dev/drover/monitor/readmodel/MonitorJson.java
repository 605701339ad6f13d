package dev.drover.monitor.readmodel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.drover.monitor.core.DegradationPolicy;
import dev.drover.monitor.core.FeatureOverride;
import dev.drover.monitor.core.MonitoringPolicy;
import dev.drover.monitor.core.Webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON forms the read model stores in its {@code jsonb} columns, and the reading of them back into plain values.
 * Events go to {@code monitor_events} as Jackson writes the core's records (instants and durations as ISO-8601
 * text, infinite statistics as the strings {@code "Infinity"}); policies in the shape the REST API takes and answers
 * with (docs/monitor-api.md), so that reads pass them through unchanged.
 */
public final class MonitorJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("drover-monitor-time")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addSerializer(Duration.class, ToStringSerializer.instance))
            .build();

    private MonitorJson() {
    }

    /** Any value (a core event, a map) as JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** JSON text as plain values: maps (in document order), lists, strings, numbers, booleans; null stays null. */
    public static Object read(String json) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A policy in the API's shape: {@code {window: {rows} | {duration}, datasetDriftShare, featureOverrides:
     * {<feature>: {method, threshold}}, retrainCooldown, degradation: {metric, direction, maxAbsoluteDrop,
     * maxRelativeDrop, rollback} | null, webhooks: [{url, format}], retrainMinLabeledRows}}.
     */
    public static Map<String, Object> policy(MonitoringPolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> window = new LinkedHashMap<>();
        if (p.window() != null && p.window().byCount()) {
            window.put("rows", p.window().rows());
        } else if (p.window() != null) {
            window.put("duration", p.window().duration().toString());
        }
        m.put("window", window);
        m.put("datasetDriftShare", p.datasetDriftShare());
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (Map.Entry<String, FeatureOverride> e : p.featureOverrides().entrySet()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("method", e.getValue().method());
            o.put("threshold", e.getValue().threshold());
            overrides.put(e.getKey(), o);
        }
        m.put("featureOverrides", overrides);
        m.put("retrainCooldown", p.retrainCooldown() == null ? null : p.retrainCooldown().toString());
        DegradationPolicy d = p.degradation();
        if (d == null) {
            m.put("degradation", null);
        } else {
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("metric", d.metric());
            dm.put("direction", d.direction() == null ? null : d.direction().name());
            dm.put("maxAbsoluteDrop", d.maxAbsoluteDrop());
            dm.put("maxRelativeDrop", d.maxRelativeDrop());
            dm.put("rollback", d.rollsBack());
            m.put("degradation", dm);
        }
        m.put("webhooks", webhooks(p.webhooks()));
        m.put("retrainMinLabeledRows", p.minLabeledRowsForRetrain());
        return m;
    }

    /** Webhooks in the API's shape: {@code [{url, format}]}. */
    public static List<Map<String, Object>> webhooks(List<Webhook> webhooks) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Webhook w : webhooks) {
            Map<String, Object> wm = new LinkedHashMap<>();
            wm.put("url", w.url());
            wm.put("format", w.format() == null ? null : w.format().name());
            out.add(wm);
        }
        return out;
    }
}
