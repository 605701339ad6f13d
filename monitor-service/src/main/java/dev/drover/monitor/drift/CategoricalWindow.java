package dev.drover.monitor.drift;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The window sketch of a categorical or binary feature: a count per category. At most {@value #MAX_CATEGORIES}
 * distinct categories are kept (the registry's limit for a reference); values of further categories are counted
 * together under {@link #OTHER}, which no reference has, so they show as new categories.
 */
public final class CategoricalWindow implements FeatureWindow {
    /** Distinct categories kept per window. */
    public static final int MAX_CATEGORIES = 10_000;
    /** The category that collects values beyond {@link #MAX_CATEGORIES} distinct ones. */
    public static final String OTHER = "\u0000other";

    private final Map<String, long[]> counts = new HashMap<>();
    private long count;
    private long missing;

    /** Counts one value; null counts as missing. */
    public void add(String category) {
        if (category == null) {
            missing++;
            return;
        }
        long[] c = counts.get(category);
        if (c == null) {
            c = counts.computeIfAbsent(counts.size() < MAX_CATEGORIES ? category : OTHER, k -> new long[1]);
        }
        c[0]++;
        count++;
    }

    /** Adds another window's counts into this one. */
    public void merge(CategoricalWindow other) {
        for (Map.Entry<String, long[]> e : other.counts.entrySet()) {
            long[] c = counts.get(e.getKey());
            if (c == null) {
                c = counts.computeIfAbsent(counts.size() < MAX_CATEGORIES ? e.getKey() : OTHER, k -> new long[1]);
            }
            c[0] += e.getValue()[0];
        }
        count += other.count;
        missing += other.missing;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long missingCount() {
        return missing;
    }

    /** The count per category, in category order. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }
}
