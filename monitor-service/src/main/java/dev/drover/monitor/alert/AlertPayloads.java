package dev.drover.monitor.alert;

import dev.drover.monitor.core.MonitorEvent.AlertRaised;
import dev.drover.monitor.core.WebhookFormat;
import dev.drover.platform.json.JsonValues;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bodies the webhook sender posts (documented in docs/monitor.md, "Reactions"): {@code GENERIC}, a JSON
 * document with every field; {@code SLACK}, an incoming-webhook message {@code {"text": "[KIND] message"}} (messages name the model).
 */
public final class AlertPayloads {
    private AlertPayloads() {
    }

    /**
     * The body for one format.
     *
     * @param eventId  the alert's event id (also the {@code Idempotency-Key} header)
     * @param reportId the drift report the alert is about, or null
     * @param version  the model version it is about, or null
     */
    public static String body(WebhookFormat format, String eventId, AlertRaised alert, String reportId,
                              Integer version) {
        if (format == WebhookFormat.SLACK) {
            return JsonValues.toJson(Map.of("text", "[" + alert.kind() + "] " + alert.message()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", alert.kind().name());
        body.put("model", alert.modelName());
        body.put("message", alert.message());
        body.put("reportId", reportId);
        body.put("version", version);
        body.put("at", alert.at().toString());
        body.put("eventId", eventId);
        return JsonValues.toJson(body);
    }
}
