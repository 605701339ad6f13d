package dev.drover.standalone;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small client of Drover's REST API, used by the demo and the benchmarks. */
public final class DroverClient {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    /** A response: status and parsed JSON body. */
    public record Response(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** A client without credentials: only the health endpoint answers it on a secured Drover. */
    public DroverClient(String baseUrl) {
        this(baseUrl, null);
    }

    /** A client that sends {@code Authorization: Bearer <token>} with every request (none if null). */
    public DroverClient(String baseUrl, String token) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    /** The token this client signs in with, or null when it sends none. */
    public String token() {
        return token;
    }

    /** The same API as another principal. */
    public DroverClient as(String otherToken) {
        return new DroverClient(base, otherToken);
    }

    public Response registerPipeline(String yaml) {
        return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/pipelines"))
                .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(yaml)));
    }

    public Response startRun(String pipelineId, Map<String, Object> parameters) {
        return post("/api/v1/pipelines/" + pipelineId + "/runs", Map.of("parameters", parameters));
    }

    public Response run(String runId) {
        return get("/api/v1/runs/" + runId);
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response post(String path, Object body) {
        return send("POST", path, body, Map.of());
    }

    public Response put(String path, Object body) {
        return send("PUT", path, body, Map.of());
    }

    /** Any method, with a JSON body (or none, if {@code body} is null) and extra headers. */
    public Response send(String method, String path, Object body, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method, body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            if (body != null) {
                b.header("Content-Type", "application/json");
            }
            headers.forEach(b::header);
            return send(b);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Response send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body() == null || r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
            return new Response(r.statusCode(), body);
        } catch (IOException e) {
            throw new IllegalStateException("request to " + base + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the run has finished and returns it. */
    public JsonNode awaitRun(String runId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Response r = run(runId);
            if (r.ok() && !"RUNNING".equals(r.body().path("status").asText())) {
                return r.body();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " did not finish within " + timeout + ": " + r.body());
            }
            try {
                Thread.sleep(200); // polling a REST API: there is no push channel to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The outputs of a run's task (its last attempt), from a run as {@code GET /api/v1/runs/{runId}} answers it. */
    public static JsonNode outputs(JsonNode run, String taskId) {
        for (JsonNode task : run.path("tasks")) {
            if (task.path("taskId").asText().equals(taskId)) {
                JsonNode attempts = task.path("attempts");
                return attempts.get(attempts.size() - 1).path("outputs");
            }
        }
        throw new IllegalArgumentException("run has no task " + taskId + ": " + run);
    }
}
