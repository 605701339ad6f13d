package dev.drover.registry.mlflow;

import java.util.List;
import java.util.Objects;

/**
 * One comparison of an MLflow search filter, e.g. {@code name LIKE 'churn%'} or {@code tags.team = 'fraud'}.
 *
 * @param tag        whether {@code key} is a tag key rather than an attribute
 * @param key        the attribute ({@code name}, {@code run_id}, {@code source_path}, {@code version_number}) or the
 *                   tag key
 * @param comparator the comparison
 * @param values     the right-hand side: one value, or the list of an {@code IN}/{@code NOT IN}; numbers for numeric
 *                   attributes are kept as their digits
 */
public record FilterCondition(boolean tag, String key, Comparator comparator, List<String> values) {

    public FilterCondition {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(comparator, "comparator");
        values = List.copyOf(values);
    }

    /** The single right-hand value (of a comparator that is not a list comparator). */
    public String value() {
        return values.get(0);
    }

    /** The comparators of MLflow's filter grammar. */
    public enum Comparator {
        EQUALS("="),
        NOT_EQUALS("!="),
        LESS("<"),
        LESS_OR_EQUAL("<="),
        GREATER(">"),
        GREATER_OR_EQUAL(">="),
        LIKE("LIKE"),
        ILIKE("ILIKE"),
        IN("IN"),
        NOT_IN("NOT IN");

        private final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }

        /** How it is written in a filter. */
        public String symbol() {
            return symbol;
        }

        public boolean isList() {
            return this == IN || this == NOT_IN;
        }

        public boolean isOrdering() {
            return this == LESS || this == LESS_OR_EQUAL || this == GREATER || this == GREATER_OR_EQUAL;
        }
    }
}
