package dev.drover.ui.web;

import java.util.Locale;
import java.util.Map;

/**
 * How a run's or task's state looks: a colour (from the Okabe–Ito palette, told apart with every common colour
 * blindness) and always an icon and a word as well, so colour is never the only sign.
 */
public final class States {
    private static final Map<String, String> ICONS = Map.ofEntries(
            Map.entry("SUCCEEDED", "✓"), Map.entry("FAILED", "✕"), Map.entry("RUNNING", "▶"),
            Map.entry("DISPATCHED", "↗"), Map.entry("PENDING", "·"), Map.entry("QUEUED", "⋯"),
            Map.entry("RETRY_WAIT", "↻"), Map.entry("UP_FOR_RESCHEDULE", "↺"), Map.entry("UPSTREAM_FAILED", "⚠"),
            Map.entry("CANCELED", "■"), Map.entry("SKIPPED", "»"), Map.entry("MAPPED", "⧉"));

    private States() {
    }

    public static String icon(String state) {
        return ICONS.getOrDefault(state == null ? "" : state, "?");
    }

    /** The CSS class that colours a state. */
    public static String css(String state) {
        return "st st-" + (state == null ? "none" : state.toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** The colour class of a grid cell, without the shared {@code st}: the grid has thousands. */
    public static String cellCss(String state) {
        return "st-" + (state == null ? "none" : state.toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /** The state in words: "upstream failed". */
    public static String words(String state) {
        return state == null ? "no run" : state.toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** A duration for people: 850 ms, 12.3 s, 4 min 05 s, 2 h 07 min. */
    public static String duration(Long millis) {
        if (millis == null) {
            return "";
        }
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long s = millis / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }
}
