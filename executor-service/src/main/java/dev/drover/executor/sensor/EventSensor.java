package dev.drover.executor.sensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.executor.task.LogSink;
import dev.drover.executor.task.LogStream;
import dev.drover.executor.task.TaskInvocation;
import dev.drover.executor.task.TaskResult;
import dev.drover.platform.security.ServiceAuthorization;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code wait_for_event}: waits until the scheduler has received a CloudEvent of type {@code eventType} (optionally
 * from {@code source}, and with {@code filter} — CEL over {@code event}, its attributes, and {@code data} — true)
 * after {@code after}, which the scheduler sets to the run's start unless the task gives one.
 *
 * <p>It reads the scheduler's event log, {@code GET <drover.executor.scheduler-url>/api/v1/events?type=&source=
 * &after=&limit=}, answered as {@code {"events": [{"id", "source", "type", "subject", "time", "data",
 * "receivedAt"}], "nextPageToken"}}, following pages with {@code pageToken} (at most {@value #MAX_PAGES} pages of
 * {@value #PAGE_SIZE} per poke; the next poke goes on from the start). The first match, in the order the scheduler
 * lists them, is the output: {@code id}, {@code source}, {@code type}, {@code subject}, {@code time},
 * {@code receivedAt} and {@code data}.
 */
final class EventSensor implements Sensor {
    static final int PAGE_SIZE = 100;
    static final int MAX_PAGES = 20;
    /** How executors find the scheduler, for messages. */
    static final String SETTING = "drover.executor.scheduler-url (environment DROVER_EXECUTOR_SCHEDULER_URL)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI schedulerUrl;
    private final Conditions conditions = new Conditions(Set.of("event", "data"));

    private final ServiceAuthorization authorization;

    EventSensor(URI schedulerUrl) {
        this(schedulerUrl, ServiceAuthorization.NONE);
    }

    EventSensor(URI schedulerUrl, ServiceAuthorization authorization) {
        this.authorization = authorization;
        String base = schedulerUrl.toString();
        this.schedulerUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    }

    @Override
    public String type() {
        return "wait_for_event";
    }

    @Override
    public TaskResult poke(TaskInvocation inv, LogSink logs) throws SensorException, InterruptedException {
        Map<String, Object> config = inv.config();
        if (!(config.get("eventType") instanceof String type) || type.isBlank()) {
            throw new SensorException("wait_for_event needs `eventType`, the CloudEvent type to wait for; got "
                    + config.get("eventType"));
        }
        String source = config.get("source") instanceof String s && !s.isBlank() ? s : null;
        String after = config.get("after") instanceof String a && !a.isBlank() ? a.strip() : null;
        String filter = config.get("filter") instanceof String f && !f.isBlank() ? f : null;
        String pageToken = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            URI uri = URI.create(schedulerUrl + "/api/v1/events?type=" + enc(type)
                    + (source == null ? "" : "&source=" + enc(source))
                    + (after == null ? "" : "&after=" + enc(after)) + "&limit=" + PAGE_SIZE
                    + (pageToken == null ? "" : "&pageToken=" + enc(pageToken)));
            JsonNode answer = get(uri, logs);
            for (JsonNode e : answer.path("events")) {
                Map<String, Object> event = new LinkedHashMap<>();
                for (String attribute : new String[] {"id", "source", "type", "subject", "time", "receivedAt"}) {
                    JsonNode v = e.get(attribute);
                    event.put(attribute, v == null || v.isNull() ? null : v.asText());
                }
                Object data = e.hasNonNull("data") ? JSON.convertValue(e.get("data"), Object.class) : null;
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("event", event);
                values.put("data", data);
                if (filter == null || conditions.test(filter, values)) {
                    Map<String, Object> out = new LinkedHashMap<>(event);
                    out.put("data", data);
                    return new TaskResult.Succeeded(out);
                }
            }
            JsonNode next = answer.get("nextPageToken");
            if (next == null || next.isNull() || next.asText().isEmpty()) {
                break;
            }
            pageToken = next.asText();
        }
        return new TaskResult.NotYet("no event of type " + type + (source == null ? "" : " from " + source)
                + (filter == null ? "" : " matching `" + filter + "`") + " received"
                + (after == null ? "" : " after " + after));
    }

    private JsonNode get(URI uri, LogSink logs) throws SensorException, InterruptedException {
        logs.line(LogStream.SYSTEM, "GET " + uri);
        HttpResponse<String> response;
        try {
            response = HTTP.send(authorization.apply(HttpRequest.newBuilder(uri)).timeout(Duration.ofSeconds(30))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SensorException("could not reach the scheduler's events API at " + uri + ": " + e
                    + "; is " + SETTING + " right?", e);
        }
        String body = response.body() == null ? "" : response.body();
        if (response.statusCode() != 200) {
            throw new SensorException("the scheduler's events API " + uri + " answered " + response.statusCode()
                    + ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body)
                    + (response.statusCode() == 404 ? "; is " + SETTING + " the scheduler's base URL?" : ""));
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (!node.path("events").isArray()) {
                throw new SensorException("the scheduler's events API " + uri + " answered without an `events` list");
            }
            return node;
        } catch (IOException e) {
            throw new SensorException("the scheduler's events API " + uri + " answered something that is not JSON: "
                    + e.getMessage(), e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
