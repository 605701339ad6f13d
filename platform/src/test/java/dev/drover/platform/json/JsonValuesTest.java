package dev.drover.platform.json;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonValuesTest {

    @Test
    void roundTripsCanonicalValues() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("flag", true);
        inner.put("none", null);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", "train ✓");
        values.put("epochs", 3L);
        values.put("lr", 0.1);
        values.put("whole", 2.0);
        values.put("big", Long.MAX_VALUE);
        values.put("tiny", 1e-300);
        values.put("list", List.of(1L, "two", 3.5, List.of(), Map.of()));
        values.put("inner", inner);
        Map<String, Object> back = JsonValues.fromJson(JsonValues.toJson(values));
        assertThat(back).isEqualTo(values);
        assertThat(back.get("whole")).isInstanceOf(Double.class);
        assertThat(back.get("epochs")).isInstanceOf(Long.class);
    }

    @Test
    void readsCanonicalJavaTypes() {
        Map<String, Object> m = JsonValues.fromJson("{\"b\":1,\"a\":[1,2.5,{\"x\":null}],\"c\":1e3,\"d\":-0}");
        assertThat(m).isInstanceOf(LinkedHashMap.class);
        assertThat(m.keySet()).containsExactly("b", "a", "c", "d");
        assertThat(m.get("b")).isEqualTo(1L);
        assertThat(m.get("a")).isInstanceOf(ArrayList.class);
        List<?> a = (List<?>) m.get("a");
        assertThat(a.get(0)).isEqualTo(1L);
        assertThat(a.get(1)).isEqualTo(2.5);
        assertThat(a.get(2)).isInstanceOf(LinkedHashMap.class);
        assertThat(((Map<?, ?>) a.get(2)).containsKey("x")).isTrue();
        assertThat(m.get("c")).isEqualTo(1000.0);
        assertThat(m.get("d")).isEqualTo(0L);
    }

    @Test
    void widensOtherNumbersWhenWriting() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("i", 7);
        m.put("s", (short) 2);
        m.put("f", 0.5f);
        m.put("bi", BigInteger.TEN);
        m.put("bd", new BigDecimal("1.25"));
        m.put("set", new java.util.LinkedHashSet<>(Arrays.asList("a", "b")));
        assertThat(JsonValues.fromJson(JsonValues.toJson(m))).isEqualTo(Map.of("i", 7L, "s", 2L, "f", 0.5,
                "bi", 10L, "bd", 1.25, "set", List.of("a", "b")));
    }

    @Test
    void writesInMapOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1L);
        m.put("a", "x");
        assertThat(JsonValues.toJson(m)).isEqualTo("{\"z\":1,\"a\":\"x\"}");
        assertThat(JsonValues.toJson(Map.of())).isEqualTo("{}");
    }

    @Test
    void readsAndWritesAnyValue() {
        assertThat(JsonValues.readValue("null")).isNull();
        assertThat(JsonValues.readValue("[1,\"a\"]")).isEqualTo(List.of(1L, "a"));
        assertThat(JsonValues.writeValue(null)).isEqualTo("null");
        assertThat(JsonValues.writeValue(List.of(1L, true))).isEqualTo("[1,true]");
    }

    @Test
    void refusesWhatJsonCannotCarry() {
        assertThatThrownBy(() -> JsonValues.toJson(Map.of("x", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/x");
        assertThatThrownBy(() -> JsonValues.toJson(Map.of("x", List.of(Map.of("y", new Object())))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/x/0/y");
        assertThatThrownBy(() -> JsonValues.toJson(Map.of("x", BigInteger.TWO.pow(64))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonValues.writeValue(Map.of(1, "a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a string");
    }

    @Test
    void refusesInvalidJson() {
        assertThatThrownBy(() -> JsonValues.fromJson("[1]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> JsonValues.fromJson("null")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonValues.fromJson("{\"a\":1,\"a\":2}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonValues.fromJson("{} {}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonValues.fromJson("{\"a\":")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonValues.fromJson("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JsonValues.fromJson("{\"a\":123456789012345678901234567890}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 bits");
        assertThatThrownBy(() -> JsonValues.fromJson("{\"a\":1e400}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> JsonValues.fromJson("{\"a\":NaN}")).isInstanceOf(IllegalArgumentException.class);
    }
}
