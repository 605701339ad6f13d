package dev.drover.registry.mlflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders registry views in MLflow's JSON (the proto3-style JSON of {@code model_registry.proto} that MLflow's
 * server writes): snake_case fields, versions as strings, timestamps as epoch milliseconds, tags as
 * {@code [{key, value}]} sorted by key, and absent values left out rather than null.
 */
final class MlflowJson {
    private MlflowJson() {
    }

    static Map<String, Object> modelVersion(ModelVersionView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("version", Integer.toString(v.version()));
        m.put("creation_timestamp", v.createdAt().toEpochMilli());
        m.put("last_updated_timestamp", v.updatedAt().toEpochMilli());
        putIfPresent(m, "user_id", v.createdBy());
        m.put("current_stage", v.stage());
        putIfPresent(m, "description", v.description());
        putIfPresent(m, "source", v.source());
        putIfPresent(m, "run_id", v.runId());
        m.put("status", "READY");
        m.put("tags", tags(v.tags()));
        m.put("aliases", v.aliases());
        return m;
    }

    static Map<String, Object> registeredModel(RegisteredModelView r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("creation_timestamp", r.createdAt().toEpochMilli());
        m.put("last_updated_timestamp", r.updatedAt().toEpochMilli());
        putIfPresent(m, "user_id", r.createdBy());
        putIfPresent(m, "description", r.description());
        m.put("latest_versions", r.latestVersions().stream().map(MlflowJson::modelVersion).toList());
        m.put("tags", tags(r.tags()));
        List<Map<String, Object>> aliases = new ArrayList<>();
        new TreeMap<>(r.aliases()).forEach((alias, version) -> {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("alias", alias);
            a.put("version", Integer.toString(version));
            aliases.add(a);
        });
        m.put("aliases", aliases);
        return m;
    }

    private static List<Map<String, Object>> tags(Map<String, String> tags) {
        List<Map<String, Object>> out = new ArrayList<>();
        new TreeMap<>(tags).forEach((k, v) -> {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("key", k);
            t.put("value", v);
            out.add(t);
        });
        return out;
    }

    private static void putIfPresent(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** A one-field response, e.g. {@code {"registered_model": {...}}}. */
    static Map<String, Object> wrap(String field, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(field, value);
        return m;
    }
}
