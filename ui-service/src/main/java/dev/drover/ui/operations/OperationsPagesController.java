package dev.drover.ui.operations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.ui.api.DroverApi;
import dev.drover.ui.operations.Listing.Cell;
import dev.drover.ui.operations.Listing.Section;
import dev.drover.ui.web.Frame;
import dev.drover.ui.web.Templates;
import dev.drover.ui.web.Viewer;
import dev.drover.ui.web.Viewers;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What runs around the pipelines: assets and their updates, the CloudEvents received and what they started, pools
 * with their slots, and for admins the accounts, API tokens and secret names (never a value).
 */
@Controller("/ui")
@Hidden
@ExecuteOn(TaskExecutors.BLOCKING)
public class OperationsPagesController {
    private final DroverApi api;
    private final Templates templates;
    private final Viewers viewers;

    public OperationsPagesController(DroverApi api, Templates templates, Viewers viewers) {
        this.api = api;
        this.templates = templates;
        this.viewers = viewers;
    }

    @RequiresPermission(value = Permission.READ, page = true)
    @Get(uri = "/assets", produces = MediaType.TEXT_HTML)
    HttpResponse<String> assets(HttpRequest<?> request) {
        Viewer viewer = viewers.of(request);
        List<List<Cell>> rows = new ArrayList<>();
        for (JsonNode a : items(api.read(viewer.token(), "/api/v1/assets"), "assets")) {
            JsonNode last = a.path("lastUpdate");
            rows.add(List.of(Cell.text(a.path("uri").asText()), Cell.text(joined(a.path("producers"))),
                    Cell.text(joined(a.path("consumers"))), Cell.text(a.path("updates").asText("0")),
                    Cell.at(last.path("at").asText(null)), last.path("runId").isTextual()
                            ? Cell.link(last.path("runId").asText(), "/ui/runs/" + last.path("runId").asText())
                            : Cell.text(last.path("source").asText(""))));
        }
        return page(viewer, "assets", new Listing("Assets", List.of(new Section("Assets",
                "Data that tasks produce and pipelines wait for (docs/assets.md).", List.of("Asset", "Produced by",
                "Consumed by", "Updates", "Last update", "By"), rows, "No assets yet."))));
    }

    @RequiresPermission(value = Permission.READ, page = true)
    @Get(uri = "/events", produces = MediaType.TEXT_HTML)
    HttpResponse<String> events(HttpRequest<?> request) {
        Viewer viewer = viewers.of(request);
        List<List<Cell>> rows = new ArrayList<>();
        for (JsonNode e : api.read(viewer.token(), "/api/v1/events?limit=500").path("events")) {
            List<String> started = new ArrayList<>();
            e.path("outcomes").forEach(o -> {
                if (o.path("runId").isTextual()) {
                    started.add(o.path("runId").asText());
                }
            });
            rows.add(0, List.of(Cell.at(e.path("receivedAt").asText(null)), Cell.text(e.path("type").asText()),
                    Cell.text(e.path("source").asText()), Cell.text(e.path("id").asText()),
                    started.isEmpty() ? Cell.text(e.path("outcomes").toString())
                            : Cell.link(String.join(", ", started), "/ui/runs/" + started.get(0))));
        }
        return page(viewer, "events", new Listing("Received events", List.of(new Section("CloudEvents received",
                "Newest first (the API's first 500); what each started (docs/triggers.md).", List.of("Received",
                "Type", "Source", "Id", "Started"), rows, "No events received yet."))));
    }

    @RequiresPermission(value = Permission.READ, page = true)
    @Get(uri = "/pools", produces = MediaType.TEXT_HTML)
    HttpResponse<String> pools(HttpRequest<?> request) {
        Viewer viewer = viewers.of(request);
        List<List<Cell>> rows = new ArrayList<>();
        for (JsonNode p : items(api.read(viewer.token(), "/api/v1/pools"), "pools")) {
            rows.add(List.of(Cell.text(p.path("name").asText()), Cell.text(p.path("slots").asText()),
                    Cell.text(p.path("occupied").asText()), Cell.text(p.path("open").asText()),
                    Cell.text(p.path("queued").asText()), Cell.text(p.path("description").asText(""))));
        }
        return page(viewer, "pools", new Listing("Pools", List.of(new Section("Pools",
                "Slots shared by the tasks that name a pool (docs/limits.md).", List.of("Pool", "Slots", "Used",
                "Open", "Queued", "Description"), rows, "No pools."))));
    }

    @RequiresPermission(value = Permission.ADMIN, page = true)
    @Get(uri = "/admin", produces = MediaType.TEXT_HTML)
    HttpResponse<String> admin(HttpRequest<?> request) {
        Viewer viewer = viewers.of(request);
        List<List<Cell>> accounts = new ArrayList<>();
        for (JsonNode a : items(api.read(viewer.token(), "/api/v1/admin/accounts"), "accounts")) {
            List<String> roles = new ArrayList<>();
            a.path("roles").forEach(r -> roles.add(r.path("role").asText() + (r.path("scope").asText("").isEmpty()
                    ? "" : " on " + r.path("scope").asText() + "*")));
            accounts.add(List.of(Cell.text(a.path("name").asText()), Cell.text(a.path("kind").asText()),
                    Cell.text(String.join(", ", roles)), Cell.text(a.path("disabled").asBoolean() ? "disabled"
                            : "active")));
        }
        List<List<Cell>> tokens = new ArrayList<>();
        for (JsonNode t : items(api.read(viewer.token(), "/api/v1/admin/tokens"), "tokens")) {
            tokens.add(List.of(Cell.text(t.path("tokenId").asText()), Cell.text(t.path("account").asText()),
                    Cell.text(t.path("description").asText("")), Cell.at(t.path("issuedAt").asText(null)),
                    Cell.at(t.path("expiresAt").asText(null)), Cell.text(t.path("revoked").asBoolean() ? "revoked"
                            : "usable")));
        }
        List<List<Cell>> secrets = new ArrayList<>();
        for (JsonNode s : items(api.read(viewer.token(), "/api/v1/admin/secrets"), "secrets")) {
            secrets.add(List.of(Cell.text(s.path("name").asText()), Cell.text(s.path("setBy").asText("")),
                    Cell.at(s.path("setAt").asText(null))));
        }
        return page(viewer, "admin", new Listing("Administration", List.of(
                new Section("Accounts", "People and systems, and their roles (docs/security.md).",
                        List.of("Account", "Kind", "Roles", "State"), accounts, "No accounts."),
                new Section("API tokens", "Never the secret; web sessions are tokens too.", List.of("Token",
                        "Account", "Description", "Issued", "Expires", "State"), tokens, "No tokens."),
                new Section("Secrets", "Names only: values never leave the services.", List.of("Secret", "Set by",
                        "Set at"), secrets, "No secrets."))));
    }

    private HttpResponse<String> page(Viewer viewer, String section, Listing listing) {
        Map<String, Object> p = new HashMap<>();
        p.put("frame", new Frame(listing.title(), section, viewer));
        p.put("listing", listing);
        return templates.page("listing.jte", p);
    }

    /** A list answer's items, whether the API answers an array or an object holding one. */
    private static JsonNode items(JsonNode answer, String field) {
        if (answer.isArray()) {
            return answer;
        }
        return answer.has(field) ? answer.path(field) : answer.path("items");
    }

    private static String joined(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return String.join(", ", out);
    }
}
