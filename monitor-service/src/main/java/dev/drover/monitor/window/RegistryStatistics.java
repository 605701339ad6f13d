package dev.drover.monitor.window;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.monitor.drift.CategoricalReference;
import dev.drover.monitor.drift.FeatureKind;
import dev.drover.monitor.drift.FeatureReference;
import dev.drover.monitor.drift.NumericReference;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A feature's reference from the statistics the registry serves for a feature-set version (docs/registry-api.md):
 * numeric features from {@code quantiles} ({@code [{p, value}]}, p = 0 and 1 included) and, when present,
 * {@code histogram} ({@code edges}, {@code counts}); categorical and binary ones from {@code categories}. The
 * statistics are the ones the {@code profile_feature_set} task sends, so the same JSON is read here.
 */
public final class RegistryStatistics {
    private RegistryStatistics() {
    }

    /**
     * The reference of one feature, or null when its statistics hold nothing to compare with.
     *
     * @param statistics the feature's entry of {@code statistics.features}
     * @param rowCount   {@code statistics.rowCount}: with the feature's {@code missing} it gives the number of values
     *                   the quantiles describe
     */
    public static FeatureReference reference(FeatureKind kind, JsonNode statistics, long rowCount) {
        return kind == FeatureKind.NUMERIC ? numeric(statistics, rowCount) : categorical(kind, statistics);
    }

    private static NumericReference numeric(JsonNode s, long rows) {
        JsonNode q = s.path("quantiles");
        if (!q.isArray() || q.size() < 2) {
            return null;
        }
        double[] ps = new double[q.size()];
        double[] vs = new double[q.size()];
        for (int i = 0; i < ps.length; i++) {
            ps[i] = q.get(i).path("p").asDouble();
            vs[i] = q.get(i).path("value").asDouble();
        }
        double[] edges = null;
        long[] counts = null;
        JsonNode h = s.path("histogram");
        if (h.path("edges").isArray() && h.path("counts").isArray()) {
            edges = new double[h.get("edges").size()];
            counts = new long[h.get("counts").size()];
            for (int i = 0; i < edges.length; i++) {
                edges[i] = h.get("edges").get(i).asDouble();
            }
            for (int i = 0; i < counts.length; i++) {
                counts[i] = h.get("counts").get(i).asLong();
            }
        }
        long count = Math.max(1, rows - s.path("missing").asLong());
        return NumericReference.of(count, ps, vs, edges, counts, null);
    }

    private static CategoricalReference categorical(FeatureKind kind, JsonNode s) {
        JsonNode c = s.path("categories");
        if (!c.isObject() || c.isEmpty()) {
            return null;
        }
        Map<String, Long> counts = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            counts.put(e.getKey(), e.getValue().asLong());
        }
        return new CategoricalReference(kind, counts);
    }
}
