package dev.drover.monitor.core;

import java.util.List;

/**
 * The names of the drift tests a window's results may use. They are the constants of the statistics library's
 * {@code DriftMethod} enum; the core keeps them as strings so that it depends on nothing but its own types.
 */
public final class DriftMethods {
    /** Every method, in the order the statistics library declares them. */
    public static final List<String> NAMES = List.of("KS", "PSI", "WASSERSTEIN", "JENSEN_SHANNON", "CHI_SQUARE",
            "Z_TEST");

    private DriftMethods() {
    }

    public static boolean isKnown(String method) {
        return method != null && NAMES.contains(method);
    }
}
