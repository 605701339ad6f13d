package dev.drover.monitor.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What makes a {@link MonitoringPolicy} valid. Each problem is a sentence that says what to change; a policy is
 * valid when there are none.
 */
final class PolicyRules {
    private PolicyRules() {
    }

    static List<String> problems(MonitoringPolicy policy) {
        List<String> out = new ArrayList<>();
        if (policy == null) {
            out.add("a monitoring policy is required: give at least its window (rows or duration)");
            return out;
        }
        window(policy.window(), out);
        Double share = policy.datasetDriftShare();
        if (share != null && !(share > 0 && share <= 1)) {
            out.add("datasetDriftShare " + share + " is not in (0, 1]: give the share of drifted features at which "
                    + "the dataset counts as drifted, e.g. 0.5 (the default)");
        }
        for (Map.Entry<String, FeatureOverride> e : policy.featureOverrides().entrySet()) {
            featureOverride(e.getKey(), e.getValue(), out);
        }
        Duration cooldown = policy.retrainCooldown();
        if (cooldown != null && cooldown.isNegative()) {
            out.add("retrainCooldown " + cooldown + " is negative: give a duration such as PT1H (the default), or "
                    + "PT0S for none");
        }
        if (policy.degradation() != null) {
            degradation(policy.degradation(), out);
        }
        Long minLabeled = policy.retrainMinLabeledRows();
        if (minLabeled != null && minLabeled < 0) {
            out.add("retrainMinLabeledRows " + minLabeled + " is negative: give how many labelled production rows a "
                    + "retrain waits for, or 0 (the default) to ask at once");
        } else if (minLabeled != null && minLabeled > 0 && policy.degradation() == null) {
            out.add("retrainMinLabeledRows " + minLabeled + " needs a degradation policy: labels are scored and their "
                    + "rows kept only for a model whose performance is monitored; add \"degradation\" (e.g. "
                    + "{\"metric\": \"auc\"}) or leave retrainMinLabeledRows out");
        }
        Set<String> urls = new HashSet<>();
        for (Webhook w : policy.webhooks()) {
            if (w == null) {
                out.add("a webhook is null: give each webhook a url");
                continue;
            }
            webhookUrl(w.url(), out);
            if (w.url() != null && !urls.add(w.url())) {
                out.add("webhook " + w.url() + " is listed twice: list each URL once");
            }
        }
        return out;
    }

    private static void window(TumblingWindow window, List<String> out) {
        if (window == null || (window.rows() == null) == (window.duration() == null)) {
            out.add("the window needs exactly one of rows (windows of a number of rows, e.g. 10000) or duration "
                    + "(windows of a span of time, e.g. PT1H)");
            return;
        }
        if (window.rows() != null && window.rows() < TumblingWindow.MIN_ROWS) {
            out.add("window rows " + window.rows() + " is too small: give at least " + TumblingWindow.MIN_ROWS
                    + " rows, so that the drift tests have data to compare");
        }
        if (window.duration() != null && (window.duration().isNegative() || window.duration().isZero()
                || window.duration().toMillis() == 0)) {
            out.add("window duration " + window.duration() + " is not positive: give at least a millisecond, e.g. "
                    + "PT1H");
        }
    }

    private static void featureOverride(String feature, FeatureOverride override, List<String> out) {
        if (feature == null || feature.isBlank()) {
            out.add("a feature override has no feature name: key each override by the feature it is for");
            return;
        }
        if (override == null || (override.method() == null && override.threshold() == null)) {
            out.add("the override of feature '" + feature + "' sets nothing: give a method, a threshold or both, "
                    + "or leave the feature out");
            return;
        }
        if (override.method() != null && !DriftMethods.isKnown(override.method())) {
            out.add("feature '" + feature + "' has unknown drift method '" + override.method() + "': use one of "
                    + DriftMethods.NAMES + unknownHint(override.method()));
        }
        Double t = override.threshold();
        if (t != null && !(Double.isFinite(t) && t >= 0)) {
            out.add("feature '" + feature + "' has threshold " + t + ": give a finite threshold of at least 0");
        }
    }

    private static String unknownHint(String method) {
        String upper = method.toUpperCase(Locale.ROOT).replace('-', '_');
        return DriftMethods.isKnown(upper) ? " (names are upper case: " + upper + ")" : "";
    }

    private static void degradation(DegradationPolicy d, List<String> out) {
        if (d.metric() == null || d.metric().isBlank()) {
            out.add("the degradation policy has no metric: name the metric the labels are scored with, as the "
                    + "model's versions were registered with it (e.g. auc)");
        }
        if (d.direction() == null) {
            out.add("the degradation policy has no direction: say whether GREATER or SMALLER values of the metric "
                    + "are better");
        }
        if (d.maxAbsoluteDrop() == null && d.maxRelativeDrop() == null) {
            out.add("the degradation policy allows any drop: give maxAbsoluteDrop (in the metric's units), "
                    + "maxRelativeDrop (a fraction of the baseline, e.g. 0.05), or both");
        }
        limit("maxAbsoluteDrop", d.maxAbsoluteDrop(), out);
        limit("maxRelativeDrop", d.maxRelativeDrop(), out);
    }

    private static void limit(String name, Double value, List<String> out) {
        if (value != null && !(Double.isFinite(value) && value >= 0)) {
            out.add(name + " " + value + " is not a finite number of at least 0");
        }
    }

    private static void webhookUrl(String url, List<String> out) {
        if (url == null || url.isBlank()) {
            out.add("a webhook has no url: give an absolute http(s) URL");
            return;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                out.add("webhook url '" + url + "' is not an absolute http(s) URL with a host: give one such as "
                        + "https://hooks.example.com/drover");
            }
        } catch (URISyntaxException e) {
            out.add("webhook url '" + url + "' is not a URL (" + e.getReason() + "): give an absolute http(s) URL");
        }
    }
}
