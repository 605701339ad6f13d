package dev.drover.ui.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.platform.security.Permission;
import dev.drover.ui.api.DroverApi;
import dev.drover.ui.web.Viewer;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the model registry API's answers into the model pages' views. */
@Singleton
public class ModelReads {
    private final DroverApi api;

    public ModelReads(DroverApi api) {
        this.api = api;
    }

    public List<ModelViews.Row> list(Viewer viewer) {
        List<ModelViews.Row> rows = new ArrayList<>();
        for (JsonNode m : api.read(viewer.token(), "/api/v1/models?maxResults=1000").path("models")) {
            Map<String, Integer> aliases = new LinkedHashMap<>();
            m.path("aliases").fields().forEachRemaining(a -> aliases.put(a.getKey(), a.getValue().asInt()));
            rows.add(new ModelViews.Row(m.path("name").asText(), m.path("description").asText(""),
                    m.path("latestVersion").asInt(), aliases, m.path("updatedAt").asText(null)));
        }
        return rows;
    }

    public ModelViews.Page page(Viewer viewer, String name) {
        String path = "/api/v1/models/" + DroverApi.encode(name);
        JsonNode model = api.read(viewer.token(), path);
        List<ModelViews.Version> versions = new ArrayList<>();
        for (JsonNode v : api.read(viewer.token(), path + "/versions?maxResults=1000").path("versions")) {
            JsonNode lineage = v.path("lineage");
            versions.add(new ModelViews.Version(v.path("version").asInt(), v.path("stage").asText(""),
                    strings(v.path("aliases")), numbers(v.path("metrics")), texts(v.path("params")),
                    lineage.path("runId").asText(null), lineage.path("taskId").asText(null),
                    lineage.path("codeVersion").asText(null), lineage.path("featureSet").path("name").asText(null),
                    lineage.path("featureSet").path("version").isNumber()
                            ? lineage.path("featureSet").path("version").asInt() : null,
                    v.path("artifactLocation").asText(""), v.path("createdBy").asText(""),
                    v.path("createdAt").asText(null)));
        }
        versions.sort((a, b) -> Integer.compare(b.version(), a.version()));
        List<String> protectedAliases = strings(model.path("protectedAliases"));
        List<ModelViews.Alias> aliases = new ArrayList<>();
        model.path("aliases").fields().forEachRemaining(a -> {
            List<ModelViews.Move> moves = new ArrayList<>();
            for (JsonNode c : api.read(viewer.token(), path + "/aliases/" + DroverApi.encode(a.getKey())
                    + "/history").path("changes")) {
                moves.add(new ModelViews.Move(c.path("previousVersion").isNumber()
                        ? c.path("previousVersion").asInt() : null,
                        c.path("version").isNumber() ? c.path("version").asInt() : null, c.path("kind").asText(""),
                        c.path("reason").asText(null), evaluation(c.path("evaluation")), approval(c.path("approval")),
                        c.path("by").asText(""), c.path("at").asText(null)));
            }
            Collections.reverse(moves);
            aliases.add(new ModelViews.Alias(a.getKey(), a.getValue().asInt(), protectedAliases.contains(a.getKey()),
                    moves));
        });
        List<ModelViews.Approval> approvals = new ArrayList<>();
        for (JsonNode r : api.read(viewer.token(), path + "/approvals").path("requests")) {
            approvals.add(new ModelViews.Approval(r.path("requestId").asText(), r.path("alias").asText(),
                    r.path("previousVersion").isNumber() ? r.path("previousVersion").asInt() : null,
                    r.path("version").asInt(), r.path("kind").asText(""), r.path("reason").asText(null),
                    r.path("requestedBy").asText(""), r.path("requestedAt").asText(null), r.path("status").asText(),
                    r.path("decidedBy").asText(null), r.path("comment").asText(null)));
        }
        Collections.reverse(approvals);
        JsonNode retention = model.path("retention");
        String retentionText = retention.isObject() ? "keep the last " + retention.path("keepLastVersions").asInt()
                + " versions" + (retention.path("keepNewerThan").isTextual() ? " and those newer than "
                + retention.path("keepNewerThan").asText() : "") : "";
        return new ModelViews.Page(name, model.path("description").asText(""), versions, aliases, approvals,
                retentionText, viewer.may(Permission.APPROVE, name));
    }

    /** A promotion's judgement in words: "measured 0.7660 vs 0.7514 on eval.csv: promoted". */
    static String evaluation(JsonNode e) {
        if (e == null || !e.isObject()) {
            return null;
        }
        String explanation = e.path("explanation").asText("");
        if (!explanation.isEmpty()) {
            return explanation;
        }
        return e.toString();
    }

    static String approval(JsonNode a) {
        if (a == null || !a.isObject()) {
            return null;
        }
        return "approved by " + a.path("approvedBy").asText(a.path("by").asText("?"))
                + (a.path("comment").isTextual() ? ": " + a.path("comment").asText() : "");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, Double> numbers(JsonNode object) {
        Map<String, Double> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asDouble()));
        return out;
    }

    private static Map<String, String> texts(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
        return out;
    }
}
