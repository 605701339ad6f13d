package dev.drover.executor.sensor;

import dev.drover.platform.expression.Expressions;
import dev.drover.platform.expression.Expressions.ExpressionException;

import java.util.Map;
import java.util.Set;

/**
 * CEL conditions of sensors ({@code wait_for_http}'s {@code condition}, {@code wait_for_event}'s {@code filter}):
 * platform {@link Expressions}, the same language the scheduler checked them with at registration, with its failures
 * turned into sensor failures.
 */
final class Conditions {
    private final Expressions cel;

    Conditions(Set<String> variables) {
        this.cel = new Expressions(variables);
    }

    /**
     * Evaluates a condition.
     *
     * @throws Sensor.SensorException saying why, if it does not compile, fails, or gives anything but a boolean
     */
    boolean test(String expression, Map<String, ?> values) throws Sensor.SensorException {
        try {
            return cel.test(expression, values);
        } catch (ExpressionException e) {
            String m = e.getMessage();
            throw new Sensor.SensorException(m.startsWith("`") ? m : "`" + expression + "` failed: " + m, e);
        }
    }
}
