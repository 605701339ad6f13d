package dev.drover.platform.expression;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drover's expression language: <a href="https://cel.dev">CEL</a>, the Common Expression Language (Google's
 * {@code dev.cel:cel}), used by a task's {@code when} condition, its {@code mapOver} list, an event trigger's
 * {@code filter} and parameter mapping (scheduler), and a sensor's {@code condition} or {@code filter} (executor). Both
 * services use this one class, so an expression registration accepted evaluates the same way where it runs.
 *
 * <p>CEL is sandboxed by design: no I/O, no loops that do not terminate, no access to anything but the variables
 * handed in. Every variable is declared {@code dyn}, so expressions read JSON-like values (maps, lists, strings,
 * integers as {@code int}, decimals as {@code double}, booleans) with field syntax: {@code params.threshold > 0.5},
 * {@code tasks.evaluate.outputs.auc >= 0.8}, {@code data.table == "churn"}. A variable missing from the values is an
 * empty map (so {@code has(params.x)} is false and {@code params.x} says "no such key"); a variable or element that is
 * Java {@code null} is CEL {@code null} ({@code json == null}).
 *
 * <p>One instance per set of variable names; compiled programs are cached by text. Thread-safe.
 */
public final class Expressions {
    private static final int CACHE_LIMIT = 10_000;
    private final Set<String> variables;
    private final CelCompiler compiler;
    /** {@code rows > 1000.0} compares an int with a double as numbers, as people expect (CEL's default refuses). */
    private static final dev.cel.common.CelOptions OPTIONS = dev.cel.common.CelOptions.current()
            .enableHeterogeneousNumericComparisons(true).build();
    // the strings extension gives split, join, trim, … (e.g. mapOver: params.regions.split(","))
    private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS)
            .addLibraries(dev.cel.extensions.CelExtensions.strings()).build();
    private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

    /** An expression language over these variable names (each of type {@code dyn}). */
    public Expressions(Set<String> variables) {
        this.variables = Set.copyOf(variables);
        var builder = CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS)
                .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
                .addLibraries(dev.cel.extensions.CelExtensions.strings());
        variables.forEach(v -> builder.addVar(v, SimpleType.DYN));
        this.compiler = builder.build();
    }

    /** The variable names expressions may use. */
    public Set<String> variables() {
        return variables;
    }

    /**
     * Checks that {@code expression} parses and uses only the declared variables.
     *
     * @return null when it is valid, else a one-line message saying what is wrong, e.g.
     *         {@code undeclared reference to 'parms' (in container '') at 1:1}
     */
    public String problem(String expression) {
        try {
            program(expression);
            return null;
        } catch (ExpressionException e) {
            return e.getMessage();
        }
    }

    /** Evaluates to a value (Java types as in {@link #toJava}). */
    public Object evaluate(String expression, Map<String, ?> values) {
        Map<String, Object> input = new LinkedHashMap<>();
        for (String v : variables) {
            input.put(v, values.containsKey(v) ? toCel(values.get(v)) : Map.of());
        }
        try {
            return toJava(program(expression).eval(input));
        } catch (CelEvaluationException e) {
            throw new ExpressionException("`" + expression + "` failed: " + e.getMessage(), e);
        }
    }

    /** Evaluates a condition; anything but a boolean result is an error. */
    public boolean test(String expression, Map<String, ?> values) {
        Object result = evaluate(expression, values);
        if (result instanceof Boolean b) {
            return b;
        }
        throw new ExpressionException("`" + expression + "` must give true or false, but gave "
                + (result == null ? "null" : result.getClass().getSimpleName() + " " + result), null);
    }

    private CelRuntime.Program program(String expression) {
        CelRuntime.Program p = programs.get(expression);
        if (p != null) {
            return p;
        }
        try {
            CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
            p = runtime.createProgram(ast);
        } catch (CelValidationException e) {
            throw new ExpressionException(oneLine(e.getMessage()), e);
        } catch (CelEvaluationException e) {
            throw new ExpressionException(oneLine(e.getMessage()), e);
        }
        if (programs.size() < CACHE_LIMIT) {
            programs.put(expression, p);
        }
        return p;
    }

    private static String oneLine(String message) {
        String m = message == null ? "invalid expression" : message.strip();
        m = m.replaceFirst("^ERROR: <input>:", "at ");
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** JSON-like Java values to what CEL expects: integers as long, decimals as double, null as CEL null, recursively. */
    static Object toCel(Object value) {
        if (value == null) {
            return dev.cel.common.values.NullValue.NULL_VALUE;
        }
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
            map.forEach((k, v) -> out.put(String.valueOf(k), toCel(v)));
            return out;
        }
        return value;
    }

    /**
     * CEL results to JSON-like Java values: String, Long, Double, Boolean, List, Map (string keys), or null.
     * Unsigned integers become Long; other CEL types (timestamps, durations, bytes) become their string form.
     */
    static Object toJava(Object value) {
        if (value == null || value instanceof String || value instanceof Long || value instanceof Double
                || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number n) {
            return n instanceof Float ? n.doubleValue() : n.longValue();
        }
        if (value instanceof com.google.common.primitives.UnsignedLong u) {
            return u.longValue();
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(o -> out.add(toJava(o)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), toJava(v)));
            return out;
        }
        if (value.getClass().getName().equals("dev.cel.common.values.NullValue")
                || value.getClass().getName().equals("com.google.protobuf.NullValue")) {
            return null;
        }
        return value.toString();
    }

    /** An expression that does not compile or fails to evaluate; the message says why in one line. */
    public static final class ExpressionException extends RuntimeException {
        ExpressionException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
