package dev.drover.monitor.core;

/** The body an alert webhook receives (both are described in {@code docs/monitor.md}). */
public enum WebhookFormat {
    /** Drover's own JSON: kind, model, message and the event's ids. */
    GENERIC,
    /** A Slack incoming-webhook message ({@code {"text": ...}}). */
    SLACK
}
