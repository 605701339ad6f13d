package dev.drover.ui.session;

import dev.drover.platform.security.BrowserSession;
import dev.drover.platform.security.Permission;
import dev.drover.platform.security.PublicRoute;
import dev.drover.platform.security.RequiresPermission;
import dev.drover.ui.api.ApiAnswer;
import dev.drover.ui.api.DroverApi;
import dev.drover.ui.web.Frame;
import dev.drover.ui.web.Forms;
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
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Signing in and out. The password goes once to the API ({@code POST /api/v1/sessions} with Basic credentials), which
 * answers a short-lived session token; the browser keeps only that, in an HttpOnly, SameSite=Strict cookie. Signing
 * out revokes the token on every service.
 */
@Controller("/ui")
@Hidden
@ExecuteOn(TaskExecutors.BLOCKING)
public class SignInController {
    private final DroverApi api;
    private final Templates templates;
    private final Viewers viewers;

    public SignInController(DroverApi api, Templates templates, Viewers viewers) {
        this.api = api;
        this.templates = templates;
        this.viewers = viewers;
    }

    @PublicRoute("the page where a person signs in")
    @Get(uri = "/sign-in", produces = MediaType.TEXT_HTML)
    HttpResponse<String> form(@Nullable @QueryValue String next) {
        return templates.page("signIn.jte", params(safeNext(next), "", null));
    }

    @PublicRoute("the sign-in form's target: it checks the password with the API")
    @Post(uri = "/sign-in", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<String> signIn(@Body Map<String, String> form, HttpRequest<?> request) {
        String name = Forms.text(form, "name");
        String next = safeNext(form.get("next"));
        if (name.isEmpty() || Forms.text(form, "password").isEmpty()) {
            return templates.page(HttpStatus.BAD_REQUEST, "signIn.jte",
                    params(next, name, "Enter your account name and password."));
        }
        ApiAnswer answer = api.startSession(name, form.getOrDefault("password", ""));
        if (!answer.ok()) {
            String why = answer.status() == 401 ? "That account name and password do not match."
                    : answer.status() == 429 ? "Too many failed sign-ins: wait a minute and try again."
                    : answer.problem();
            return templates.page(HttpStatus.valueOf(answer.status() == 429 ? 429 : 400), "signIn.jte",
                    params(next, name, why));
        }
        String token = answer.body().path("token").asText();
        Instant expires = Instant.parse(answer.body().path("expiresAt").asText());
        Cookie cookie = Cookie.of(BrowserSession.COOKIE, token).httpOnly(true).path("/")
                .sameSite(SameSite.Strict).maxAge(Duration.between(Instant.now(), expires))
                .secure("https".equalsIgnoreCase(request.getUri().getScheme()));
        return HttpResponse.<String>seeOther(URI.create(next)).cookie(cookie);
    }

    @RequiresPermission(value = Permission.READ, anyScope = true, page = true)
    @Post(uri = "/sign-out", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.TEXT_HTML)
    HttpResponse<String> signOut(@Body Map<String, String> form, HttpRequest<?> request) {
        Viewer viewer = viewers.of(request);
        Forms.requireCsrf(viewer, form);
        api.send(viewer.token(), "DELETE", "/api/v1/sessions/" + DroverApi.encode(viewer.sessionId()), null);
        viewers.forget(viewer.token());
        Cookie gone = Cookie.of(BrowserSession.COOKIE, "").path("/").maxAge(0).httpOnly(true);
        return HttpResponse.<String>seeOther(URI.create("/ui/sign-in")).cookie(gone);
    }

    @RequiresPermission(value = Permission.READ, anyScope = true, page = true)
    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<String> home() {
        return HttpResponse.seeOther(URI.create("/ui/pipelines"));
    }

    private static Map<String, Object> params(String next, String name, String error) {
        Map<String, Object> p = new HashMap<>();
        p.put("frame", new Frame("Sign in", "", null));
        p.put("next", next);
        p.put("name", name);
        p.put("error", error);
        return p;
    }

    /** Only a path of this site: an absolute or protocol-relative URL would make the form an open redirect. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.length() > 2000) {
            return "/ui/pipelines";
        }
        return next;
    }
}
