package dev.drover.executor.registrytask;

import java.util.Locale;
import java.util.Optional;

/** How the registry treats a feature: a histogram and quantiles for numeric ones, category counts for the others. */
public enum FeatureType {
    NUMERIC,
    CATEGORICAL,
    /** Categorical with at most two categories. */
    BINARY;

    /** The type named {@code name}, in upper or lower case. */
    static Optional<FeatureType> parse(String name) {
        for (FeatureType t : values()) {
            if (t.name().equals(name) || t.name().toLowerCase(Locale.ROOT).equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
