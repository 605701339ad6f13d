package dev.drover.scheduler.pipeline;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as pipeline files write them: the short form ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h},
 * {@code 1d}, or several units from largest to smallest such as {@code 1m30s}) or ISO-8601 ({@code PT30S},
 * {@code P1DT2H}, {@code PT0.5S}).
 *
 * <p>Durations are kept to whole milliseconds, because that is what events and timers store; anything finer is
 * rejected rather than silently rounded. The same grammar is published in {@code pipeline.schema.json}.
 */
public final class Durations {
    /** The short form; {@code m(?!s)} keeps {@code 5ms} from being read as five minutes and a stray {@code s}. */
    private static final Pattern SHORT = Pattern.compile(
            "(?=\\d)(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");
    private static final Pattern ISO = Pattern.compile(
            "P(?!$)(?:(\\d+)D)?(?:T(?=\\d)(?:(\\d+)H)?(?:(\\d+)M)?(?:(\\d+)(?:\\.(\\d{1,3}))?S)?)?");
    private static final long[] SHORT_UNITS_MS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    private static final String[] SHORT_UNITS = {"d", "h", "m", "s", "ms"};

    /** How to write a duration, for problem messages. */
    public static final String HELP = "write a number with a unit (ms, s, m, h, d), e.g. 500ms, 30s, 5m, 2h, 1d, "
            + "or combine units from largest to smallest, e.g. 1m30s; ISO-8601 such as PT30S also works";

    private Durations() {
    }

    /** The outcome of {@link #parse(String)}. */
    public sealed interface Result permits Result.Valid, Result.Invalid {
        /** The duration, when valid. */
        default Optional<Duration> value() {
            return this instanceof Valid v ? Optional.of(v.duration()) : Optional.empty();
        }

        /**
         * A well-formed, non-negative duration of whole milliseconds.
         *
         * @param duration the value
         */
        record Valid(Duration duration) implements Result {
        }

        /**
         * Text that is not a duration.
         *
         * @param reason what is wrong and how to write it instead
         */
        record Invalid(String reason) implements Result {
        }
    }

    /** Parses a duration; never throws. Zero is valid here: callers that need a positive one check it. */
    public static Result parse(String text) {
        if (text == null) {
            return new Result.Invalid("no duration given; " + HELP);
        }
        String s = text.strip();
        try {
            Matcher m = SHORT.matcher(s);
            if (m.matches()) {
                long ms = 0;
                for (int i = 0; i < SHORT_UNITS_MS.length; i++) {
                    ms = Math.addExact(ms, Math.multiplyExact(number(m.group(i + 1)), SHORT_UNITS_MS[i]));
                }
                return new Result.Valid(Duration.ofMillis(ms));
            }
            m = ISO.matcher(s);
            if (m.matches()) {
                long ms = Math.multiplyExact(number(m.group(1)), 86_400_000L);
                ms = Math.addExact(ms, Math.multiplyExact(number(m.group(2)), 3_600_000L));
                ms = Math.addExact(ms, Math.multiplyExact(number(m.group(3)), 60_000L));
                ms = Math.addExact(ms, Math.multiplyExact(number(m.group(4)), 1_000L));
                String fraction = m.group(5);
                if (fraction != null) {
                    ms = Math.addExact(ms, Long.parseLong((fraction + "00").substring(0, 3)));
                }
                return new Result.Valid(Duration.ofMillis(ms));
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return new Result.Invalid("`" + s + "` is too long a duration; durations must fit in 292 million years");
        }
        if (s.startsWith("-")) {
            return new Result.Invalid("`" + s + "` is negative; durations cannot be negative");
        }
        if (s.matches("(?i)P.*\\.\\d{4,}S")) {
            return new Result.Invalid("`" + s + "` is finer than a millisecond; round it to milliseconds, e.g. PT0.001S");
        }
        if (s.matches("\\d+(\\.\\d+)?")) {
            return new Result.Invalid("`" + s + "` has no unit; add one, e.g. " + s + "s or " + s + "m");
        }
        return new Result.Invalid("`" + s + "` is not a duration; " + HELP);
    }

    /**
     * Formats a duration in the short form that {@link #parse(String)} reads back to the same value, e.g.
     * {@code 1h30m}, {@code 1s500ms}, {@code 0s}.
     *
     * @throws IllegalArgumentException for negative durations or ones finer than a millisecond, which no pipeline
     *                                  document can produce
     */
    public static String format(Duration duration) {
        if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("cannot format " + duration + ": only whole, non-negative milliseconds");
        }
        long ms = duration.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < SHORT_UNITS_MS.length; i++) {
            long n = ms / SHORT_UNITS_MS[i];
            if (n > 0) {
                out.append(n).append(SHORT_UNITS[i]);
                ms -= n * SHORT_UNITS_MS[i];
            }
        }
        return out.toString();
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}
