package dev.drover.scheduler.loop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.scheduler.core.AssetRef;
import dev.drover.scheduler.core.AssetWatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link AssetWatch} part of a pipeline's snapshot: {@code "assets": {"pending": {trigger: [[uri, updateId],
 * …]}, "recent": [updateId, …]}}, written only when the pipeline has seen asset updates. Order is kept, so a
 * restored watch equals the one replay builds.
 */
final class AssetSnapshots {
    private AssetSnapshots() {
    }

    static void write(ObjectNode pipeline, AssetWatch watch) {
        if (watch.recent().isEmpty() && watch.pending().isEmpty()) {
            return;
        }
        ObjectNode assets = pipeline.putObject("assets");
        ObjectNode pending = assets.putObject("pending");
        watch.pending().forEach((trigger, updates) -> {
            ArrayNode list = pending.putArray(trigger);
            updates.forEach(u -> list.addArray().add(u.uri()).add(u.updateId()));
        });
        ArrayNode recent = assets.putArray("recent");
        watch.recent().forEach(recent::add);
    }

    static void read(JsonNode pipeline, AssetWatch watch) {
        JsonNode assets = pipeline.path("assets");
        if (assets.isMissingNode()) {
            return; // none seen, or a snapshot from before assets existed
        }
        Map<String, List<AssetRef>> pending = new LinkedHashMap<>();
        assets.path("pending").properties().forEach(e -> {
            List<AssetRef> updates = new ArrayList<>();
            e.getValue().forEach(u -> updates.add(new AssetRef(u.get(0).asText(), u.get(1).asText())));
            pending.put(e.getKey(), updates);
        });
        List<String> recent = new ArrayList<>();
        assets.path("recent").forEach(id -> recent.add(id.asText()));
        watch.restore(pending, recent);
    }
}
