package dev.drover.monitor.core;

/**
 * Where alerts of a monitored model go.
 *
 * @param url    an absolute {@code http} or {@code https} URL
 * @param format the body to send; null in a command means {@link WebhookFormat#GENERIC}
 */
public record Webhook(String url, WebhookFormat format) {
}
