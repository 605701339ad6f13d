package dev.drover.registry.readmodel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.drover.registry.core.Feature;
import dev.drover.registry.core.FeatureSchema;
import dev.drover.registry.core.FeatureStatistics;
import dev.drover.registry.core.FeatureStatistics.CategoricalStatistics;
import dev.drover.registry.core.FeatureStatistics.NumericStatistics;
import dev.drover.registry.core.PromotionEvaluation;
import dev.drover.registry.core.Quantile;
import dev.drover.registry.core.ReferenceStatistics;

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
 *
 * <p>Events go to {@code model_events} as Jackson writes the core's records (instants and durations as ISO-8601
 * text). Promotion evaluations, feature schemas and reference statistics are stored in the shape the REST API
 * answers with ({@code docs/registry-api.md}), so that reads pass them through unchanged.
 */
public final class RegistryJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("drover-registry-time")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addSerializer(Duration.class, ToStringSerializer.instance))
            .build();
    private static final ObjectMapper READER = JsonMapper.builder().build();

    private RegistryJson() {
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
            return READER.readValue(json, Object.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON object as a map of values of one type (e.g. {@code params} as strings, {@code metrics} as doubles). */
    static <V> Map<String, V> readMap(String json, TypeReference<Map<String, V>> type) {
        if (json == null) {
            return Map.of();
        }
        try {
            return READER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A promotion's evaluation in the API's shape: {@code challengerVersion, challengerValue, holderVersion,
     * holderValue, absoluteImprovement, relativeImprovement, promote, explanation, criteria}.
     */
    static Map<String, Object> evaluation(PromotionEvaluation e) {
        if (e == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("challengerVersion", e.challengerVersion());
        m.put("challengerValue", e.challengerValue());
        m.put("holderVersion", e.championVersion());
        m.put("holderValue", e.championValue());
        m.put("absoluteImprovement", e.absoluteImprovement());
        m.put("relativeImprovement", e.relativeImprovement());
        m.put("promote", e.promote());
        m.put("explanation", e.explanation());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("metric", e.criteria().metric());
        c.put("direction", e.criteria().direction() == null ? null : e.criteria().direction().name());
        c.put("minAbsoluteImprovement", e.criteria().minAbsoluteImprovement());
        c.put("minRelativeImprovement", e.criteria().minRelativeImprovement());
        m.put("criteria", c);
        return m;
    }

    /** A feature schema in the API's shape: {@code {features: [{name, type}]}}. */
    static Map<String, Object> schema(FeatureSchema schema) {
        List<Map<String, Object>> features = new ArrayList<>();
        for (Feature f : schema.features()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("type", f.type().name());
            features.add(m);
        }
        return Map.of("features", features);
    }

    /**
     * Reference statistics in the API's shape: {@code {rowCount, features: {<name>: {missing, histogram?: {edges,
     * counts}, quantiles?: [{p, value}], categories?: {value: count}}}}}.
     */
    static Map<String, Object> statistics(ReferenceStatistics statistics) {
        Map<String, Object> features = new LinkedHashMap<>();
        for (Map.Entry<String, FeatureStatistics> e : statistics.features().entrySet()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("missing", e.getValue().missingCount());
            if (e.getValue() instanceof NumericStatistics n) {
                if (!n.binEdges().isEmpty() || !n.binCounts().isEmpty()) {
                    f.put("histogram", Map.of("edges", n.binEdges(), "counts", n.binCounts()));
                }
                if (!n.quantiles().isEmpty()) {
                    List<Map<String, Object>> qs = new ArrayList<>();
                    for (Quantile q : n.quantiles()) {
                        Map<String, Object> qm = new LinkedHashMap<>();
                        qm.put("p", q.probability());
                        qm.put("value", q.value());
                        qs.add(qm);
                    }
                    f.put("quantiles", qs);
                }
            } else if (e.getValue() instanceof CategoricalStatistics c) {
                f.put("categories", c.categoryCounts());
            }
            features.put(e.getKey(), f);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rowCount", statistics.rowCount());
        m.put("features", features);
        return m;
    }
}
