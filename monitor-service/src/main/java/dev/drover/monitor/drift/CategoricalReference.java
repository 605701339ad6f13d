package dev.drover.monitor.drift;

import java.util.Map;
import java.util.TreeMap;

/**
 * The reference of a categorical or binary feature: how many training rows had each category.
 *
 * @param counts count per category (missing values not included)
 */
public record CategoricalReference(FeatureKind kind, Map<String, Long> counts) implements FeatureReference {

    public CategoricalReference {
        if (kind == null || kind == FeatureKind.NUMERIC) {
            throw new IllegalArgumentException("category counts describe CATEGORICAL or BINARY features, not " + kind);
        }
        counts = new TreeMap<>(counts);
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("category '" + e.getKey() + "' has count " + e.getValue()
                        + "; counts are >= 0");
            }
        }
        if (kind == FeatureKind.BINARY && counts.values().stream().filter(c -> c > 0).count() > 2) {
            throw new IllegalArgumentException("a binary feature has at most two categories, not "
                    + counts.keySet());
        }
    }

    @Override
    public long count() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
