package dev.drover.executor.sensor;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CEL conditions of sensors ({@code wait_for_http}'s {@code condition}, {@code wait_for_event}'s {@code filter}),
 * evaluated on the executor: the same language and variable typing ({@code dyn}, JSON-like values) as the scheduler's
 * {@code Expressions}, which registration already used to check them. Services share no code but schemas and
 * {@code platform}, hence this small local copy.
 */
final class Conditions {
    private final Set<String> variables;
    private final CelCompiler compiler;
    private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    Conditions(Set<String> variables) {
        this.variables = Set.copyOf(variables);
        var builder = CelCompilerFactory.standardCelCompilerBuilder()
                .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS);
        variables.forEach(v -> builder.addVar(v, SimpleType.DYN));
        this.compiler = builder.build();
    }

    /**
     * Evaluates a condition.
     *
     * @throws Sensor.SensorException saying why, if it does not compile, fails, or gives anything but a boolean
     */
    boolean test(String expression, Map<String, ?> values) throws Sensor.SensorException {
        Object result;
        try {
            CelRuntime.Program program = runtime.createProgram(compiler.compile(expression).getAst());
            Map<String, Object> input = new LinkedHashMap<>();
            for (String v : variables) {
                Object value = values.get(v);
                input.put(v, toCel(value == null ? dev.cel.common.values.NullValue.NULL_VALUE : value));
            }
            result = program.eval(input);
        } catch (Exception e) {
            throw new Sensor.SensorException("`" + expression + "` failed: " + oneLine(e.getMessage()), e);
        }
        if (result instanceof Boolean b) {
            return b;
        }
        throw new Sensor.SensorException("`" + expression + "` must give true or false, but gave " + result);
    }

    private static String oneLine(String message) {
        String m = message == null ? "invalid expression" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** JSON-like Java values to what CEL expects: integers as long, decimals as double, recursively. */
    static Object toCel(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof java.math.BigDecimal d) {
            return d.doubleValue();
        }
        if (value instanceof java.math.BigInteger i) {
            return i.longValue();
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(o -> out.add(toCel(o)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? dev.cel.common.values.NullValue.NULL_VALUE
                    : toCel(v)));
            return out;
        }
        return value;
    }
}
