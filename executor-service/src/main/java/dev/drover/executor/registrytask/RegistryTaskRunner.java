package dev.drover.executor.registrytask;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.executor.task.LogSink;
import dev.drover.executor.task.LogStream;
import dev.drover.executor.task.RunningTask;
import dev.drover.executor.task.TaskInvocation;
import dev.drover.executor.task.TaskResult;
import dev.drover.executor.task.TaskRunner;
import dev.drover.platform.security.ServiceAuthorization;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the model-registry task types ({@code register_model}, {@code profile_feature_set},
 * {@code promote_model}): prepares the request on a worker thread (profiling reads whole files), sends it to the
 * registry at {@code drover.executor.registry-url}, and turns the answer into outputs. An error answer or an
 * unreachable registry fails the attempt with a message that says what the registry said, or which URL was tried
 * and which setting to change; the task's retry policy decides what happens next.
 */
public final class RegistryTaskRunner implements TaskRunner {
    /** Where the registry listens when nothing is configured: the registry service's own port. */
    public static final String DEFAULT_URL = "http://localhost:8082";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Shared by all registry runners; daemon threads, so an executor that stops is not held up by them. */
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "drover-registry-task-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private final RegistryTask task;
    private final RegistryClient client;

    RegistryTaskRunner(RegistryTask task, RegistryClient client) {
        this.task = task;
        this.client = client;
    }

    /**
     * The three registry runners of an executor.
     *
     * @param registryUrl the registry's base URL (see {@link #registryUrl(String)})
     * @param workDir     the executor's work directory: relative data paths resolve against it, and its git commit
     *                    is the default code version
     */
    public static List<TaskRunner> create(URI registryUrl, Path workDir) {
        return create(registryUrl, workDir, ServiceAuthorization.NONE);
    }

    /** The same, calling the registry as the executor's service account. */
    public static List<TaskRunner> create(URI registryUrl, Path workDir, ServiceAuthorization authorization) {
        RegistryClient client = new RegistryClient(registryUrl, CONNECT_TIMEOUT, REQUEST_TIMEOUT, authorization);
        return List.of(
                new RegistryTaskRunner(new RegisterModelTask(CodeVersion.forExecutor(workDir)), client),
                new RegistryTaskRunner(new ProfileFeatureSetTask(workDir), client),
                new RegistryTaskRunner(new PromoteModelTask(), client));
    }

    /**
     * Reads the {@code drover.executor.registry-url} setting.
     *
     * @throws IllegalArgumentException saying what is wrong, if it is not an http(s) URL with a host
     */
    public static URI registryUrl(String setting) {
        String example = "e.g. " + DEFAULT_URL;
        if (setting == null || setting.isBlank()) {
            throw new IllegalArgumentException("drover.executor.registry-url is empty; set it to the model "
                    + "registry's base URL, " + example);
        }
        try {
            URI uri = new URI(setting.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("drover.executor.registry-url `" + setting + "` is not an http(s) "
                        + "URL with a host; " + example);
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException("drover.executor.registry-url `" + setting + "` must be a base "
                        + "URL without ? or #; " + example);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("drover.executor.registry-url `" + setting + "` is not a URL ("
                    + e.getReason() + "); " + example, e);
        }
    }

    @Override
    public String type() {
        return task.type();
    }

    @Override
    public RunningTask start(TaskInvocation inv, LogSink logs) {
        Attempt attempt = new Attempt();
        attempt.work = WORKERS.submit(() -> run(inv, logs, attempt));
        Duration timeout = inv.timeout();
        if (timeout != null && !timeout.isZero() && !timeout.isNegative()) {
            CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .execute(() -> attempt.end(new TaskResult.TimedOut(timeout)));
        }
        return attempt;
    }

    private void run(TaskInvocation inv, LogSink logs, Attempt attempt) {
        try {
            RegistryRequest request = task.prepare(inv, logs);
            if (attempt.result.isDone()) {
                return;
            }
            URI url = client.url(request);
            logs.line(LogStream.SYSTEM, request.summary() + ": POST " + url);
            CompletableFuture<HttpResponse<String>> call = client.post(request, inv);
            attempt.call = call;
            call.whenComplete((response, error) -> attempt.end(error != null
                    ? new TaskResult.Failed(RegistryProtocol.transportMessage(client.baseUrl(), url, error), null)
                    : answered(request, url, response, logs)));
        } catch (TaskFailure e) {
            attempt.end(new TaskResult.Failed(e.getMessage(), null));
        } catch (RuntimeException e) {
            attempt.end(new TaskResult.Failed(task.type() + " failed unexpectedly: " + e, null));
        }
    }

    private TaskResult answered(RegistryRequest request, URI url, HttpResponse<String> response, LogSink logs) {
        try {
            JsonNode answer = RegistryProtocol.successBody(url, response.statusCode(), response.body());
            Map<String, Object> outputs = task.outputs(request, answer, logs);
            return new TaskResult.Succeeded(outputs);
        } catch (TaskFailure e) {
            return new TaskResult.Failed(e.getMessage(), null);
        }
    }

    /** One attempt: the first outcome decided wins; ending it stops the work that may still be going on. */
    private static final class Attempt implements RunningTask {
        final CompletableFuture<TaskResult> result = new CompletableFuture<>();
        volatile Future<?> work;
        volatile CompletableFuture<?> call;

        void end(TaskResult outcome) {
            if (result.complete(outcome)) {
                Future<?> w = work;
                if (w != null) {
                    w.cancel(true);
                }
                CompletableFuture<?> c = call;
                if (c != null) {
                    c.cancel(true);
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
