package dev.drover.executor.registrytask;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The reference statistics of one feature, in the form the registry's {@code FeatureSetRules} expects.
 * {@code missing} counts the rows whose cell is empty.
 */
public sealed interface FeatureProfile {

    String name();

    FeatureType type();

    long missing();

    /**
     * A numeric feature: a histogram ({@code edges} strictly increasing, one more than {@code counts}; bin i is
     * {@code [edge i, edge i+1)}, the last bin closed) and quantiles. A feature without any value has neither.
     */
    record Numeric(String name, long missing, List<Double> edges, List<Long> counts, List<Quantile> quantiles)
            implements FeatureProfile {
        public Numeric {
            edges = List.copyOf(edges);
            counts = List.copyOf(counts);
            quantiles = List.copyOf(quantiles);
        }

        @Override
        public FeatureType type() {
            return FeatureType.NUMERIC;
        }
    }

    /** A categorical or binary feature: how many rows have each value, values in sorted order. */
    record Categorical(String name, FeatureType type, long missing, SortedMap<String, Long> categories)
            implements FeatureProfile {
        public Categorical {
            categories = Collections.unmodifiableSortedMap(new TreeMap<>(categories));
        }
    }

    /** The value below which {@code p} (0 to 1) of a numeric feature's values lie. */
    record Quantile(double p, double value) {
    }
}
