package dev.drover.ui.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.ui.api.DroverApi;
import dev.drover.ui.graph.GraphLayout;
import dev.drover.ui.pipeline.PipelineViews.Backfill;
import dev.drover.ui.pipeline.PipelineViews.Cell;
import dev.drover.ui.pipeline.PipelineViews.Grid;
import dev.drover.ui.pipeline.PipelineViews.GridRun;
import dev.drover.ui.pipeline.PipelineViews.Revision;
import dev.drover.ui.pipeline.PipelineViews.Row;
import dev.drover.ui.pipeline.PipelineViews.RunChip;
import dev.drover.ui.web.Viewer;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns the scheduler API's answers into the pipeline pages' views. */
@Singleton
public class PipelineReads {
    static final int GRID_RUNS = 25;
    private final DroverApi api;
    private final GraphLayout layout;

    public PipelineReads(DroverApi api, GraphLayout layout) {
        this.api = api;
        this.layout = layout;
    }

    /** The list, filtered by a search over id and description (case-insensitive). */
    public List<Row> list(Viewer viewer, String search) {
        String q = search == null ? "" : search.trim().toLowerCase(Locale.ROOT);
        List<Row> rows = new ArrayList<>();
        for (JsonNode p : api.read(viewer.token(), "/api/v1/pipelines?recentRuns=10")) {
            String id = p.path("id").asText();
            String description = p.path("description").asText("");
            if (!q.isEmpty() && !id.toLowerCase(Locale.ROOT).contains(q)
                    && !description.toLowerCase(Locale.ROOT).contains(q)) {
                continue;
            }
            List<RunChip> runs = new ArrayList<>();
            for (JsonNode r : p.path("recentRuns")) {
                runs.add(new RunChip(r.path("runId").asText(), r.path("status").asText(),
                        r.path("startedAt").asText(null)));
            }
            java.util.Collections.reverse(runs); // oldest left, newest right, as the grid reads
            rows.add(new Row(id, description, p.path("paused").asBoolean(), p.path("runningRuns").asLong(),
                    p.path("failedRuns").asLong(), List.copyOf(runs)));
        }
        return rows;
    }

    public PipelineViews.Page page(Viewer viewer, String pipelineId) {
        String path = "/api/v1/pipelines/" + DroverApi.encode(pipelineId);
        JsonNode p = api.read(viewer.token(), path);
        JsonNode spec = p.path("spec");
        List<Revision> revisions = new ArrayList<>();
        for (JsonNode r : api.read(viewer.token(), path + "/revisions")) {
            revisions.add(0, new Revision(r.path("revision").asInt(), r.path("registeredBy").asText(""),
                    r.path("registeredAt").asText(null), r.path("specHash").asText("")));
        }
        List<Backfill> backfills = new ArrayList<>();
        JsonNode bf = api.read(viewer.token(), path + "/backfills");
        for (JsonNode b : bf.isArray() ? bf : bf.path("items")) {
            backfills.add(new Backfill(b.path("backfillId").asText(), b.path("status").asText(),
                    b.path("rangeStart").asText(null), b.path("rangeEnd").asText(null), b.path("intervals").asInt(),
                    b.path("runsStarted").asInt(), b.path("runsSucceeded").asInt(), b.path("runsFailed").asInt()));
        }
        List<String> triggers = new ArrayList<>();
        for (JsonNode t : spec.path("triggers")) {
            Iterator<Map.Entry<String, JsonNode>> fields = t.fields();
            fields.forEachRemaining(f -> triggers.add(f.getKey() + ": " + f.getValue().toString()));
        }
        JsonNode schedule = p.path("schedule");
        String scheduleText = schedule.isObject() ? schedule.path("cron").asText() + " ("
                + schedule.path("timezone").asText("UTC") + ")" : "";
        return new PipelineViews.Page(pipelineId, p.path("description").asText(""), p.path("latestRevision").asInt(),
                p.path("paused").asBoolean(), p.path("pausedBy").asText(null), scheduleText,
                p.path("nextRunAt").asText(null),
                layout.of(pipelineId + "@" + p.path("latestRevision").asInt(), spec), grid(viewer, pipelineId),
                revisions, backfills, triggers, viewer.mayOperate(pipelineId));
    }

    public Grid grid(Viewer viewer, String pipelineId) {
        JsonNode g = api.read(viewer.token(), "/api/v1/pipelines/" + DroverApi.encode(pipelineId) + "/grid?runs="
                + GRID_RUNS);
        List<String> taskIds = new ArrayList<>();
        g.path("taskIds").forEach(t -> taskIds.add(t.asText()));
        List<GridRun> runs = new ArrayList<>();
        for (JsonNode r : g.path("runs")) {
            List<Cell> cells = new ArrayList<>(taskIds.size());
            JsonNode tasks = r.path("tasks");
            for (String t : taskIds) {
                JsonNode c = tasks.path(t);
                cells.add(new Cell(t, c.isMissingNode() ? null : c.path("status").asText(), c.path("attempt").asInt()));
            }
            runs.add(0, new GridRun(r.path("runId").asText(), r.path("status").asText(),
                    r.path("startedAt").asText(null), r.path("trigger").asText(""), cells));
        }
        return new Grid(taskIds, runs);
    }

    /** The declared parameters of the pipeline's latest revision, as form fields with their defaults. */
    public List<PipelineViews.Field> fields(Viewer viewer, String pipelineId) {
        JsonNode spec = api.read(viewer.token(), "/api/v1/pipelines/" + DroverApi.encode(pipelineId)).path("spec");
        List<PipelineViews.Field> fields = new ArrayList<>();
        spec.path("parameters").fields().forEachRemaining(e -> {
            JsonNode d = e.getValue();
            JsonNode def = d.path("default");
            fields.add(new PipelineViews.Field(e.getKey(), d.path("type").asText("string").toLowerCase(Locale.ROOT),
                    d.path("description").asText(""), def.isMissingNode() || def.isNull() ? "" : def.asText(),
                    def.isMissingNode() || def.isNull(), null));
        });
        return fields;
    }
}
