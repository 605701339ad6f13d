package dev.drover.ui.web;

import dev.drover.ui.api.PageProblem;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.swagger.v3.oas.annotations.Hidden;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * What a page shows when the API says no: an unknown id is a friendly 404 with a way back, a forbidden object a 403
 * page, an ended session the sign-in page (and back here after it).
 */
@Controller
@Hidden
public class ProblemPages {
    private final Templates templates;

    public ProblemPages(Templates templates) {
        this.templates = templates;
    }

    @Error(global = true, exception = PageProblem.class)
    HttpResponse<?> problem(HttpRequest<?> request, PageProblem problem) {
        if (problem.status() == 401) {
            return HttpResponse.seeOther(URI.create("/ui/sign-in?next="
                    + URLEncoder.encode(request.getPath(), StandardCharsets.UTF_8)));
        }
        // the API's 5xx is not the person's fault: 502 (the UI is a gateway to the API), unreachable 503
        HttpStatus status = problem.status() == 404 ? HttpStatus.NOT_FOUND
                : problem.status() == 403 ? HttpStatus.FORBIDDEN
                : problem.status() == 503 ? HttpStatus.SERVICE_UNAVAILABLE
                : problem.status() >= 500 ? HttpStatus.BAD_GATEWAY : HttpStatus.BAD_REQUEST;
        Map<String, Object> p = new HashMap<>();
        p.put("frame", new Frame(status == HttpStatus.NOT_FOUND ? "Not found" : "Not allowed", "", null));
        p.put("status", status.getCode());
        p.put("message", problem.getMessage());
        p.put("fix", problem.fix());
        return templates.page(status, "problem.jte", p);
    }
}
