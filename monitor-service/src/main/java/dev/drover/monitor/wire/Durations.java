package dev.drover.monitor.wire;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Durations on the monitor's wire: ISO-8601 text as {@link Duration#toString()} writes it ({@code PT1H},
 * {@code PT0S}), exact and readable in a dumped record — as on the registry's wire.
 */
final class Durations {
    private Durations() {
    }

    static String toText(Duration duration) {
        return duration == null ? null : duration.toString();
    }

    /**
     * @param field the field's name, for the error
     * @throws IllegalArgumentException if the text is not an ISO-8601 duration
     */
    static Duration fromText(String text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " '" + text + "' is not an ISO-8601 duration (e.g. PT1H for "
                    + "an hour, PT0S for none)", e);
        }
    }
}
