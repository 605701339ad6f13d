package dev.drover.executor.registrytask;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.executor.task.TaskInvocation;

import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * How registry tasks talk to the registry's REST API ({@code docs/registry-api.md}), as pure functions: path
 * segments, the principal and idempotency headers, and what an answer or a transport failure means for the task.
 */
final class RegistryProtocol {
    /** The setting that points executors at the registry; every connection problem names it. */
    static final String SETTING = "drover.executor.registry-url (environment DROVER_EXECUTOR_REGISTRY_URL)";
    static final String PRINCIPAL_HEADER = "X-Drover-Principal";
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_IN_MESSAGE = 300;

    private RegistryProtocol() {
    }

    /** A name as one URL path segment: {@code churn model} becomes {@code churn%20model}. */
    static String segment(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Who the registry records as the author: {@code pipeline:<pipeline id>/<task id>}, so the alias history says
     * which pipeline step moved an alias.
     */
    static String principal(TaskInvocation inv) {
        String owner = inv.pipelineId().isBlank() ? inv.runId() : inv.pipelineId();
        return "pipeline:" + owner + "/" + inv.taskId();
    }

    /**
     * The idempotency key, {@code <run>/<task>/<attempt>}: a redelivered attempt repeats its request with the same
     * key and gets the first outcome back instead of registering twice. A retry is a new attempt and a new decision.
     */
    static String idempotencyKey(TaskInvocation inv) {
        return inv.attemptId();
    }

    /** The full URL of a request. */
    static URI url(URI base, String path) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
    }

    /**
     * The registry's answer as JSON if it is a success (2xx).
     *
     * @throws TaskFailure with the registry's {@code error}, {@code message}, {@code problems} and {@code fix} when it
     *                     is not, or when a success has no JSON body
     */
    static JsonNode successBody(URI url, int status, String body) throws TaskFailure {
        JsonNode json = parse(body);
        if (status >= 200 && status < 300) {
            if (json == null || !json.isObject()) {
                throw new TaskFailure("the model registry at " + url + " answered HTTP " + status + " without the "
                        + "expected JSON object: " + abbreviate(body) + "; check that " + SETTING + " points at the "
                        + "model registry");
            }
            return json;
        }
        throw new TaskFailure(errorMessage(url, status, json, body));
    }

    /** What an error answer says, in one sentence for the task's failure. */
    static String errorMessage(URI url, int status, JsonNode json, String body) {
        boolean server = status >= 500;
        String head = "the model registry " + (server ? "failed" : "refused the request") + " (HTTP " + status;
        if (json == null || !json.isObject() || !json.hasNonNull("message")) {
            String hint = status == 404 || status == 405
                    ? "; is " + SETTING + " pointing at the model registry? POST " + url + " is not one of its routes"
                    : "";
            return head + " from POST " + url + ") with a body that is not Drover's error JSON: "
                    + abbreviate(body) + hint;
        }
        StringBuilder out = new StringBuilder(head);
        if (json.hasNonNull("error")) {
            out.append(' ').append(json.get("error").asText());
        }
        out.append("): ").append(json.get("message").asText());
        List<String> problems = new ArrayList<>();
        json.path("problems").forEach(p -> problems.add(p.isTextual() ? p.asText() : p.toString()));
        if (!problems.isEmpty()) {
            out.append("; problems: ").append(String.join("; ", problems));
        }
        if (json.hasNonNull("fix")) {
            out.append("; fix: ").append(json.get("fix").asText());
        }
        return out.toString();
    }

    /** What a request that got no answer means, naming the URL tried and the setting to change. */
    static String transportMessage(URI base, URI url, Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        String where = "the model registry at " + base + " (POST " + url + ")";
        if (e instanceof HttpConnectTimeoutException) {
            return "timed out connecting to " + where + "; check that it is running and reachable, or set " + SETTING
                    + " to its address";
        }
        if (e instanceof HttpTimeoutException) {
            return where + " did not answer in time; it may be overloaded or stuck, see its log";
        }
        if (e instanceof ConnectException || e instanceof UnresolvedAddressException
                || e.getCause() instanceof UnresolvedAddressException) {
            String why = e.getCause() instanceof UnresolvedAddressException || e instanceof UnresolvedAddressException
                    ? "unknown host " + base.getHost() : "connection refused";
            return "could not connect to " + where + ": " + why + "; check that the registry is running, or set "
                    + SETTING + " to its address";
        }
        return "request to " + where + " failed: " + e;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String abbreviate(String body) {
        if (body == null || body.isBlank()) {
            return "(empty)";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_BODY_IN_MESSAGE ? oneLine : oneLine.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }
}
