package dev.drover.executor.registrytask;

import dev.drover.executor.task.LogSink;
import dev.drover.executor.task.RunningTask;
import dev.drover.executor.task.TaskInvocation;
import dev.drover.executor.task.TaskResult;
import dev.drover.executor.task.TaskRunner;
import dev.drover.executor.task.TaskRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The runners as the executor uses them, against real sockets: nothing listening, and a listener that never
 * answers. What a registry answers is covered by {@link RegistryProtocolTest} and {@link RegistryRequestsTest}.
 */
class RegistryTaskRunnerTest {
    private final List<String> logs = new CopyOnWriteArrayList<>();
    private final LogSink sink = (stream, line) -> logs.add(line);

    @TempDir
    Path dir;

    @Test
    void theThreeTypesAreOfferedAlongsideTheBuiltInOnes() {
        TaskRunners runners = TaskRunners.builtIn(dir);
        for (TaskRunner r : RegistryTaskRunner.create(URI.create("http://localhost:1"), dir)) {
            runners = runners.with(r);
        }

        assertThat(runners.types()).containsExactlyInAnyOrder("noop", "shell", "register_model",
                "profile_feature_set", "promote_model");
    }

    @Test
    void anUnreachableRegistryFailsTheAttemptNamingTheUrlAndTheSetting() throws IOException {
        URI url = URI.create("http://127.0.0.1:" + freePort());

        TaskResult result = run(runner(url, "register_model"), invocation("register_model",
                Map.of("model", "churn", "artifact", "/m.json", "code_version", "abc"), Duration.ofMinutes(1)));

        assertThat(result).isInstanceOf(TaskResult.Failed.class);
        assertThat(((TaskResult.Failed) result).message())
                .startsWith("could not connect to the model registry at " + url + " (POST " + url
                        + "/api/v1/models/churn/versions): connection refused")
                .contains("drover.executor.registry-url");
        assertThat(logs).contains("register a version of model churn (artifact /m.json): POST " + url
                + "/api/v1/models/churn/versions");
    }

    @Test
    void profilingProblemsFailBeforeAnyRequest() throws IOException {
        URI url = URI.create("http://127.0.0.1:" + freePort());
        Files.writeString(dir.resolve("bad.csv"), "x,y\n1,2\n3\n");

        TaskResult missing = run(runner(url, "profile_feature_set"), invocation("profile_feature_set",
                Map.of("feature_set", "f", "data", "nope.csv"), Duration.ofMinutes(1)));
        TaskResult malformed = run(runner(url, "profile_feature_set"), invocation("profile_feature_set",
                Map.of("feature_set", "f", "data", "bad.csv"), Duration.ofMinutes(1)));

        assertThat(missing).isEqualTo(new TaskResult.Failed("data file " + dir.resolve("nope.csv") + " does not "
                + "exist; check `data` (a relative path is resolved against " + dir + ")", null));
        assertThat(((TaskResult.Failed) malformed).message()).isEqualTo(dir.resolve("bad.csv") + ": row 2 (line 3) "
                + "has 1 fields, but the header names 2 columns; fix the row or quote values that contain commas");
        assertThat(logs).noneMatch(l -> l.contains("POST"));
    }

    @Test
    void aRegistryThatDoesNotAnswerTimesTheAttemptOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = acceptAndHold(silent);
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort());

            TaskResult result = run(runner(url, "promote_model"), invocation("promote_model",
                    Map.of("model", "churn", "version", "2", "metric", "auc"), Duration.ofMillis(500)));

            assertThat(result).isEqualTo(new TaskResult.TimedOut(Duration.ofMillis(500)));
            acceptor.interrupt();
        }
    }

    @Test
    void cancelingAnAttemptInFlightEndsItCanceled() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = acceptAndHold(silent);
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            RunningTask task = runner(url, "promote_model").start(invocation("promote_model",
                    Map.of("model", "churn", "version", "2", "metric", "auc"), Duration.ofMinutes(1)), sink);
            await().atMost(Duration.ofSeconds(10)).until(() -> logs.stream().anyMatch(l -> l.contains("POST")));

            task.cancel("run canceled");

            await().atMost(Duration.ofSeconds(10)).until(() -> task.result().isDone());
            assertThat(task.result().join()).isEqualTo(new TaskResult.Canceled("run canceled"));
            acceptor.interrupt();
        }
    }

    private static Thread acceptAndHold(ServerSocket server) {
        // Accepts connections and reads nothing, answers nothing: a registry that hangs.
        Thread t = new Thread(() -> {
            List<Socket> held = new CopyOnWriteArrayList<>();
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    held.add(server.accept());
                }
            } catch (IOException e) {
                // server closed
            } finally {
                held.forEach(s -> {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                });
            }
        }, "silent-registry");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private TaskRunner runner(URI url, String type) {
        return RegistryTaskRunner.create(url, dir).stream().filter(r -> r.type().equals(type)).findFirst()
                .orElseThrow();
    }

    private TaskResult run(TaskRunner runner, TaskInvocation inv) {
        RunningTask task = runner.start(inv, sink);
        await().atMost(Duration.ofSeconds(30)).until(() -> task.result().isDone());
        return task.result().join();
    }

    private TaskInvocation invocation(String type, Map<String, Object> config, Duration timeout) {
        return new TaskInvocation("churn-training", "churn-training.7", "step", 1, type, config, timeout,
                dir.resolve("run"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
