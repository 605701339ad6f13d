package dev.drover.ui.pipeline;

import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.ui.api.ApiAnswer;
import dev.drover.ui.api.DroverApi;
import dev.drover.ui.web.Forms;
import dev.drover.ui.web.Frame;
import dev.drover.ui.web.Live;
import dev.drover.ui.web.Templates;
import dev.drover.ui.web.Viewer;
import dev.drover.ui.web.Viewers;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;
import org.reactivestreams.Publisher;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pipeline list, a pipeline's page (graph, grid, revisions, schedule, backfills), and the trigger form. */
@Controller("/ui/pipelines")
@Hidden
@ExecuteOn(TaskExecutors.BLOCKING)
public class PipelinePagesController {
    private final PipelineReads reads;
    private final Templates templates;
    private final Viewers viewers;
    private final DroverApi api;
    private final Live live;

    public PipelinePagesController(PipelineReads reads, Templates templates, Viewers viewers, DroverApi api, Live live) {
        this.reads = reads;
        this.templates = templates;
        this.viewers = viewers;
        this.api = api;
        this.live = live;
    }

    @RequiresPermission(value = Permission.READ, page = true)
    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<String> list(HttpRequest<?> request, @Nullable @QueryValue String q) {
        Viewer viewer = viewers.of(request);
        Map<String, Object> p = new HashMap<>();
        p.put("frame", new Frame("Pipelines", "pipelines", viewer));
        String rows = templates.render("pipelineRows.jte", Map.of("rows", reads.list(viewer, q)));
        p.put("rowsHtml", rows);
        p.put("seen", Live.seen(Map.of("pipeline-rows", rows)));
        p.put("q", q == null ? "" : q);
        return templates.page("pipelines.jte", p);
    }

    @RequiresPermission(value = Permission.READ, page = true)
    @Get(uri = "/live", produces = MediaType.TEXT_EVENT_STREAM)
    Publisher<Event<String>> listLive(HttpRequest<?> request, @Nullable @QueryValue String q,
                                      @Nullable @QueryValue String seen) {
        Viewer viewer = viewers.of(request);
        return live.fragments(seen, () -> Map.of("pipeline-rows",
                templates.render("pipelineRows.jte", Map.of("rows", reads.list(viewer, q)))));
    }

    @RequiresPermission(value = Permission.READ, resource = "pipelineId", page = true)
    @Get(uri = "/{pipelineId}", produces = MediaType.TEXT_HTML)
    HttpResponse<String> page(HttpRequest<?> request, @PathVariable String pipelineId) {
        Viewer viewer = viewers.of(request);
        PipelineViews.Page page = reads.page(viewer, pipelineId);
        Map<String, Object> p = new HashMap<>();
        p.put("frame", new Frame(pipelineId, "pipelines", viewer));
        p.put("page", page);
        String grid = templates.render("grid.jte", Map.of("pipelineId", pipelineId, "grid", page.grid()));
        p.put("gridHtml", grid);
        p.put("seen", Live.seen(Map.of("grid", grid)));
        return templates.page("pipeline.jte", p);
    }

    @RequiresPermission(value = Permission.READ, resource = "pipelineId", page = true)
    @Get(uri = "/{pipelineId}/live", produces = MediaType.TEXT_EVENT_STREAM)
    Publisher<Event<String>> pageLive(HttpRequest<?> request, @PathVariable String pipelineId,
                                      @Nullable @QueryValue String seen) {
        Viewer viewer = viewers.of(request);
        return live.fragments(seen, () -> Map.of("grid", templates.render("grid.jte",
                Map.of("pipelineId", pipelineId, "grid", reads.grid(viewer, pipelineId)))));
    }

    @RequiresPermission(value = Permission.READ, resource = "pipelineId", page = true)
    @Get(uri = "/{pipelineId}/diff", produces = MediaType.TEXT_HTML)
    HttpResponse<String> diff(HttpRequest<?> request, @PathVariable String pipelineId,
                              @Nullable @QueryValue Integer from, @Nullable @QueryValue Integer to) {
        Viewer viewer = viewers.of(request);
        com.fasterxml.jackson.databind.JsonNode revisions = api.read(viewer.token(), "/api/v1/pipelines/"
                + DroverApi.encode(pipelineId) + "/revisions");
        int last = revisions.size();
        int a = from == null ? Math.max(1, last - 1) : from;
        int b = to == null ? last : to;
        com.fasterxml.jackson.databind.JsonNode before = null;
        com.fasterxml.jackson.databind.JsonNode after = null;
        for (com.fasterxml.jackson.databind.JsonNode r : revisions) {
            if (r.path("revision").asInt() == a) {
                before = r.path("spec");
            }
            if (r.path("revision").asInt() == b) {
                after = r.path("spec");
            }
        }
        if (before == null || after == null) {
            throw new dev.drover.ui.api.PageProblem(404, pipelineId + " has revisions 1 to " + last + ", not "
                    + (before == null ? a : b) + ".", "Pick two of its revisions on the pipeline's page.");
        }
        Map<String, Object> p = new HashMap<>();
        p.put("frame", new Frame(pipelineId + ": revision " + a + " → " + b, "pipelines", viewer));
        p.put("pipelineId", pipelineId);
        p.put("from", a);
        p.put("to", b);
        p.put("revisions", last);
        p.put("lines", RevisionDiff.between(before, after));
        return templates.page("diff.jte", p);
    }

    @RequiresPermission(value = Permission.READ, resource = "pipelineId", page = true)
    @Get(uri = "/{pipelineId}/trigger", produces = MediaType.TEXT_HTML)
    HttpResponse<String> triggerForm(HttpRequest<?> request, @PathVariable String pipelineId) {
        Viewer viewer = viewers.of(request);
        return trigger(HttpStatus.OK, viewer, pipelineId, reads.fields(viewer, pipelineId), null);
    }

    @RequiresPermission(value = Permission.OPERATE, resource = "pipelineId", page = true)
    @Post(uri = "/{pipelineId}/trigger", consumes = MediaType.APPLICATION_FORM_URLENCODED,
            produces = MediaType.TEXT_HTML)
    HttpResponse<String> trigger(HttpRequest<?> request, @PathVariable String pipelineId,
                                 @Body Map<String, String> form) {
        Viewer viewer = viewers.of(request);
        Forms.requireCsrf(viewer, form);
        List<PipelineViews.Field> declared = reads.fields(viewer, pipelineId);
        Map<String, Object> parameters = new LinkedHashMap<>();
        Map<String, String> errors = new HashMap<>();
        for (PipelineViews.Field f : declared) {
            String raw = Forms.text(form, f.name());
            if ("boolean".equals(f.type())) {
                parameters.put(f.name(), form.containsKey(f.name()));
                continue;
            }
            if (raw.isEmpty()) {
                if (f.required()) {
                    errors.put(f.name(), "required: this parameter has no default");
                }
                continue;
            }
            try {
                parameters.put(f.name(), switch (f.type()) {
                    case "integer" -> Long.parseLong(raw);
                    case "number" -> Double.parseDouble(raw);
                    default -> raw;
                });
            } catch (NumberFormatException e) {
                errors.put(f.name(), "not " + ("integer".equals(f.type()) ? "a whole number" : "a number"));
            }
        }
        String general = null;
        if (errors.isEmpty()) {
            ApiAnswer a = api.send(viewer.token(), "POST", "/api/v1/pipelines/" + DroverApi.encode(pipelineId)
                    + "/runs", Map.of("parameters", parameters));
            if (a.ok()) {
                // the position makes the run page wait until the scheduler's read model holds the new run
                return HttpResponse.seeOther(URI.create("/ui/runs/" + DroverApi.encode(a.body().path("runId")
                        .asText()) + position(a)));
            }
            // the server checks the parameters too: its problems go next to the fields they name
            a.body().path("problems").forEach(pr -> {
                String path = pr.path("path").asText("");
                if (path.startsWith("/parameters/")) {
                    errors.put(path.substring("/parameters/".length()), pr.path("message").asText());
                }
            });
            if (errors.isEmpty()) {
                general = a.problem();
            }
        }
        List<PipelineViews.Field> shown = new ArrayList<>();
        for (PipelineViews.Field f : declared) {
            shown.add(new PipelineViews.Field(f.name(), f.type(), f.description(),
                    "boolean".equals(f.type()) ? Boolean.toString(form.containsKey(f.name())) : Forms.text(form,
                            f.name()), f.required(), errors.get(f.name())));
        }
        return trigger(HttpStatus.BAD_REQUEST, viewer, pipelineId, shown, general);
    }

    @RequiresPermission(value = Permission.OPERATE, resource = "pipelineId", page = true)
    @Post(uri = "/{pipelineId}/pause", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> pause(HttpRequest<?> request, @PathVariable String pipelineId,
                               @Body Map<String, String> form) {
        Viewer viewer = viewers.of(request);
        Forms.requireCsrf(viewer, form);
        String action = "true".equals(form.get("paused")) ? "pause" : "resume";
        api.send(viewer.token(), "POST", "/api/v1/pipelines/" + DroverApi.encode(pipelineId) + "/" + action,
                Map.of("reason", "from the web UI"));
        return HttpResponse.seeOther(URI.create("/ui/pipelines/" + DroverApi.encode(pipelineId)));
    }

    static String position(ApiAnswer a) {
        String position = a.body().path("position").asText("");
        return position.isEmpty() ? "" : "?position=" + DroverApi.encode(position);
    }

    private HttpResponse<String> trigger(HttpStatus status, Viewer viewer, String pipelineId,
                                         List<PipelineViews.Field> fields, String general) {
        Map<String, Object> p = new HashMap<>();
        p.put("frame", new Frame("Trigger " + pipelineId, "pipelines", viewer));
        p.put("pipelineId", pipelineId);
        p.put("fields", fields);
        p.put("error", general);
        p.put("mayOperate", viewer.mayOperate(pipelineId));
        return templates.page(status, "trigger.jte", p);
    }
}
