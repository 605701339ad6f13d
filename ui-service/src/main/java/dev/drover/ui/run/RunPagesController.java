package dev.drover.ui.run;

import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.ui.api.ApiAnswer;
import dev.drover.ui.api.DroverApi;
import dev.drover.ui.api.PageProblem;
import dev.drover.ui.web.Forms;
import dev.drover.ui.web.Frame;
import dev.drover.ui.web.Live;
import dev.drover.ui.web.Templates;
import dev.drover.ui.web.Viewer;
import dev.drover.ui.web.Viewers;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's page (graph by state, Gantt chart, tasks and attempts, event history, actions) and an attempt's log
 * (followed live while it runs, searchable, downloadable, every line linkable).
 */
@Controller("/ui/runs")
@Hidden
@ExecuteOn(TaskExecutors.BLOCKING)
public class RunPagesController {
    private static final int LOG_PAGE = 5000;
    private final RunReads reads;
    private final Templates templates;
    private final Viewers viewers;
    private final DroverApi api;
    private final Live live;

    public RunPagesController(RunReads reads, Templates templates, Viewers viewers, DroverApi api, Live live) {
        this.reads = reads;
        this.templates = templates;
        this.viewers = viewers;
        this.api = api;
        this.live = live;
    }

    @RequiresPermission(value = Permission.READ, resource = "runId", resourceEndsBefore = ".", page = true)
    @Get(uri = "/{runId}", produces = MediaType.TEXT_HTML)
    HttpResponse<String> page(HttpRequest<?> request, @PathVariable String runId, @Nullable @QueryValue String error,
                              @Nullable @QueryValue String position) {
        Viewer viewer = viewers.of(request);
        Map<String, Object> p = new HashMap<>();
        p.put("frame", new Frame(runId, "pipelines", viewer));
        RunViews.Run run = reads.run(viewer, runId, position);
        p.put("run", run);
        Map<String, String> fragments = fragments(viewer, run);
        p.put("runLiveHtml", fragments.get("run-live"));
        p.put("historyHtml", fragments.get("history"));
        p.put("seen", Live.seen(fragments));
        p.put("error", error);
        return templates.page("run.jte", p);
    }

    @RequiresPermission(value = Permission.READ, resource = "runId", resourceEndsBefore = ".", page = true)
    @Get(uri = "/{runId}/live", produces = MediaType.TEXT_EVENT_STREAM)
    Publisher<Event<String>> live(HttpRequest<?> request, @PathVariable String runId,
                                  @Nullable @QueryValue String seen) {
        Viewer viewer = viewers.of(request);
        return live.fragments(seen, () -> fragments(viewer, reads.run(viewer, runId, null)));
    }

    /** The run page's live parts: the run (state, graph, Gantt, tasks) and its event history. */
    private Map<String, String> fragments(Viewer viewer, RunViews.Run run) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("run-live", templates.render("runLive.jte", Map.of("run", run, "csrf", viewer.csrf())));
        out.put("history", templates.render("history.jte", Map.of("history",
                reads.history(viewer, run.runId()))));
        return out;
    }

    @RequiresPermission(value = Permission.READ, resource = "runId", resourceEndsBefore = ".", page = true)
    @Get(uri = "/{runId}/tasks/{taskId}/attempts/{attempt}", produces = MediaType.TEXT_HTML)
    HttpResponse<String> attempt(HttpRequest<?> request, @PathVariable String runId, @PathVariable String taskId,
                                 @PathVariable int attempt) {
        Viewer viewer = viewers.of(request);
        RunViews.Run run = reads.run(viewer, runId, null);
        RunViews.Task task = run.tasks().stream().filter(t -> t.taskId().equals(taskId)).findFirst()
                .orElseThrow(() -> new PageProblem(404, "Run " + runId + " has no task " + taskId + ".",
                        "Pick a task on the run's page."));
        RunViews.Attempt a = task.attempts().stream().filter(x -> x.attempt() == attempt).findFirst()
                .orElseThrow(() -> new PageProblem(404, "Task " + taskId + " of run " + runId + " has no attempt "
                        + attempt + ".", "Pick an attempt on the run's page."));
        List<RunViews.LogLine> lines = reads.log(viewer, runId, taskId, attempt, -1, LOG_PAGE);
        long last = lines.isEmpty() ? -1 : lines.get(lines.size() - 1).seq();
        boolean running = !List.of("SUCCEEDED", "FAILED", "CANCELED", "SKIPPED", "UPSTREAM_FAILED")
                .contains(a.status());
        Map<String, Object> p = new HashMap<>();
        p.put("frame", new Frame(taskId + " #" + attempt + " · " + runId, "pipelines", viewer));
        p.put("run", run);
        p.put("task", task);
        p.put("attempt", a);
        p.put("log", new RunViews.AttemptLog(runId, taskId, attempt, a.status(), lines, last, running));
        return templates.page("attempt.jte", p);
    }

    /** New log lines as they come, appended at the end of the log (and the attempt's state when it changes). */
    @RequiresPermission(value = Permission.READ, resource = "runId", resourceEndsBefore = ".", page = true)
    @Get(uri = "/{runId}/tasks/{taskId}/attempts/{attempt}/live", produces = MediaType.TEXT_EVENT_STREAM)
    Publisher<Event<String>> followLog(HttpRequest<?> request, @PathVariable String runId, @PathVariable String taskId,
                                       @PathVariable int attempt, @Nullable @QueryValue Long after) {
        Viewer viewer = viewers.of(request);
        long[] last = {after == null ? -1 : after};
        return live.fragments(null, () -> {
            List<RunViews.LogLine> lines = reads.log(viewer, runId, taskId, attempt, last[0], LOG_PAGE);
            Map<String, String> out = new LinkedHashMap<>();
            if (!lines.isEmpty()) {
                last[0] = lines.get(lines.size() - 1).seq();
                out.put("log-lines", templates.render("logLines.jte", Map.of("lines", lines)));
            }
            // sent only when it changed, like every live part
            reads.run(viewer, runId, null).tasks().stream().filter(t -> t.taskId().equals(taskId))
                    .flatMap(t -> t.attempts().stream()).filter(a -> a.attempt() == attempt).findFirst()
                    .ifPresent(a -> out.put("attempt-state", templates.render("state.jte",
                            Map.of("state", a.status()))));
            return out;
        });
    }

    @RequiresPermission(value = Permission.READ, resource = "runId", resourceEndsBefore = ".", page = true)
    @Get(uri = "/{runId}/tasks/{taskId}/attempts/{attempt}/log.txt", produces = MediaType.TEXT_PLAIN)
    HttpResponse<String> download(HttpRequest<?> request, @PathVariable String runId, @PathVariable String taskId,
                                  @PathVariable int attempt) {
        Viewer viewer = viewers.of(request);
        StringBuilder text = new StringBuilder();
        long after = -1;
        while (true) {
            List<RunViews.LogLine> lines = reads.log(viewer, runId, taskId, attempt, after, 10_000);
            lines.forEach(l -> text.append(l.line()).append('\n'));
            if (lines.size() < 10_000) {
                break;
            }
            after = lines.get(lines.size() - 1).seq();
        }
        return HttpResponse.ok(text.toString()).contentType("text/plain;charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + (runId + "-" + taskId + "-" + attempt)
                        .replaceAll("[^A-Za-z0-9._-]", "_") + ".log\"");
    }

    @RequiresPermission(value = Permission.OPERATE, resource = "runId", resourceEndsBefore = ".", page = true)
    @Post(uri = "/{runId}/cancel", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> cancel(HttpRequest<?> request, @PathVariable String runId, @Body Map<String, String> form) {
        Viewer viewer = viewers.of(request);
        Forms.requireCsrf(viewer, form);
        return back(runId, api.send(viewer.token(), "POST", "/api/v1/runs/" + DroverApi.encode(runId) + "/cancel",
                Map.of("reason", "canceled from the web UI")));
    }

    @RequiresPermission(value = Permission.OPERATE, resource = "runId", resourceEndsBefore = ".", page = true)
    @Post(uri = "/{runId}/tasks/{taskId}/clear", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> clear(HttpRequest<?> request, @PathVariable String runId, @PathVariable String taskId,
                               @Body Map<String, String> form) {
        Viewer viewer = viewers.of(request);
        Forms.requireCsrf(viewer, form);
        return back(runId, api.send(viewer.token(), "POST", "/api/v1/runs/" + DroverApi.encode(runId) + "/tasks/"
                + DroverApi.encode(taskId) + "/clear", Map.of("downstream", "true".equals(form.get("downstream")))));
    }

    @RequiresPermission(value = Permission.OPERATE, resource = "runId", resourceEndsBefore = ".", page = true)
    @Post(uri = "/{runId}/tasks/{taskId}/mark", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> mark(HttpRequest<?> request, @PathVariable String runId, @PathVariable String taskId,
                              @Body Map<String, String> form) {
        Viewer viewer = viewers.of(request);
        Forms.requireCsrf(viewer, form);
        String status = "failed".equals(form.get("status")) ? "failed" : "succeeded";
        return back(runId, api.send(viewer.token(), "POST", "/api/v1/runs/" + DroverApi.encode(runId) + "/tasks/"
                + DroverApi.encode(taskId) + "/mark", Map.of("status", status)));
    }

    /**
     * Back to the run's page, showing what the action changed (the position makes it wait for the read model), or
     * the API's refusal.
     */
    private static HttpResponse<String> back(String runId, ApiAnswer answer) {
        String to = "/ui/runs/" + DroverApi.encode(runId);
        if (!answer.ok()) {
            to += "?error=" + DroverApi.encode(answer.problem());
        } else if (!answer.body().path("position").asText("").isEmpty()) {
            to += "?position=" + DroverApi.encode(answer.body().path("position").asText());
        }
        return HttpResponse.seeOther(URI.create(to));
    }
}
