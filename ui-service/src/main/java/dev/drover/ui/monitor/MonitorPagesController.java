package dev.drover.ui.monitor;

import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.ui.web.Frame;
import dev.drover.ui.web.Live;
import dev.drover.ui.web.Templates;
import dev.drover.ui.web.Viewer;
import dev.drover.ui.web.Viewers;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;
import org.reactivestreams.Publisher;

import java.util.HashMap;
import java.util.Map;

/**
 * The monitored models and a model's monitoring: drift over time (one line per feature, the threshold drawn), the
 * latest report test by test, retrain triggers linked to the runs they started, performance with labels, alerts.
 */
@Controller("/ui/monitors")
@Hidden
@ExecuteOn(TaskExecutors.BLOCKING)
public class MonitorPagesController {
    private final MonitorReads reads;
    private final Templates templates;
    private final Viewers viewers;
    private final Live live;

    public MonitorPagesController(MonitorReads reads, Templates templates, Viewers viewers, Live live) {
        this.reads = reads;
        this.templates = templates;
        this.viewers = viewers;
        this.live = live;
    }

    @RequiresPermission(value = Permission.READ, page = true)
    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<String> list(HttpRequest<?> request) {
        Viewer viewer = viewers.of(request);
        Map<String, Object> p = new HashMap<>();
        p.put("frame", new Frame("Monitors", "monitors", viewer));
        p.put("rows", reads.list(viewer));
        return templates.page("monitors.jte", p);
    }

    @RequiresPermission(value = Permission.READ, resource = "model", page = true)
    @Get(uri = "/{model}", produces = MediaType.TEXT_HTML)
    HttpResponse<String> page(HttpRequest<?> request, @PathVariable String model) {
        Viewer viewer = viewers.of(request);
        MonitorViews.Page page = reads.page(viewer, model);
        String body = templates.render("monitorBody.jte", Map.of("page", page));
        Map<String, Object> p = new HashMap<>();
        p.put("frame", new Frame(model + " monitoring", "monitors", viewer));
        p.put("model", model);
        p.put("bodyHtml", body);
        p.put("seen", Live.seen(Map.of("monitor-body", body)));
        return templates.page("monitor.jte", p);
    }

    @RequiresPermission(value = Permission.READ, resource = "model", page = true)
    @Get(uri = "/{model}/live", produces = MediaType.TEXT_EVENT_STREAM)
    Publisher<Event<String>> pageLive(HttpRequest<?> request, @PathVariable String model,
                                      @Nullable @QueryValue String seen) {
        Viewer viewer = viewers.of(request);
        return live.fragments(seen, () -> Map.of("monitor-body", templates.render("monitorBody.jte",
                Map.of("page", reads.page(viewer, model)))));
    }
}
