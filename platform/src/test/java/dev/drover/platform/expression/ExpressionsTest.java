package dev.drover.platform.expression;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionsTest {
    private final Expressions cel = new Expressions(Set.of("params", "tasks"));

    @Test
    void readsNestedJsonLikeValues() {
        Map<String, Object> values = Map.of("params", Map.of("threshold", 0.5, "n", 3),
                "tasks", Map.of("evaluate", Map.of("outputs", Map.of("auc", 0.91, "shards", List.of("a", "b")))));
        assertThat(cel.test("tasks.evaluate.outputs.auc > params.threshold", values)).isTrue();
        assertThat(cel.test("params.n == 3", values)).isTrue();
        assertThat(cel.test("params.n > 2.5", values)).isTrue();
        assertThat(cel.test("params.threshold < 1", values)).isTrue();
        assertThat(cel.evaluate("tasks.evaluate.outputs.shards", values)).isEqualTo(List.of("a", "b"));
        assertThat(cel.evaluate("size(tasks.evaluate.outputs.shards) + params.n", values)).isEqualTo(5L);
        assertThat(cel.evaluate("{'k': [1, 2.5, true]}", values)).isEqualTo(Map.of("k", List.of(1L, 2.5, true)));
        assertThat(cel.test("has(params.missing)", values)).isFalse();
    }

    @Test
    void saysWhatIsWrongWithABadExpression() {
        assertThat(cel.problem("params.x > ")).isNotNull();
        assertThat(cel.problem("parms.x > 1")).contains("parms");
        assertThat(cel.problem("params.x > 1")).isNull();
    }

    @Test
    void rejectsNonBooleanConditionsAndMissingFields() {
        assertThatThrownBy(() -> cel.test("params.n", Map.of("params", Map.of("n", 1))))
                .isInstanceOf(Expressions.ExpressionException.class).hasMessageContaining("true or false");
        assertThatThrownBy(() -> cel.test("params.missing > 1", Map.of("params", Map.of())))
                .isInstanceOf(Expressions.ExpressionException.class).hasMessageContaining("missing");
    }

    @Test
    void aNullValueIsCelNullAndAMissingVariableAnEmptyMap() {
        Expressions http = new Expressions(Set.of("json", "body"));
        Map<String, Object> values = new java.util.HashMap<>();
        values.put("json", null);
        assertThat(http.test("json == null", values)).isTrue();
        assertThat(http.test("!has(body.x)", values)).isTrue();
        Map<String, Object> nested = new java.util.HashMap<>();
        nested.put("state", null);
        assertThat(http.test("json.state == null", Map.of("json", nested))).isTrue();
        assertThat(http.evaluate("json", Map.of("json", nested))).isEqualTo(nested);
    }

    @Test
    void comparesWholeNumbersWithDecimalsAndHasTheStringsExtension() {
        Expressions http = new Expressions(Set.of("json"));
        Map<String, Object> values = Map.of("json", Map.of("rows", 1200, "state", " DONE "));
        assertThat(http.test("json.rows > 1000.0", values)).isTrue();
        assertThat(http.test("json.state.trim().lowerAscii() == 'done'", values)).isTrue();
        assertThat(http.evaluate("'a,b'.split(',')", values)).isEqualTo(List.of("a", "b"));
    }
}
