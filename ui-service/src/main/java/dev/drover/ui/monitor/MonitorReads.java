package dev.drover.ui.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.ui.api.DroverApi;
import dev.drover.ui.web.Viewer;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the monitor API's answers into the monitor pages' views. */
@Singleton
public class MonitorReads {
    static final int CHART_REPORTS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DroverApi api;

    public MonitorReads(DroverApi api) {
        this.api = api;
    }

    public List<MonitorViews.Row> list(Viewer viewer) {
        List<MonitorViews.Row> rows = new ArrayList<>();
        for (JsonNode m : api.read(viewer.token(), "/api/v1/monitors?limit=1000").path("items")) {
            rows.add(new MonitorViews.Row(m.path("model").asText(), m.path("reportCount").asLong(),
                    m.path("driftedReportCount").asLong(), m.path("retrainRequestCount").asLong(),
                    m.path("latestWindowEnd").asText(null)));
        }
        return rows;
    }

    public MonitorViews.Page page(Viewer viewer, String model) {
        String path = "/api/v1/monitors/" + DroverApi.encode(model);
        JsonNode monitor = api.read(viewer.token(), path);
        List<MonitorViews.Report> recent = new ArrayList<>();
        for (JsonNode r : api.read(viewer.token(), path + "/reports?features=true&limit=" + CHART_REPORTS)
                .path("items")) {
            recent.add(report(r));
        }
        List<MonitorViews.Trigger> triggers = new ArrayList<>();
        for (JsonNode t : api.read(viewer.token(), path + "/triggers?limit=50").path("items")) {
            List<String> runs = new ArrayList<>();
            t.path("runs").forEach(r -> runs.add(r.path("runId").asText()));
            JsonNode declined = t.path("declined");
            triggers.add(new MonitorViews.Trigger(t.path("reportId").asText(), t.path("outcome").asText(),
                    t.path("reason").asText(null), t.path("championVersion").isNumber()
                    ? t.path("championVersion").asInt() : null, t.path("at").asText(null), runs,
                    declined.isObject() ? declined.path("reason").asText(null) : null,
                    declined.isObject() ? declined.path("nextRetrainAt").asText(null) : null));
        }
        List<MonitorViews.Performance> performance = new ArrayList<>();
        for (JsonNode p : api.read(viewer.token(), path + "/performance?limit=50").path("items")) {
            performance.add(new MonitorViews.Performance(p.path("windowId").asText(), p.path("version").asInt(),
                    p.path("metric").asText(), p.path("observed").asDouble(), p.path("baseline").asDouble(),
                    p.path("labelCount").asLong(), p.path("at").asText(null), p.path("degradation").isObject()));
        }
        List<MonitorViews.Alert> alerts = new ArrayList<>();
        for (JsonNode a : api.read(viewer.token(), path + "/alerts?limit=50").path("items")) {
            alerts.add(new MonitorViews.Alert(a.path("kind").asText(), a.path("message").asText(""),
                    a.path("at").asText(null)));
        }
        return new MonitorViews.Page(model, monitor.path("reportCount").asLong(),
                monitor.path("driftedReportCount").asLong(), recent.isEmpty() ? null : recent.get(0), recent,
                chart(recent), triggers, performance, alerts);
    }

    private static MonitorViews.Report report(JsonNode r) {
        List<MonitorViews.FeatureTest> tests = new ArrayList<>();
        for (JsonNode f : r.path("features")) {
            tests.add(new MonitorViews.FeatureTest(f.path("feature").asText(), f.path("method").asText(),
                    f.path("statistic").asDouble(), f.path("pValue").isNumber() ? f.path("pValue").asDouble() : null,
                    f.path("threshold").asDouble(), f.path("drifted").asBoolean()));
        }
        JsonNode fs = r.path("featureSet");
        return new MonitorViews.Report(r.path("reportId").asText(), r.path("windowId").asText(),
                r.path("windowEnd").asText(null), r.path("rowCount").asLong(), r.path("championVersion").asInt(),
                fs.isObject() ? fs.path("name").asText() + " v" + fs.path("version").asInt() : "",
                r.path("driftedFeatureCount").asInt(), r.path("featureCount").asInt(), r.path("driftedShare")
                .asDouble(), r.path("threshold").asDouble(), r.path("datasetDrifted").asBoolean(), tests);
    }

    /**
     * The chart's data, oldest window first: {@code x} (1, 2, … in the order the windows closed: windows close by
     * row count, so their times are uneven), {@code windows} (their ids), one series per feature (its
     * statistic divided by its threshold, so that every feature's drift line crosses 1 where it is called drifted,
     * whatever its test), and the names.
     */
    static String chart(List<MonitorViews.Report> newestFirst) {
        List<MonitorViews.Report> reports = new ArrayList<>(newestFirst);
        Collections.reverse(reports);
        Map<String, List<Double>> series = new LinkedHashMap<>();
        ArrayNode x = JSON.createArrayNode();
        ArrayNode windows = JSON.createArrayNode();
        for (int i = 0; i < reports.size(); i++) {
            MonitorViews.Report r = reports.get(i);
            x.add(i + 1);
            windows.add(r.windowId());
            for (MonitorViews.FeatureTest t : r.tests()) {
                List<Double> s = series.computeIfAbsent(t.feature(), f -> new ArrayList<>(
                        Collections.nCopies(reports.size(), (Double) null)));
                s.set(i, t.threshold() == 0 ? null : Math.round(t.statistic() / t.threshold() * 1000) / 1000.0);
            }
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("x", x);
        out.set("windows", windows);
        ObjectNode s = out.putObject("series");
        series.forEach((feature, values) -> {
            ArrayNode a = s.putArray(feature);
            values.forEach(v -> {
                if (v == null) {
                    a.addNull();
                } else {
                    a.add(v);
                }
            });
        });
        return out.toString();
    }
}
