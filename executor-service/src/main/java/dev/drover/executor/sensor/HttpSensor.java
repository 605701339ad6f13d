package dev.drover.executor.sensor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.executor.task.LogSink;
import dev.drover.executor.task.LogStream;
import dev.drover.executor.task.TaskInvocation;
import dev.drover.executor.task.TaskResult;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code wait_for_http}: waits until an HTTP endpoint answers as expected: with one of {@code expectedStatus}
 * (default any 2xx) and, if given, with {@code condition} (CEL over {@code status}, {@code headers} — lower-case
 * names, first value —, {@code body} and {@code json}, the body parsed as JSON or null) true.
 *
 * <p>Another status, or a false condition, is "not yet". An endpoint that cannot be reached, or a condition that
 * fails to evaluate (e.g. a field the body does not have), fails the poke: the task's retries apply.
 *
 * <p>Outputs: {@code status}, and {@code json} (the parsed body) or {@code body} (text) when the body is at most
 * {@value #MAX_BODY_OUTPUT} characters.
 */
final class HttpSensor implements Sensor {
    static final int MAX_BODY_OUTPUT = 16 * 1024;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Conditions conditions = new Conditions(Set.of("status", "headers", "body", "json"));

    @Override
    public String type() {
        return "wait_for_http";
    }

    @Override
    public TaskResult poke(TaskInvocation inv, LogSink logs) throws SensorException, InterruptedException {
        Map<String, Object> config = inv.config();
        if (!(config.get("url") instanceof String url) || url.isBlank()) {
            throw new SensorException("wait_for_http needs `url`, e.g. https://api.example.com/health; got "
                    + config.get("url"));
        }
        String method = config.get("method") instanceof String m ? m.toUpperCase(Locale.ROOT) : "GET";
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url.strip())).timeout(REQUEST_TIMEOUT);
        } catch (IllegalArgumentException e) {
            throw new SensorException("`" + url + "` is not an http(s) URL: " + e.getMessage(), e);
        }
        String body = config.get("body") instanceof String b ? b : null;
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (config.get("headers") instanceof Map<?, ?> headers) {
            try {
                headers.forEach((k, v) -> request.header(String.valueOf(k), String.valueOf(v)));
            } catch (IllegalArgumentException e) {
                throw new SensorException("a header of wait_for_http is not allowed: " + e.getMessage(), e);
            }
        }
        logs.line(LogStream.SYSTEM, method + " " + url);
        HttpResponse<String> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SensorException("could not reach " + url + ": " + e, e);
        }
        int status = response.statusCode();
        List<Long> expected = expected(config.get("expectedStatus"));
        if (expected.isEmpty() ? status / 100 != 2 : !expected.contains((long) status)) {
            return new TaskResult.NotYet(method + " " + url + " answered " + status + ", waiting for "
                    + (expected.isEmpty() ? "2xx" : expected.size() == 1 ? expected.get(0) : "one of " + expected));
        }
        Object json = parse(response.body());
        if (config.get("condition") instanceof String condition && !condition.isBlank()) {
            Map<String, Object> headers = new LinkedHashMap<>();
            response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("status", (long) status);
            values.put("headers", headers);
            values.put("body", response.body());
            values.put("json", json);
            if (!conditions.test(condition, values)) {
                return new TaskResult.NotYet("condition `" + condition + "` is false (" + method + " " + url
                        + " answered " + status + ")");
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", (long) status);
        if (response.body() != null && response.body().length() <= MAX_BODY_OUTPUT) {
            if (json != null) {
                out.put("json", json);
            } else {
                out.put("body", response.body());
            }
        }
        return new TaskResult.Succeeded(out);
    }

    private static List<Long> expected(Object value) {
        if (value instanceof Number n) {
            return List.of(n.longValue());
        }
        if (value instanceof List<?> list) {
            return list.stream().filter(Number.class::isInstance).map(n -> ((Number) n).longValue()).toList();
        }
        return List.of();
    }

    /** The body as JSON values (maps, lists, strings, longs, doubles, booleans), or null if it is not JSON. */
    static Object parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readValue(body, Object.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
