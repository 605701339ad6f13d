package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clearing and marking tasks over REST, through the real scheduler loop, broker, executors and PostgreSQL: a failed
 * task cleared runs again in its finished run, marks change outcomes, every action is in the run's history with who
 * did it, and bad requests say what to do.
 */
class RerunApiTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;
    @TempDir
    static Path work;
    static DroverStandalone drover;
    static DroverClient client;

    /** fix fails until the file it tests exists; report follows it. */
    static String pipeline(String id) {
        return """
                id: %s
                tasks:
                  - id: fix
                    type: shell
                    command: test -f %s
                  - id: report
                    type: noop
                    dependsOn: [fix]
                  - id: wait
                    type: shell
                    command: sleep 30
                """.formatted(id, work.resolve(id + ".ok"));
    }

    @BeforeAll
    static void start() {
        drover = DroverStandalone.start(new DroverStandalone.Settings(dataDir, 0, 0, -1, dataDir,
                Map.of("drover.scheduler.instance-id", "rerun-api-test", "drover.executor.heartbeat-interval", "500ms",
                        "drover.scheduler.keep-finished-runs", "2")));
        client = drover.client();
    }

    @AfterAll
    static void stop() {
        if (drover != null) {
            drover.close();
        }
    }

    /** Each user's client, signed in as that person with the operator role. */
    private static final Map<String, DroverClient> USERS = new java.util.concurrent.ConcurrentHashMap<>();

    static DroverClient.Response action(String runId, String taskId, String action, Map<String, Object> body,
                                        String user, String key) {
        Map<String, String> headers = new java.util.HashMap<>();
        if (key != null) {
            headers.put("Idempotency-Key", key);
        }
        DroverClient as = USERS.computeIfAbsent(user, u -> drover.as(u, "operator"));
        return as.send("POST", "/api/v1/runs/" + runId + "/tasks/" + taskId + "/" + action, body, headers);
    }

    static JsonNode awaitStatus(String runId, String position, String status) {
        List<JsonNode> seen = new ArrayList<>();
        await(runId + " " + status).atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            JsonNode run = client.get("/api/v1/runs/" + runId + (position == null ? "" : "?position=" + position))
                    .body();
            seen.add(0, run);
            return status.equals(run.path("status").asText());
        });
        return seen.get(0);
    }

    static JsonNode task(JsonNode run, String taskId) {
        for (JsonNode t : run.path("tasks")) {
            if (t.path("taskId").asText().equals(taskId)) {
                return t;
            }
        }
        throw new AssertionError("no task " + taskId + " in " + run);
    }

    @Test
    void aClearedFailedTaskRunsAgainInItsFinishedRunAndTheHistorySaysWhoDidWhat() throws Exception {
        assertThat(client.registerPipeline(pipeline("rerun-clear")).status()).isEqualTo(201);
        String runId = client.startRun("rerun-clear", Map.of()).body().path("runId").asText();
        DroverClient.Response marked = null;
        // wait is long: mark it succeeded so that the run can finish (its attempt is ended and killed)
        await("wait running").atMost(PATIENCE).ignoreExceptions().until(() -> "RUNNING".equals(task(client.run(runId).body(), "wait")
                .path("status").asText()));
        marked = action(runId, "wait", "mark", Map.of("status", "succeeded"), "bob", null);
        assertThat(marked.status()).as(marked.body().toString()).isEqualTo(200);
        JsonNode failed = awaitStatus(runId, null, "FAILED");
        assertThat(task(failed, "fix").path("status").asText()).isEqualTo("FAILED");
        assertThat(task(failed, "report").path("status").asText()).isEqualTo("UPSTREAM_FAILED");

        Files.writeString(work.resolve("rerun-clear.ok"), "fixed");
        DroverClient.Response cleared = action(runId, "fix", "clear", Map.of("downstream", false), "alice", "key-1");
        assertThat(cleared.status()).as(cleared.body().toString()).isEqualTo(200);
        assertThat(cleared.body().path("reopened").asBoolean()).isTrue();
        JsonNode run = awaitStatus(runId, cleared.body().path("position").asText(), "SUCCEEDED");
        assertThat(task(run, "fix").path("attempt").asInt()).isEqualTo(2);
        assertThat(task(run, "fix").path("attempts")).extracting(a -> a.path("status").asText())
                .containsExactly("FAILED", "SUCCEEDED");
        assertThat(task(run, "report").path("status").asText()).isEqualTo("SUCCEEDED");

        // the same Idempotency-Key again is answered, not carried out again
        DroverClient.Response repeated = action(runId, "fix", "clear", Map.of("downstream", false), "alice", "key-1");
        assertThat(repeated.status()).as(repeated.body().toString()).isEqualTo(200);
        assertThat(repeated.body().path("repeated").asBoolean()).isTrue();

        JsonNode events = client.get("/api/v1/runs/" + runId + "/events").body();
        List<String> story = new ArrayList<>();
        events.forEach(e -> story.add(e.path("type").asText() + "/" + e.path("requestedBy").asText("")));
        assertThat(story).contains("TaskMarked/bob", "RunReopened/alice", "TasksCleared/alice");
        assertThat(story.stream().filter(s -> s.startsWith("TasksCleared"))).hasSize(1);
        JsonNode clearedEvent = null;
        for (JsonNode e : events) {
            if (e.path("type").asText().equals("TasksCleared")) {
                clearedEvent = e;
            }
        }
        assertThat(clearedEvent.path("detail").asText()).isEqualTo("cleared fix, report by alice");

        // marking a task failed fails the finished run again
        DroverClient.Response failReport = action(runId, "report", "mark", Map.of("status", "failed"), "carol", null);
        assertThat(failReport.status()).as(failReport.body().toString()).isEqualTo(200);
        JsonNode again = awaitStatus(runId, failReport.body().path("position").asText(), "FAILED");
        assertThat(task(again, "report").path("status").asText()).isEqualTo("FAILED");

        // several retries with one key at the same moment are each answered at once (a sender waiting on a command id
        // once lost its answer to the next sender of that id and waited out the write timeout)
        List<java.util.concurrent.CompletableFuture<DroverClient.Response>> together = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            together.add(java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    action(runId, "report", "mark", Map.of("status", "succeeded"), "carol", "key-together")));
        }
        for (var f : together) {
            assertThat(f.get().status()).as(f.get().body().toString()).isIn(200, 409);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void badRequestsSayWhatIsWrongAndWhatToDo() {
        assertThat(client.registerPipeline(pipeline("rerun-errors")).status()).isEqualTo(201);
        String runId = client.startRun("rerun-errors", Map.of()).body().path("runId").asText();
        await("wait running").atMost(PATIENCE).ignoreExceptions().until(() -> "RUNNING".equals(task(client.run(runId).body(), "wait")
                .path("status").asText()));

        DroverClient.Response running = action(runId, "wait", "clear", Map.of(), "alice", null);
        assertThat(running.status()).isEqualTo(409);
        assertThat(running.body().path("error").asText()).isEqualTo("task_state_conflict");
        assertThat(running.body().path("message").asText()).contains("mark it failed");

        DroverClient.Response unknownTask = action(runId, "nope", "clear", Map.of(), "alice", null);
        assertThat(unknownTask.status()).isEqualTo(404);
        assertThat(unknownTask.body().path("error").asText()).isEqualTo("unknown_task");
        assertThat(unknownTask.body().path("message").asText()).contains("fix, report, wait");

        DroverClient.Response unknownRun = action("rerun-errors.999", "fix", "clear", Map.of(), "alice", null);
        assertThat(unknownRun.status()).isEqualTo(404);
        assertThat(unknownRun.body().path("error").asText()).isEqualTo("unknown_run");

        DroverClient.Response badStatus = action(runId, "fix", "mark", Map.of("status", "skipped"), "alice", null);
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.body().path("fix").asText()).contains("succeeded").contains("failed");

        // only the last 2 finished runs of a pipeline are kept (drover.scheduler.keep-finished-runs)
        assertThat(action(runId, "wait", "mark", Map.of("status", "failed"), "alice", null).status()).isEqualTo(200);
        awaitStatus(runId, null, "FAILED");
        for (int i = 0; i < 2; i++) {
            String next = client.startRun("rerun-errors", Map.of()).body().path("runId").asText();
            await("wait running").atMost(PATIENCE).ignoreExceptions().until(() -> "RUNNING".equals(task(client.run(next).body(),
                    "wait").path("status").asText()));
            assertThat(action(next, "wait", "mark", Map.of("status", "failed"), "alice", null).status())
                    .isEqualTo(200);
            awaitStatus(next, null, "FAILED");
        }
        DroverClient.Response tooOld = action(runId, "fix", "clear", Map.of(), "alice", null);
        assertThat(tooOld.status()).as(tooOld.body().toString()).isEqualTo(410);
        assertThat(tooOld.body().path("error").asText()).isEqualTo("run_not_retained");
        assertThat(tooOld.body().path("message").asText()).contains("start a new run");
    }
}
