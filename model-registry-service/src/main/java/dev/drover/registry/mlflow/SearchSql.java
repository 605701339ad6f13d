package dev.drover.registry.mlflow;

import dev.drover.registry.mlflow.FilterCondition.Comparator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Translates parsed MLflow filters and orders into SQL over the read model: {@code registered_models m} and its
 * {@code model_tags}, or {@code model_versions v} and its {@code model_version_tags}. Values are always bound
 * parameters; only column names chosen from fixed maps are written into the text.
 *
 * <p>A tag comparison matches only rows that have the tag (as in MLflow's SQL store), with MLflow's one exception: a
 * missing {@code mlflow.prompt.is_prompt} tag counts as {@code 'false'}, because MLflow's Python client adds
 * {@code tags.`mlflow.prompt.is_prompt` != 'true'} to every registered-model search to leave prompts out.
 * Names sort by code point ({@code COLLATE "C"}), as MLflow's Python stores do, whatever the database's locale.
 */
final class SearchSql {
    /** MLflow's tag that marks a registered model as a prompt. */
    static final String IS_PROMPT_TAG = "mlflow.prompt.is_prompt";

    private static final Map<String, String> MODEL_COLUMNS = Map.of("name", "m.name");
    private static final Map<String, String> MODEL_ORDER = Map.of(
            "name", "m.name collate \"C\"",
            "last_updated_timestamp", "m.updated_at",
            "creation_timestamp", "m.created_at");
    private static final Map<String, String> VERSION_COLUMNS = Map.of(
            "name", "v.model_name",
            "run_id", "v.run_id",
            "source_path", "v.artifact_location",
            "version_number", "v.version");
    private static final Map<String, String> VERSION_ORDER = Map.of(
            "name", "v.model_name collate \"C\"",
            "version_number", "v.version",
            "last_updated_timestamp", "v.updated_at",
            "creation_timestamp", "v.created_at");

    /** A where clause ({@code "true"} when there is nothing to filter) and its parameters in order. */
    record Where(String sql, List<Object> parameters) {
    }

    private SearchSql() {
    }

    static Where where(List<FilterCondition> conditions, SearchTarget target) {
        List<String> clauses = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        for (FilterCondition c : conditions) {
            clauses.add(c.tag() ? tagClause(c, target, parameters) : attributeClause(c, target, parameters));
        }
        return new Where(clauses.isEmpty() ? "true" : String.join(" and ", clauses), parameters);
    }

    static String orderBy(List<OrderBy.Term> terms, SearchTarget target) {
        Map<String, String> columns = target == SearchTarget.REGISTERED_MODELS ? MODEL_ORDER : VERSION_ORDER;
        List<String> out = new ArrayList<>();
        for (OrderBy.Term t : terms) {
            String column = columns.get(t.key());
            if (column == null) {
                throw new IllegalArgumentException("no column for order key " + t.key());
            }
            out.add(column + (t.ascending() ? " asc" : " desc"));
        }
        return String.join(", ", out);
    }

    private static String attributeClause(FilterCondition c, SearchTarget target, List<Object> parameters) {
        Map<String, String> columns = target == SearchTarget.REGISTERED_MODELS ? MODEL_COLUMNS : VERSION_COLUMNS;
        String column = columns.get(c.key());
        if (column == null) {
            throw new IllegalArgumentException("no column for attribute " + c.key());
        }
        boolean numeric = target.numericAttributes().contains(c.key());
        return comparison(column, c, numeric, parameters);
    }

    private static String tagClause(FilterCondition c, SearchTarget target, List<Object> parameters) {
        String table = target == SearchTarget.REGISTERED_MODELS
                ? "model_tags t where t.model_name = m.name"
                : "model_version_tags t where t.model_name = v.model_name and t.version = v.version";
        parameters.add(c.key());
        if (c.key().equals(IS_PROMPT_TAG)) {
            return comparison("coalesce((select t.value from " + table + " and t.key = ?), 'false')", c, false,
                    parameters);
        }
        return "exists (select 1 from " + table + " and t.key = ? and "
                + comparison("t.value", c, false, parameters) + ")";
    }

    private static String comparison(String column, FilterCondition c, boolean numeric, List<Object> parameters) {
        Comparator op = c.comparator();
        if (op.isList()) {
            parameters.add(new TextArray(c.values()));
            return op == Comparator.IN ? column + " = any(?)" : "not (" + column + " = any(?))";
        }
        parameters.add(numeric ? (Object) Long.parseLong(c.value()) : c.value());
        String sqlOperator = switch (op) {
            case EQUALS -> "=";
            case NOT_EQUALS -> "<>";
            case LESS -> "<";
            case LESS_OR_EQUAL -> "<=";
            case GREATER -> ">";
            case GREATER_OR_EQUAL -> ">=";
            case LIKE -> "like";
            case ILIKE -> "ilike";
            default -> throw new IllegalArgumentException("not a single-value comparator: " + op);
        };
        return column + " " + sqlOperator + " ?";
    }

    /** A parameter bound as a SQL {@code text[]}. */
    record TextArray(List<String> values) {
        TextArray {
            values = List.copyOf(values);
        }
    }
}
