package dev.drover.scheduler.pipeline;

import java.util.Optional;

/** The types a run parameter can have; values are held as String, Long, Double or Boolean. */
public enum ParameterType {
    STRING, INTEGER, NUMBER, BOOLEAN;

    /**
     * Coerces a supplied value (from JSON, YAML or a query string) to this type.
     *
     * @return the value as String, Long, Double or Boolean, or empty when it cannot represent this type
     */
    public Optional<Object> coerce(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        switch (this) {
            case STRING:
                return value instanceof String || value instanceof Number || value instanceof Boolean
                        ? Optional.of(String.valueOf(value)) : Optional.empty();
            case INTEGER:
                if (value instanceof Integer || value instanceof Long || value instanceof Short) {
                    return Optional.of(((Number) value).longValue());
                }
                if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                        && !Double.isInfinite(n.doubleValue())) {
                    return Optional.of(n.longValue());
                }
                if (value instanceof String s) {
                    try {
                        return Optional.of(Long.parseLong(s.trim()));
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                }
                return Optional.empty();
            case NUMBER:
                if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
                    return Optional.of(n.doubleValue());
                }
                if (value instanceof String s) {
                    try {
                        double d = Double.parseDouble(s.trim());
                        return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                }
                return Optional.empty();
            case BOOLEAN:
                if (value instanceof Boolean b) {
                    return Optional.of(b);
                }
                if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                    return Optional.of(Boolean.parseBoolean(s));
                }
                return Optional.empty();
            default:
                throw new IllegalStateException("unhandled type " + this);
        }
    }

    /** The name used in pipeline files ({@code string}, {@code integer}, {@code number}, {@code boolean}). */
    public String specName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
