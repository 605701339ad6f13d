package dev.drover.ui.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.drover.ui.UiSettings;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The UI's one way to Drover: the services' public REST APIs, called with the signed-in person's own session token,
 * so each service's enforcement point decides what they may see and do exactly as for any other client. The UI holds
 * no privileges of its own.
 */
@Singleton
public class DroverApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final UiSettings settings;
    private final HttpClient http;

    public DroverApi(UiSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Which service answers a path: registry and monitor paths go to theirs, the rest to the scheduler. */
    String base(String path) {
        if (path.startsWith("/api/v1/models") || path.startsWith("/api/v1/feature-sets")
                || path.startsWith("/api/2.0/mlflow")) {
            return settings.getRegistryUrl();
        }
        if (path.startsWith("/api/v1/monitors")) {
            return settings.getMonitorUrl();
        }
        return settings.getSchedulerUrl();
    }

    /** A read that the page cannot do without: 404, 401 and 403 end the page ({@link PageProblem}). */
    public JsonNode read(String token, String path) {
        ApiAnswer a = send(token, "GET", path, null);
        if (a.ok()) {
            return a.body();
        }
        throw problem(a);
    }

    /** Any call; the caller decides what an error answer means for the page. */
    public ApiAnswer send(String token, String method, String path, Object body) {
        return exchange("Bearer " + token, method, path, body);
    }

    /** Sign in: a session token issued to the account whose password this is, or the API's refusal. */
    public ApiAnswer startSession(String account, String password) {
        String basic = Base64.getEncoder().encodeToString((account + ":" + password).getBytes(StandardCharsets.UTF_8));
        return exchange("Basic " + basic, "POST", "/api/v1/sessions", null);
    }

    public static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private ApiAnswer exchange(String authorization, String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base(path) + path))
                    .timeout(settings.getRequestTimeout())
                    .header("Authorization", authorization)
                    .header("Accept", "application/json");
            if (body == null) {
                b.method(method, method.equals("GET") || method.equals("DELETE")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{}"));
                if (!method.equals("GET") && !method.equals("DELETE")) {
                    b.header("Content-Type", "application/json");
                }
            } else {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = r.body().length == 0 ? MissingNode.getInstance() : parse(r.body());
            return new ApiAnswer(r.statusCode(), json);
        } catch (IOException e) {
            // a page cannot be drawn without its data: say so (503), and a live part keeps the page as it is
            throw new PageProblem(503, "The Drover API at " + base(path) + " did not answer (" + e.getClass()
                    .getSimpleName() + ").", "Try again in a moment; if it persists, check that the services run.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the Drover API", e);
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static PageProblem problem(ApiAnswer a) {
        return new PageProblem(a.status(), a.body().path("message").asText("HTTP " + a.status()),
                a.body().path("fix").asText(""));
    }
}
