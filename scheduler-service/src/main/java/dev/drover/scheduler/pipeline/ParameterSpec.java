package dev.drover.scheduler.pipeline;

/**
 * A declared run parameter.
 *
 * @param type         the value type runs must supply
 * @param defaultValue the default (already of {@code type}: String, Long, Double or Boolean), or null when required
 * @param description  free text, may be empty
 */
public record ParameterSpec(ParameterType type, Object defaultValue, String description) {

    /** A parameter without default must be given by every run. */
    public boolean required() {
        return defaultValue == null;
    }
}
