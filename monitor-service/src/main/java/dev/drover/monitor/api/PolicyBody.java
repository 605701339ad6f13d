package dev.drover.monitor.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.monitor.core.DegradationPolicy;
import dev.drover.monitor.core.FeatureOverride;
import dev.drover.monitor.core.MetricDirection;
import dev.drover.monitor.core.MonitoringPolicy;
import dev.drover.monitor.core.TumblingWindow;
import dev.drover.monitor.core.Webhook;
import dev.drover.monitor.core.WebhookFormat;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the body of {@code PUT /api/v1/monitors/{model}} into a {@link MonitoringPolicy}. It checks the shape only
 * (fields, types, ISO-8601 durations, enum names); the monitor's core checks the rules (ranges, URLs, methods) and
 * its rejection lists every broken one.
 */
final class PolicyBody {
    static final String EXAMPLE = "{\"window\": {\"rows\": 1000}, \"retrainCooldown\": \"PT1H\"}";
    private static final Set<String> FIELDS = Set.of("window", "datasetDriftShare", "featureOverrides",
            "retrainCooldown", "degradation", "webhooks", "retrainMinLabeledRows");

    private PolicyBody() {
    }

    static MonitoringPolicy read(String body) {
        JsonNode root = JsonBodies.object(body, EXAMPLE);
        JsonBodies p = new JsonBodies();
        p.onlyFields(root, "", FIELDS);

        TumblingWindow window = null;
        JsonNode w = root.path("window");
        if (w.isMissingNode() || w.isNull()) {
            p.problem("/window", "is required: {\"rows\": 1000} or {\"duration\": \"PT1H\"}");
        } else if (!w.isObject()) {
            p.problem("/window", "must be an object, not a " + JsonBodies.type(w));
        } else {
            p.onlyFields(w, "/window", Set.of("rows", "duration"));
            Long rows = null;
            if (w.has("rows") && !w.get("rows").isNull()) {
                if (w.get("rows").canConvertToExactIntegral() && w.get("rows").canConvertToLong()) {
                    rows = w.get("rows").asLong();
                } else {
                    p.problem("/window/rows", "must be a whole number of rows, not " + w.get("rows"));
                }
            }
            Duration duration = duration(w.get("duration"), "/window/duration", p);
            window = new TumblingWindow(rows, duration);
        }
        Double share = number(root.get("datasetDriftShare"), "/datasetDriftShare", p);
        Map<String, FeatureOverride> overrides = new LinkedHashMap<>();
        JsonNode o = root.get("featureOverrides");
        if (o != null && !o.isNull()) {
            if (!o.isObject()) {
                p.problem("/featureOverrides", "must be an object of feature name → {method, threshold}");
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String path = "/featureOverrides/" + e.getKey();
                    if (!e.getValue().isObject()) {
                        p.problem(path, "must be an object {method, threshold}");
                        continue;
                    }
                    p.onlyFields(e.getValue(), path, Set.of("method", "threshold"));
                    overrides.put(e.getKey(), new FeatureOverride(text(e.getValue().get("method"), path + "/method",
                            p), number(e.getValue().get("threshold"), path + "/threshold", p)));
                }
            }
        }
        Duration cooldown = duration(root.get("retrainCooldown"), "/retrainCooldown", p);
        DegradationPolicy degradation = null;
        JsonNode d = root.get("degradation");
        if (d != null && !d.isNull()) {
            if (!d.isObject()) {
                p.problem("/degradation", "must be an object {metric, direction, maxAbsoluteDrop, maxRelativeDrop, "
                        + "rollback}");
            } else {
                p.onlyFields(d, "/degradation", Set.of("metric", "direction", "maxAbsoluteDrop", "maxRelativeDrop",
                        "rollback"));
                Boolean rollback = null;
                if (d.has("rollback") && !d.get("rollback").isNull()) {
                    if (d.get("rollback").isBoolean()) {
                        rollback = d.get("rollback").asBoolean();
                    } else {
                        p.problem("/degradation/rollback", "must be true or false");
                    }
                }
                degradation = new DegradationPolicy(text(d.get("metric"), "/degradation/metric", p),
                        enumValue(d.get("direction"), "/degradation/direction", MetricDirection.class, p),
                        number(d.get("maxAbsoluteDrop"), "/degradation/maxAbsoluteDrop", p),
                        number(d.get("maxRelativeDrop"), "/degradation/maxRelativeDrop", p), rollback);
            }
        }
        List<Webhook> webhooks = new ArrayList<>();
        JsonNode hooks = root.get("webhooks");
        if (hooks != null && !hooks.isNull()) {
            if (!hooks.isArray()) {
                p.problem("/webhooks", "must be an array of {url, format}");
            } else {
                for (int i = 0; i < hooks.size(); i++) {
                    JsonNode h = hooks.get(i);
                    String path = "/webhooks/" + i;
                    if (!h.isObject()) {
                        p.problem(path, "must be an object {url, format}");
                        continue;
                    }
                    p.onlyFields(h, path, Set.of("url", "format"));
                    webhooks.add(new Webhook(text(h.get("url"), path + "/url", p),
                            enumValue(h.get("format"), path + "/format", WebhookFormat.class, p)));
                }
            }
        }
        Long minLabeled = null;
        JsonNode m = root.get("retrainMinLabeledRows");
        if (m != null && !m.isNull()) {
            if (m.canConvertToExactIntegral() && m.canConvertToLong()) {
                minLabeled = m.asLong();
            } else {
                p.problem("/retrainMinLabeledRows", "must be a whole number of rows, not " + m);
            }
        }
        p.throwIfAny("the policy", "correct the policy as each problem says (docs/monitor-api.md, rules: "
                + "docs/monitor.md)");
        return new MonitoringPolicy(window, share, overrides, cooldown, degradation, webhooks, minLabeled);
    }

    private static Double number(JsonNode n, String path, JsonBodies p) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            p.problem(path, "must be a number, not a " + JsonBodies.type(n));
            return null;
        }
        return n.asDouble();
    }

    private static String text(JsonNode n, String path, JsonBodies p) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            p.problem(path, "must be a string, not a " + JsonBodies.type(n));
            return null;
        }
        return n.asText();
    }

    private static Duration duration(JsonNode n, String path, JsonBodies p) {
        String text = text(n, path, p);
        if (text == null) {
            return null;
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            p.problem(path, "'" + text + "' is not an ISO-8601 duration; write it like PT1H (an hour) or P1D (a day)");
            return null;
        }
    }

    private static <E extends Enum<E>> E enumValue(JsonNode n, String path, Class<E> type, JsonBodies p) {
        String text = text(n, path, p);
        if (text == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, text);
        } catch (IllegalArgumentException e) {
            p.problem(path, "'" + text + "' is not one of " + Arrays.toString(type.getEnumConstants()));
            return null;
        }
    }
}
