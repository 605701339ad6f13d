package dev.drover.registry.mlflow;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a search runs over, with what MLflow lets a filter and an {@code order_by} name for it
 * ({@code mlflow/utils/search_utils.py}), and MLflow's default and largest page sizes.
 */
public enum SearchTarget {
    REGISTERED_MODELS("registered models", Set.of("name"), Set.of(), Set.of("name"),
            List.of("name", "timestamp", "last_updated_timestamp", "creation_timestamp"), 100, 1000),
    MODEL_VERSIONS("model versions", Set.of("name", "run_id", "source_path", "version_number"),
            Set.of("version_number"), Set.of("name", "run_id"),
            List.of("name", "version_number", "creation_timestamp", "last_updated_timestamp"), 10_000, 200_000);

    private final String description;
    private final Set<String> attributes;
    private final Set<String> numericAttributes;
    private final Set<String> listAttributes;
    private final List<String> orderKeys;
    private final int defaultMaxResults;
    private final int maxMaxResults;

    SearchTarget(String description, Set<String> attributes, Set<String> numericAttributes,
                 Set<String> listAttributes, List<String> orderKeys, int defaultMaxResults, int maxMaxResults) {
        this.description = description;
        this.attributes = attributes;
        this.numericAttributes = numericAttributes;
        this.listAttributes = listAttributes;
        this.orderKeys = orderKeys;
        this.defaultMaxResults = defaultMaxResults;
        this.maxMaxResults = maxMaxResults;
    }

    public String description() {
        return description;
    }

    /** The attributes a filter may compare (besides tags). */
    public Set<String> attributes() {
        return attributes;
    }

    /** The attributes compared as numbers ({@code =, !=, <, <=, >, >=}). */
    public Set<String> numericAttributes() {
        return numericAttributes;
    }

    /** The attributes that accept {@code IN (...)} and {@code NOT IN (...)}. */
    public Set<String> listAttributes() {
        return listAttributes;
    }

    /** The keys an {@code order_by} clause may name. */
    public List<String> orderKeys() {
        return orderKeys;
    }

    /** The page size when the call gives no {@code max_results} (MLflow's client default). */
    public int defaultMaxResults() {
        return defaultMaxResults;
    }

    /** The largest {@code max_results} MLflow accepts. */
    public int maxMaxResults() {
        return maxMaxResults;
    }

    /** Aliases of order keys that sort on the same column (MLflow's {@code timestamp}). */
    static final Map<String, String> ORDER_KEY_ALIASES = Map.of("timestamp", "last_updated_timestamp");
}
