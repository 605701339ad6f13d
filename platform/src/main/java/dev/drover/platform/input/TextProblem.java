package dev.drover.platform.input;

/**
 * Where a text breaks the {@link TextRules} — a JSON pointer into the value ({@code ""} for the whole of it) — and
 * what is wrong, as a sentence that does not repeat the offending text raw.
 */
public record TextProblem(String pointer, String message) {
}
