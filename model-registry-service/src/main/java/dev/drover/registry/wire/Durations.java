package dev.drover.registry.wire;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * Durations on the registry's wire: ISO-8601 text as {@link Duration#toString()} writes it ({@code PT720H},
 * {@code PT0S}), which keeps every duration exactly and stays readable in a dumped record.
 */
final class Durations {
    private Durations() {
    }

    static String toText(Duration duration) {
        return duration.toString();
    }

    /**
     * @param field the field's name, for the error
     * @throws IllegalArgumentException if the text is not an ISO-8601 duration
     */
    static Duration fromText(String text, String field) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " '" + text + "' is not an ISO-8601 duration (e.g. PT720H "
                    + "for 30 days, PT0S for none)", e);
        }
    }
}
