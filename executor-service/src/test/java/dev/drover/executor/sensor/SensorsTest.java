package dev.drover.executor.sensor;

import dev.drover.executor.task.LogSink;
import dev.drover.executor.task.RunningTask;
import dev.drover.executor.task.TaskInvocation;
import dev.drover.executor.task.TaskResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each sensor's one poke against the real thing: files in a temporary directory, and a real local HTTP server for
 * object URLs, HTTP endpoints and the scheduler's events API.
 */
class SensorsTest {
    private final List<String> logs = new CopyOnWriteArrayList<>();
    private final LogSink sink = (stream, line) -> logs.add(line);
    private SensorServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void startServer() throws IOException {
        server = new SensorServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private TaskResult poke(String type, Map<String, Object> config) throws Exception {
        SensorRunner runner = SensorRunner.create(dir, server.url("")).stream()
                .filter(r -> r.type().equals(type)).findFirst().orElseThrow();
        RunningTask task = runner.start(new TaskInvocation("p", "p.1", "wait", 1, type, config,
                Duration.ofMinutes(1), dir.resolve("run")), sink);
        return task.result().get(30, TimeUnit.SECONDS);
    }

    // ---- wait_for_file

    @Test
    void aFileSensorIsNotYetSatisfiedUntilTheFileExists() throws Exception {
        TaskResult before = poke("wait_for_file", Map.of("path", "in/data.csv"));
        Files.createDirectories(dir.resolve("in"));
        Files.writeString(dir.resolve("in/data.csv"), "a,b\n1,2\n");
        TaskResult after = poke("wait_for_file", Map.of("path", "in/data.csv"));

        assertThat(before).isEqualTo(new TaskResult.NotYet("no file at " + dir.resolve("in/data.csv")));
        assertThat(after).isInstanceOf(TaskResult.Succeeded.class);
        assertThat(((TaskResult.Succeeded) after).outputs()).containsEntry("path", dir.resolve("in/data.csv").toString())
                .containsEntry("count", 1L).containsEntry("size", 8L).containsKey("modified");
    }

    @Test
    void aGlobMatchesInNameOrderAndCountsTheMatches() throws Exception {
        Path day = Files.createDirectories(dir.resolve("landing/2030-01-31"));
        String glob = dir + "/landing/*/part-*.csv";
        assertThat(poke("wait_for_file", Map.of("path", glob))).isEqualTo(new TaskResult.NotYet("no file matches "
                + glob));
        Files.writeString(day.resolve("part-2.csv"), "x");
        Files.writeString(day.resolve("part-1.csv"), "x");
        Files.writeString(day.resolve("other.txt"), "x");

        TaskResult found = poke("wait_for_file", Map.of("path", glob));

        assertThat(((TaskResult.Succeeded) found).outputs())
                .containsEntry("path", day.resolve("part-1.csv").toString())
                .containsEntry("paths", List.of(day.resolve("part-1.csv").toString(),
                        day.resolve("part-2.csv").toString()))
                .containsEntry("count", 2L);
        assertThat(poke("wait_for_file", Map.of("path", "landing/**/*.txt"))).isInstanceOf(TaskResult.Succeeded.class);
    }

    @Test
    void anObjectUrlIsCheckedWithHead() throws Exception {
        String url = server.url("/bucket/2030-01-31/_SUCCESS").toString();
        TaskResult before = poke("wait_for_file", Map.of("path", url));
        server.answer("/bucket/2030-01-31/_SUCCESS", new SensorServer.Answer(200, "text/plain", "done",
                Map.of("ETag", "\"abc\"")));
        TaskResult after = poke("wait_for_file", Map.of("path", url));
        server.answer("/bucket/2030-01-31/_SUCCESS", 403, "text/plain", "");
        TaskResult forbidden = poke("wait_for_file", Map.of("path", url));

        assertThat(before).isEqualTo(new TaskResult.NotYet("no object at " + url + " yet (HEAD answered 404)"));
        assertThat(((TaskResult.Succeeded) after).outputs()).containsEntry("url", url).containsEntry("status", 200L)
                .containsEntry("etag", "\"abc\"");
        assertThat(((TaskResult.Failed) forbidden).message()).startsWith("HEAD " + url + " answered 403");
        assertThat(server.requests).extracting(SensorServer.Request::method).containsOnly("HEAD");
    }

    @Test
    void cloudSchemesAreRefusedWithAFix() throws Exception {
        TaskResult result = poke("wait_for_file", Map.of("path", "s3://bucket/key"));

        assertThat(((TaskResult.Failed) result).message()).contains("only local paths and http(s) URLs")
                .contains("pre-signed URL");
    }

    // ---- wait_for_http

    @Test
    void anHttpSensorWaitsForTheExpectedStatusAndCondition() throws Exception {
        Map<String, Object> config = Map.of("url", server.url("/jobs/42").toString(),
                "condition", "json.state == \"DONE\"", "headers", Map.of("X-Token", "t"));
        server.answer("/jobs/42", 503, "text/plain", "starting");
        TaskResult unavailable = poke("wait_for_http", config);
        server.answer("/jobs/42", 200, "application/json", "{\"state\": \"RUNNING\"}");
        TaskResult running = poke("wait_for_http", config);
        server.answer("/jobs/42", 200, "application/json", "{\"state\": \"DONE\", \"rows\": 12}");
        TaskResult done = poke("wait_for_http", config);

        assertThat(unavailable).isEqualTo(new TaskResult.NotYet("GET " + server.url("/jobs/42")
                + " answered 503, waiting for 2xx"));
        assertThat(running).isEqualTo(new TaskResult.NotYet("condition `json.state == \"DONE\"` is false (GET "
                + server.url("/jobs/42") + " answered 200)"));
        assertThat(((TaskResult.Succeeded) done).outputs()).containsEntry("status", 200L)
                .containsEntry("json", Map.of("state", "DONE", "rows", 12));
        assertThat(server.requests).allSatisfy(r -> assertThat(r.headers().get("X-token")).containsExactly("t"));
    }

    @Test
    void aConditionEvaluatesAsAtRegistration() throws Exception {
        // the scheduler checks conditions with platform Expressions: whole numbers compare with decimals, and the
        // strings extension is there, on the executor too
        server.answer("/stats", 200, "application/json", "{\"rows\": 1200, \"state\": \" Done \"}");
        TaskResult done = poke("wait_for_http", Map.of("url", server.url("/stats").toString(),
                "condition", "json.rows > 1000.0 && json.state.trim().lowerAscii() == 'done'"));

        assertThat(done).isInstanceOf(TaskResult.Succeeded.class);
    }

    @Test
    void expectedStatusesMethodAndBodyAreUsed() throws Exception {
        server.answer("/hook", 202, null, "");
        Map<String, Object> config = Map.of("url", server.url("/hook").toString(), "method", "post",
                "body", "{\"q\": 1}", "expectedStatus", List.of(201L, 204L));
        TaskResult accepted = poke("wait_for_http", config);
        server.answer("/hook", 204, null, "");
        TaskResult noContent = poke("wait_for_http", config);

        assertThat(accepted).isEqualTo(new TaskResult.NotYet("POST " + server.url("/hook")
                + " answered 202, waiting for one of [201, 204]"));
        assertThat(noContent).isEqualTo(new TaskResult.Succeeded(Map.of("status", 204L, "body", "")));
        assertThat(server.requests).extracting(SensorServer.Request::method, SensorServer.Request::body)
                .containsOnly(org.assertj.core.api.Assertions.tuple("POST", "{\"q\": 1}"));
    }

    @Test
    void anUnreachableEndpointOrABrokenConditionFailsThePoke() throws Exception {
        TaskResult unreachable = poke("wait_for_http", Map.of("url", "http://127.0.0.1:1/health"));
        server.answer("/plain", 200, "text/plain", "ok");
        TaskResult broken = poke("wait_for_http", Map.of("url", server.url("/plain").toString(),
                "condition", "json.ready"));

        assertThat(((TaskResult.Failed) unreachable).message()).startsWith("could not reach http://127.0.0.1:1/health");
        assertThat(((TaskResult.Failed) broken).message()).startsWith("`json.ready` failed:");
    }

    // ---- wait_for_event, against the scheduler's events contract

    @Test
    void anEventSensorFindsTheFirstMatchingEventAcrossPages() throws Exception {
        server.answer("/api/v1/events", 200, "application/json", "{\"events\": [], \"nextPageToken\": null}");
        Map<String, Object> config = Map.of("eventType", "com.example.table.loaded", "source", "/warehouse",
                "filter", "data.table == \"churn\" && event.subject == \"daily\"", "after", "2030-01-31T00:00:00Z");
        TaskResult none = poke("wait_for_event", config);

        server.answer("/api/v1/events", new SensorServer.Answer(200, "application/json", """
                {"events": [
                  {"id": "e1", "source": "/warehouse", "type": "com.example.table.loaded", "subject": "daily",
                   "time": "2030-01-31T01:00:00Z", "data": {"table": "fraud"}, "receivedAt": "2030-01-31T01:00:01Z"}
                 ], "nextPageToken": "p2"}""", Map.of()));
        TaskResult onlyOther = poke("wait_for_event", config);

        assertThat(none).isEqualTo(new TaskResult.NotYet("no event of type com.example.table.loaded from /warehouse "
                + "matching `data.table == \"churn\" && event.subject == \"daily\"` received after "
                + "2030-01-31T00:00:00Z"));
        assertThat(onlyOther).isInstanceOf(TaskResult.NotYet.class);
        SensorServer.Request first = server.requests.get(0);
        assertThat(URLDecoder.decode(first.query(), StandardCharsets.UTF_8)).isEqualTo(
                "type=com.example.table.loaded&source=/warehouse&after=2030-01-31T00:00:00Z&limit=100");
        assertThat(server.requests.get(2).query()).as("second page").endsWith("&pageToken=p2");
    }

    @Test
    void anEventSensorSucceedsWithTheMatchedEvent() throws Exception {
        server.answer("/api/v1/events", 200, "application/json", """
                {"events": [
                  {"id": "e1", "source": "/warehouse", "type": "table.loaded", "subject": null,
                   "time": "2030-01-31T01:00:00Z", "data": {"table": "fraud"}, "receivedAt": "2030-01-31T01:00:01Z"},
                  {"id": "e2", "source": "/warehouse", "type": "table.loaded", "subject": "daily",
                   "time": "2030-01-31T02:00:00Z", "data": {"table": "churn", "rows": 10}, "receivedAt": "2030-01-31T02:00:01Z"}
                 ]}""");

        TaskResult found = poke("wait_for_event", Map.of("eventType", "table.loaded",
                "filter", "data.table == \"churn\""));

        assertThat(((TaskResult.Succeeded) found).outputs()).containsEntry("id", "e2")
                .containsEntry("subject", "daily").containsEntry("receivedAt", "2030-01-31T02:00:01Z")
                .containsEntry("data", Map.of("table", "churn", "rows", 10));
    }

    @Test
    void anEventsApiThatIsNotThereFailsNamingTheSetting() throws Exception {
        TaskResult result = poke("wait_for_event", Map.of("eventType", "x"));

        assertThat(((TaskResult.Failed) result).message()).contains("answered 404")
                .contains("drover.executor.scheduler-url");
    }

    @Test
    void theSchedulerUrlSettingIsChecked() {
        assertThat(SensorRunner.schedulerUrl("http://scheduler:8080")).isEqualTo(URI.create("http://scheduler:8080"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SensorRunner.schedulerUrl("scheduler:8080"))
                .hasMessageContaining("drover.executor.scheduler-url");
    }
}
