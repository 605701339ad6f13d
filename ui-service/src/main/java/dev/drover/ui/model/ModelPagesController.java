package dev.drover.ui.model;

import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.ui.api.ApiAnswer;
import dev.drover.ui.api.DroverApi;
import dev.drover.ui.web.Forms;
import dev.drover.ui.web.Frame;
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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The model list and a model's page: versions with metrics and lineage, aliases with their whole history, requests
 * waiting for approval (approve, reject), and rollback with a reason.
 */
@Controller("/ui/models")
@Hidden
@ExecuteOn(TaskExecutors.BLOCKING)
public class ModelPagesController {
    private final ModelReads reads;
    private final Templates templates;
    private final Viewers viewers;
    private final DroverApi api;

    public ModelPagesController(ModelReads reads, Templates templates, Viewers viewers, DroverApi api) {
        this.reads = reads;
        this.templates = templates;
        this.viewers = viewers;
        this.api = api;
    }

    @RequiresPermission(value = Permission.READ, page = true)
    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<String> list(HttpRequest<?> request) {
        Viewer viewer = viewers.of(request);
        Map<String, Object> p = new HashMap<>();
        p.put("frame", new Frame("Models", "models", viewer));
        p.put("rows", reads.list(viewer));
        return templates.page("models.jte", p);
    }

    @RequiresPermission(value = Permission.READ, resource = "name", page = true)
    @Get(uri = "/{name}", produces = MediaType.TEXT_HTML)
    HttpResponse<String> page(HttpRequest<?> request, @PathVariable String name, @Nullable @QueryValue String error,
                              @Nullable @QueryValue String done) {
        Viewer viewer = viewers.of(request);
        Map<String, Object> p = new HashMap<>();
        p.put("frame", new Frame(name, "models", viewer));
        p.put("page", reads.page(viewer, name));
        p.put("error", error);
        p.put("done", done);
        return templates.page("model.jte", p);
    }

    @RequiresPermission(value = Permission.APPROVE, resource = "name", page = true)
    @Post(uri = "/{name}/approvals/{requestId}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> decide(HttpRequest<?> request, @PathVariable String name, @PathVariable String requestId,
                                @Body Map<String, String> form) {
        Viewer viewer = viewers.of(request);
        Forms.requireCsrf(viewer, form);
        String decision = "reject".equals(form.get("decision")) ? "reject" : "approve";
        ApiAnswer a = api.send(viewer.token(), "POST", "/api/v1/models/" + DroverApi.encode(name) + "/approvals/"
                + DroverApi.encode(requestId) + "/" + decision, Map.of("comment", Forms.text(form, "comment")));
        return back(name, a, decision.equals("approve") ? "Approved." : "Rejected.");
    }

    @RequiresPermission(value = Permission.APPROVE, resource = "name", page = true)
    @Post(uri = "/{name}/aliases/{alias}/rollback", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    HttpResponse<String> rollback(HttpRequest<?> request, @PathVariable String name, @PathVariable String alias,
                                  @Body Map<String, String> form) {
        Viewer viewer = viewers.of(request);
        Forms.requireCsrf(viewer, form);
        String reason = Forms.text(form, "reason");
        if (reason.isEmpty()) {
            return HttpResponse.seeOther(URI.create("/ui/models/" + DroverApi.encode(name) + "?error="
                    + DroverApi.encode("Say why you roll " + alias + " back: the reason goes into its history.")
                    + "#alias-" + DroverApi.encode(alias)));
        }
        ApiAnswer a = api.send(viewer.token(), "POST", "/api/v1/models/" + DroverApi.encode(name) + "/aliases/"
                + DroverApi.encode(alias) + "/rollback", Map.of("reason", reason));
        return back(name, a, a.status() == 202 ? alias + " is protected: the rollback waits for approval."
                : alias + " rolled back.");
    }

    private static HttpResponse<String> back(String name, ApiAnswer a, String done) {
        String to = "/ui/models/" + DroverApi.encode(name) + (a.ok() ? "?done=" + DroverApi.encode(done)
                : "?error=" + DroverApi.encode(a.problem()));
        return HttpResponse.seeOther(URI.create(to));
    }
}
