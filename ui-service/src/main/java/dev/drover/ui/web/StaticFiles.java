package dev.drover.ui.web;

import dev.drover.platform.security.PublicRoute;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.swagger.v3.oas.annotations.Hidden;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The UI's stylesheet and script (src/main/resources/ui-static) and the chart library (uPlot, from its webjar), a
 * fixed list served from memory, cached by browsers for a day (the names carry no version, so not longer).
 */
@Controller("/ui/static")
@Hidden
public class StaticFiles {
    private static final Map<String, String> FILES = Map.of(
            "drover.css", "/ui-static/drover.css",
            "drover.js", "/ui-static/drover.js",
            // the drift chart (monitor pages only)
            "uPlot.min.js", "/META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
            "uPlot.min.css", "/META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css");
    private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

    @PublicRoute("the sign-in page needs its stylesheet and scripts before anyone has signed in")
    @Get("/{name}")
    HttpResponse<byte[]> file(@PathVariable String name) {
        String resource = FILES.get(name);
        if (resource == null) {
            return HttpResponse.notFound();
        }
        byte[] body = loaded.computeIfAbsent(name, n -> load(resource));
        String type = name.endsWith(".css") ? "text/css;charset=utf-8" : "text/javascript;charset=utf-8";
        return HttpResponse.ok(body).contentType(type).header("Cache-Control", "public, max-age=86400");
    }

    private static byte[] load(String resource) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
