package dev.drover.scheduler.pipeline;

import dev.drover.platform.input.TextRules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds the parameters supplied with a run request to a pipeline's declared parameters: applies defaults, coerces
 * values to their declared types ({@link ParameterType#coerce}) and reports everything that does not fit. The
 * scheduler's decider calls it when a run is requested, so a run never starts with parameters its templates cannot
 * use.
 */
public final class ParameterBinding {
    /** The longest string parameter value, in characters. */
    public static final int MAX_STRING_LENGTH = 65_536;

    private ParameterBinding() {
    }

    /** The outcome of {@link #bind}. */
    public sealed interface BindResult permits BindResult.Bound, BindResult.Unbound {
        /** True when every parameter has a value of its type. */
        boolean ok();

        /** The complete parameters, by name in declaration order. */
        Map<String, Object> parameters();

        /** What is wrong with the supplied values; empty when {@link #ok()}. */
        List<SpecProblem> problems();

        /**
         * Every declared parameter with a value of its type.
         *
         * @param parameters name to String, Long, Double or Boolean, in declaration order
         */
        record Bound(Map<String, Object> parameters) implements BindResult {
            public Bound {
                parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
            }

            @Override
            public boolean ok() {
                return true;
            }

            @Override
            public List<SpecProblem> problems() {
                return List.of();
            }
        }

        /**
         * The supplied parameters do not fit.
         *
         * @param problems one per parameter that is unknown, missing or of the wrong type
         */
        record Unbound(List<SpecProblem> problems) implements BindResult {
            public Unbound {
                problems = List.copyOf(problems);
            }

            @Override
            public boolean ok() {
                return false;
            }

            /** There are no parameters to use: check {@link #ok()} first. */
            @Override
            public Map<String, Object> parameters() {
                throw new IllegalStateException("parameters did not bind: " + problems);
            }
        }
    }

    /**
     * Binds supplied values to the spec's parameters.
     *
     * @param spec     the pipeline revision the run will use
     * @param supplied values by name as the request carried them (JSON values or query-string strings); may be
     *                 null; a null value counts as not supplied
     * @return all declared parameters with values, or one problem per unknown, missing or ill-typed parameter, with
     *         paths {@code /parameters/NAME}
     */
    public static BindResult bind(PipelineSpec spec, Map<String, Object> supplied) {
        Map<String, Object> given = supplied == null ? Map.of() : supplied;
        List<SpecProblem> problems = new ArrayList<>();
        String parametersPath = Pointer.child(Pointer.ROOT, "parameters");
        for (String name : given.keySet()) {
            if (!spec.parameters().containsKey(name)) {
                problems.add(new SpecProblem(Pointer.child(parametersPath, name), "unknown parameter `" + name
                        + "`; " + (spec.parameters().isEmpty() ? "pipeline " + spec.id() + " declares no parameters, "
                        + "so remove it" : "pipeline " + spec.id() + " declares " + declared(spec)
                        + "; fix the name or remove it")
                        + PipelineSpecParser.suggestion(name, List.copyOf(spec.parameters().keySet()))));
            }
        }
        Map<String, Object> bound = new LinkedHashMap<>();
        spec.parameters().forEach((name, p) -> {
            String path = Pointer.child(parametersPath, name);
            Object value = given.get(name);
            if (value == null) {
                if (p.required()) {
                    problems.add(new SpecProblem(path, "missing required parameter `" + name + "` ("
                            + p.type().specName() + (p.description().isEmpty() ? "" : ": " + p.description())
                            + "); supply it, e.g. " + name + "=" + example(p.type())));
                } else {
                    bound.put(name, p.defaultValue());
                }
                return;
            }
            Optional<Object> coerced = outOfRange(p.type(), value) ? Optional.empty() : p.type().coerce(value);
            Optional<String> badText = coerced.isPresent() && coerced.get() instanceof String text
                    ? TextRules.freeText(text, MAX_STRING_LENGTH) : Optional.empty();
            if (coerced.isEmpty()) {
                problems.add(new SpecProblem(path, "parameter `" + name + "` must be " + article(p.type()) + " "
                        + p.type().specName() + ", got " + Values.describe(value) + "; supply " + hint(p.type())));
            } else if (badText.isPresent()) {
                // a parameter is recorded in the run's events and read by templates: too long or not text, it
                // would travel the whole system; large inputs belong in files named by a parameter
                problems.add(new SpecProblem(path, "parameter `" + name + "` " + badText.get()
                        + "; pass a path or URI to large data instead of the data itself"));
            } else {
                bound.put(name, coerced.get());
            }
        });
        return problems.isEmpty() ? new BindResult.Bound(bound) : new BindResult.Unbound(problems);
    }

    /** Integers beyond 64 bits would be silently truncated by {@link ParameterType#coerce}. */
    private static boolean outOfRange(ParameterType type, Object value) {
        return type == ParameterType.INTEGER && value instanceof Number n && !(value instanceof Long)
                && !(value instanceof Integer) && !(value instanceof Short)
                && Math.abs(n.doubleValue()) >= 0x1p63;
    }

    private static String declared(PipelineSpec spec) {
        List<String> out = new ArrayList<>();
        spec.parameters().forEach((name, p) -> out.add(name + " (" + p.type().specName() + ")"));
        return String.join(", ", out);
    }

    private static String article(ParameterType type) {
        return type == ParameterType.INTEGER ? "an" : "a";
    }

    private static String example(ParameterType type) {
        return switch (type) {
            case STRING -> "text";
            case INTEGER -> "10";
            case NUMBER -> "0.5";
            case BOOLEAN -> "true";
        };
    }

    private static String hint(ParameterType type) {
        return switch (type) {
            case STRING -> "text, e.g. \"v2\"";
            case INTEGER -> "a whole number, e.g. 10";
            case NUMBER -> "a number, e.g. 0.5";
            case BOOLEAN -> "true or false";
        };
    }
}
