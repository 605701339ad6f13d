package dev.drover.registry.core;

import java.util.List;
import java.util.Map;

/**
 * Reference statistics of one feature, computed from the training data, that the monitor compares production data
 * with. Numeric features have a histogram and quantiles; categorical and binary features have category counts.
 * {@code missingCount} counts rows without a value.
 */
public sealed interface FeatureStatistics {

    long missingCount();

    /**
     * A histogram ({@code binEdges} strictly increasing, one more edge than counts; bin i is
     * {@code [edge i, edge i+1)}, the last bin closed) and quantiles in increasing probability. A feature with no
     * values at all has neither.
     */
    record NumericStatistics(List<Double> binEdges, List<Long> binCounts, List<Quantile> quantiles,
                             long missingCount) implements FeatureStatistics {
        public NumericStatistics {
            binEdges = Copies.list(binEdges);
            binCounts = Copies.list(binCounts);
            quantiles = Copies.list(quantiles);
        }
    }

    /** How many rows had each category. */
    record CategoricalStatistics(Map<String, Long> categoryCounts, long missingCount) implements FeatureStatistics {
        public CategoricalStatistics {
            categoryCounts = Copies.sorted(categoryCounts);
        }
    }
}
