package dev.drover.ui.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * The pages' templates (src/main/jte), compiled to Java classes at build time by the jte Maven plugin: rendering is
 * a method call, and a template that reads a field that does not exist does not compile.
 */
@Singleton
public class Templates {
    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html, null,
            "dev.drover.ui.templates");

    public String render(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput(16 * 1024);
        engine.render(template, params, out);
        return out.toString();
    }

    public MutableHttpResponse<String> page(String template, Map<String, Object> params) {
        return page(HttpStatus.OK, template, params);
    }

    public MutableHttpResponse<String> page(HttpStatus status, String template, Map<String, Object> params) {
        return HttpResponse.<String>status(status).contentType(MediaType.TEXT_HTML_TYPE.toString()
                + ";charset=utf-8").header("Cache-Control", "no-store").body(render(template, params));
    }
}
