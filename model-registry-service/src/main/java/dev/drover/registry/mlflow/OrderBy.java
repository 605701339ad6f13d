package dev.drover.registry.mlflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * MLflow's {@code order_by}: clauses such as {@code name ASC} or {@code last_updated_timestamp DESC}, each a key
 * ({@link SearchTarget#orderKeys()}, optionally {@code `back-ticked`} or prefixed with {@code attribute.}) and an
 * optional direction, ascending by default. As in MLflow's SQL store, {@code timestamp} means
 * {@code last_updated_timestamp}, a key may appear only once, and tie-breakers are added so that paging is stable:
 * {@code name ASC} for registered models; {@code name ASC, version_number DESC} for model versions, whose default
 * order is {@code last_updated_timestamp DESC}.
 */
public final class OrderBy {

    /** One sort key: an MLflow key ({@code name}, {@code version_number}, …) and its direction. */
    public record Term(String key, boolean ascending) {
        public Term {
            Objects.requireNonNull(key, "key");
        }
    }

    private OrderBy() {
    }

    /** The sort keys for {@code clauses}, with MLflow's defaults and tie-breakers. */
    public static List<Term> parse(List<String> clauses, SearchTarget target) {
        List<Term> terms = new ArrayList<>();
        List<String> given = clauses == null ? List.of() : clauses;
        if (given.isEmpty() && target == SearchTarget.MODEL_VERSIONS) {
            terms.add(new Term("last_updated_timestamp", false));
        }
        for (String clause : given) {
            Term term = term(clause, target);
            if (terms.stream().anyMatch(t -> t.key().equals(term.key()))) {
                throw MlflowException.invalidParameter("`order_by` contains duplicate fields: " + given
                        + ". Name each key at most once.");
            }
            terms.add(term);
        }
        if (terms.stream().noneMatch(t -> t.key().equals("name"))) {
            terms.add(new Term("name", true));
        }
        if (target == SearchTarget.MODEL_VERSIONS && terms.stream().noneMatch(t -> t.key().equals("version_number"))) {
            terms.add(new Term("version_number", false));
        }
        return List.copyOf(terms);
    }

    private static Term term(String clause, SearchTarget target) {
        String[] parts = clause == null ? new String[0] : clause.trim().split("\\s+");
        if (parts.length == 0 || parts[0].isEmpty() || parts.length > 2) {
            throw MlflowException.invalidParameter("Invalid order_by clause '" + clause + "'. Could not be parsed: "
                    + "write a key and an optional direction, e.g. 'name ASC' or 'last_updated_timestamp DESC'.");
        }
        boolean ascending = true;
        if (parts.length == 2) {
            String direction = parts[1].toLowerCase(Locale.ROOT);
            if (!direction.equals("asc") && !direction.equals("desc")) {
                throw MlflowException.invalidParameter("Invalid ordering key in order_by clause '" + clause
                        + "': the direction must be ASC or DESC.");
            }
            ascending = direction.equals("asc");
        }
        String key = parts[0];
        for (String prefix : List.of("attribute.", "attributes.", "attr.")) {
            if (key.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                key = key.substring(prefix.length());
            }
        }
        if (key.length() >= 2 && key.startsWith("`") && key.endsWith("`")) {
            key = key.substring(1, key.length() - 1);
        }
        if (!target.orderKeys().contains(key)) {
            throw MlflowException.invalidParameter("Invalid order by key '" + key + "' specified in '" + clause
                    + "'. Valid keys for " + target.description() + " are " + target.orderKeys() + ".");
        }
        return new Term(SearchTarget.ORDER_KEY_ALIASES.getOrDefault(key, key), ascending);
    }
}
