package dev.drover.bench;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Progress for people, on stderr; figures go to stdout through {@link Bench#figure}. */
final class Log {
    private static final PrintStream ERR = System.err;

    private Log() {
    }

    static void err(String message) {
        ERR.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " [bench] " + message);
    }
}
