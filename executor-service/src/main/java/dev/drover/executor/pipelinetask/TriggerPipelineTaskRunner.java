package dev.drover.executor.pipelinetask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drover.executor.task.LogSink;
import dev.drover.executor.task.LogStream;
import dev.drover.executor.task.RunningTask;
import dev.drover.executor.task.TaskInvocation;
import dev.drover.executor.task.TaskResult;
import dev.drover.executor.task.TaskRunner;
import dev.drover.platform.security.ServiceAuthorization;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code trigger_pipeline} tasks: starts a run of another pipeline through the scheduler's REST API at
 * {@code drover.executor.scheduler-url} and, with {@code wait: true}, polls it until it finishes (see
 * {@code docs/assets.md}).
 *
 * <p>The request carries the idempotency key {@code <runId>/<taskId>} (not the attempt: every attempt of the task
 * must find the same child run), so a retried or redelivered attempt is answered with the run the first one started
 * and never starts a second. Outputs: {@code runId} and {@code status}.
 */
public final class TriggerPipelineTaskRunner implements TaskRunner {
    /** Where the scheduler listens when nothing is configured: the scheduler service's own port. */
    public static final String DEFAULT_URL = "http://localhost:8080";
    static final String SETTING = "drover.executor.scheduler-url (environment DROVER_EXECUTOR_SCHEDULER_URL)";
    static final Duration DEFAULT_POLL = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHORT = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "drover-trigger-pipeline-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final URI schedulerUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final ServiceAuthorization authorization;

    public TriggerPipelineTaskRunner(URI schedulerUrl) {
        this(schedulerUrl, ServiceAuthorization.NONE);
    }

    /** Starting and reading runs as the executor's service account. */
    public TriggerPipelineTaskRunner(URI schedulerUrl, ServiceAuthorization authorization) {
        this.schedulerUrl = schedulerUrl;
        this.authorization = authorization;
    }

    /**
     * Reads the {@code drover.executor.scheduler-url} setting.
     *
     * @throws IllegalArgumentException saying what is wrong, if it is not an http(s) URL with a host
     */
    public static URI schedulerUrl(String setting) {
        String example = "e.g. " + DEFAULT_URL;
        if (setting == null || setting.isBlank()) {
            throw new IllegalArgumentException("drover.executor.scheduler-url is empty; set it to the scheduler's "
                    + "base URL, " + example);
        }
        try {
            URI uri = new URI(setting.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null) {
                throw new IllegalArgumentException("drover.executor.scheduler-url `" + setting + "` is not an "
                        + "http(s) base URL with a host; " + example);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("drover.executor.scheduler-url `" + setting + "` is not a URL ("
                    + e.getReason() + "); " + example, e);
        }
    }

    @Override
    public String type() {
        return "trigger_pipeline";
    }

    @Override
    public RunningTask start(TaskInvocation inv, LogSink logs) {
        Attempt attempt = new Attempt();
        attempt.work = WORKERS.submit(() -> attempt.end(run(inv, logs, attempt)));
        Duration timeout = inv.timeout();
        if (timeout != null && !timeout.isZero() && !timeout.isNegative()) {
            CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .execute(() -> attempt.end(new TaskResult.TimedOut(timeout)));
        }
        return attempt;
    }

    private TaskResult run(TaskInvocation inv, LogSink logs, Attempt attempt) {
        Object pipeline = inv.config().get("pipeline");
        if (!(pipeline instanceof String child) || child.isBlank()) {
            return new TaskResult.Failed("trigger_pipeline needs `pipeline`, the id of the pipeline to start", null);
        }
        Object parameters = inv.config().get("parameters");
        boolean wait = Boolean.TRUE.equals(inv.config().get("wait"));
        Duration poll;
        try {
            poll = pollInterval(inv.config().get("pollInterval"));
        } catch (IllegalArgumentException e) {
            return new TaskResult.Failed(e.getMessage(), null);
        }
        String key = inv.runId() + "/" + inv.taskId();
        URI start = schedulerUrl.resolve(path("/api/v1/pipelines/" + encode(child) + "/runs"));
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("parameters", parameters instanceof Map<?, ?> m ? m : Map.of());
            logs.line(LogStream.SYSTEM, "starting pipeline " + child + ": POST " + start + " (Idempotency-Key "
                    + key + ")");
            HttpResponse<String> response = http.send(authorization.apply(HttpRequest.newBuilder(start))
                    .timeout(Duration.ofMinutes(1))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .header("Idempotency-Key", key)
                    .header("X-Drover-User", "pipeline:" + inv.pipelineId() + "/" + inv.taskId())
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode answer = parse(response.body());
            if (response.statusCode() != 200 && response.statusCode() != 201) {
                return new TaskResult.Failed("the scheduler refused to start pipeline " + child + " (HTTP "
                        + response.statusCode() + "): " + problem(answer, response.body()), null);
            }
            String runId = answer.path("runId").asText();
            logs.line(LogStream.SYSTEM, (response.statusCode() == 200 ? "found run " : "started run ") + runId
                    + (response.statusCode() == 200 ? " (started by an earlier attempt)" : ""));
            if (!wait) {
                return succeeded(runId, answer.path("status").asText("RUNNING"));
            }
            URI read = schedulerUrl.resolve(path("/api/v1/runs/" + encode(runId)));
            String last = "";
            while (!attempt.result.isDone()) {
                HttpResponse<String> r = http.send(authorization.apply(HttpRequest.newBuilder(read))
                        .timeout(Duration.ofMinutes(1))
                        .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    JsonNode run = parse(r.body());
                    String status = run.path("status").asText();
                    if (!status.equals(last)) {
                        logs.line(LogStream.SYSTEM, "run " + runId + " is " + status);
                        last = status;
                    }
                    if ("SUCCEEDED".equals(status)) {
                        return succeeded(runId, status);
                    }
                    if (!"RUNNING".equals(status)) {
                        return new TaskResult.Failed("run " + runId + " of pipeline " + child + " finished "
                                + status + ": " + run.path("reason").asText("no reason given"), null);
                    }
                } else if (r.statusCode() != 404) { // 404: not in the read model yet
                    return new TaskResult.Failed("cannot read run " + runId + " (HTTP " + r.statusCode() + "): "
                            + problem(parse(r.body()), r.body()), null);
                }
                Thread.sleep(poll.toMillis()); // the poll interval the pipeline asked for
            }
            return new TaskResult.Canceled("ended while waiting");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TaskResult.Canceled("interrupted");
        } catch (IOException e) {
            return new TaskResult.Failed("cannot reach the scheduler at " + schedulerUrl + " (" + e
                    + "); is it running, and is " + SETTING + " set to its address?", null);
        }
    }

    private static TaskResult succeeded(String runId, String status) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("runId", runId);
        outputs.put("status", status);
        return new TaskResult.Succeeded(outputs);
    }

    /** A duration as pipelines write it ({@code 10s}, {@code 1m30s}, {@code 500ms}, ISO-8601); default 10s. */
    static Duration pollInterval(Object value) {
        if (value == null) {
            return DEFAULT_POLL;
        }
        String text = String.valueOf(value).strip();
        Matcher m = SHORT.matcher(text);
        if (!text.isEmpty() && m.matches()) {
            Duration d = Duration.ZERO;
            long[] units = {3_600_000, 60_000, 1000, 1};
            for (int i = 0; i < units.length; i++) {
                if (m.group(i + 1) != null) {
                    d = d.plusMillis(Long.parseLong(m.group(i + 1)) * units[i]);
                }
            }
            return d.toMillis() < 100 ? Duration.ofMillis(100) : d;
        }
        try {
            return Duration.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("pollInterval `" + text + "` is not a duration such as 10s or 1m");
        }
    }

    private String path(String p) {
        String base = schedulerUrl.getPath() == null ? "" : schedulerUrl.getPath().replaceAll("/+$", "");
        return base + p;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String problem(JsonNode answer, String raw) {
        if (answer.has("message")) {
            return answer.path("error").asText() + ": " + answer.path("message").asText()
                    + (answer.has("fix") ? " (" + answer.path("fix").asText() + ")" : "");
        }
        return raw == null || raw.isBlank() ? "no answer body; is " + SETTING + " the scheduler's address?"
                : raw.length() > 500 ? raw.substring(0, 500) : raw;
    }

    /** One attempt: the first outcome decided wins; ending it interrupts the worker. */
    private static final class Attempt implements RunningTask {
        final CompletableFuture<TaskResult> result = new CompletableFuture<>();
        volatile Future<?> work;

        void end(TaskResult outcome) {
            if (result.complete(outcome)) {
                Future<?> w = work;
                if (w != null) {
                    w.cancel(true);
                }
            }
        }

        @Override
        public CompletableFuture<TaskResult> result() {
            return result;
        }

        @Override
        public void cancel(String reason) {
            end(new TaskResult.Canceled(reason == null ? "canceled" : reason));
        }
    }
}
