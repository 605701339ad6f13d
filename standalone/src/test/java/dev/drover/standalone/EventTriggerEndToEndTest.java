package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An external system publishes a CloudEvent and the pipeline runs: the embedded system (broker, database, scheduler,
 * executor) with a publisher account and its token, a separate {@code python3} process (standard library only) POSTing an event
 * to the webhook in structured mode, and HTTP clients in binary mode; the run gets the parameters mapped from the
 * event's data, a re-sent event starts no second run, and bad requests are answered with what is wrong.
 */
class EventTriggerEndToEndTest {
    private static final String KEY = "e2e-secret-key";
    private static final String TYPE = "com.example.table.updated";
    private static final String PIPELINE = """
            id: retrain-on-table
            parameters:
              table: {}
              rows: {type: integer, default: 0}
            tasks:
              - id: train
                type: shell
                command: "echo training on {{ params.table }}; echo '{\\"table\\": \\"{{ params.table }}\\", \\"rows\\": {{ params.rows }}}' > $DROVER_OUTPUT"
            triggers:
              - event:
                  type: com.example.table.updated
                  filter: data.table.startsWith('churn') && data.rows > 0
                  parameters: {table: data.table, rows: data.rows}
            """;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static DroverStandalone drover;
    static DroverClient client;
    static String publisherToken;
    static Path repoRoot;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        repoRoot = module.getParent();
        drover = DroverStandalone.start(new DroverStandalone.Settings(dataDir, 0, 0, -1, dataDir,
                Map.of("drover.scheduler.instance-id", "events-e2e", "drover.executor.heartbeat-interval", "500ms",
                        "drover.scheduler.events.api-keys", List.of("other-key", KEY))));
        client = drover.client();
        // the publishing system signs in with a token of its own account, which has the publisher role only
        DroverClient.Response account = client.post("/api/v1/admin/accounts", Map.of("name", "warehouse", "kind",
                "service", "roles", List.of(Map.of("role", "publisher"))));
        assertThat(account.status()).as(account.body().toString()).isEqualTo(201);
        publisherToken = client.post("/api/v1/admin/accounts/warehouse/tokens", Map.of()).body().path("token")
                .asText();
        DroverClient.Response registered = client.registerPipeline(PIPELINE);
        assertThat(registered.status()).as(registered.body().toString()).isEqualTo(201);
        // the webhook's answer lists matches from the read model: wait until it has the pipeline
        await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/api/v1/pipelines/retrain-on-table").ok());
    }

    @AfterAll
    static void stop() {
        if (drover != null) {
            drover.close();
        }
    }

    @Test
    void anExternalProcessPublishesACloudEventAndThePipelineRuns() throws Exception {
        Process p = new ProcessBuilder("python3", repoRoot.resolve("examples/events/publish_event.py").toString(),
                drover.baseUrl(), publisherToken, TYPE, "py-1", "{\"table\": \"churn_features\", \"rows\": 1200}",
                "--source", "/warehouse/loader", "--subject", "churn_features")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        String[] lines = output.strip().split("\n", 2);
        assertThat(lines[0]).isEqualTo("202");
        JsonNode answer = JSON.readTree(lines[1]);
        assertThat(answer.path("id").asText()).isEqualTo("py-1");
        assertThat(answer.path("matches")).hasSize(1);
        assertThat(answer.path("matches").get(0).path("pipelineId").asText()).isEqualTo("retrain-on-table");
        String runId = answer.path("matches").get(0).path("runId").asText();

        await("the run exists").atMost(Duration.ofSeconds(60)).until(() -> client.run(runId).ok());
        JsonNode run = client.awaitRun(runId, Duration.ofSeconds(120));
        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("trigger").asText()).isEqualTo("event");
        assertThat(run.path("parameters").path("table").asText()).isEqualTo("churn_features");
        assertThat(run.path("parameters").path("rows").asLong()).isEqualTo(1200);
        JsonNode outputs = run.path("tasks").get(0).path("attempts").get(0).path("outputs");
        assertThat(outputs.path("table").asText()).as(run.toString()).isEqualTo("churn_features");
        assertThat(outputs.path("rows").asLong()).isEqualTo(1200);

        JsonNode listed = await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/api/v1/events?type="
                + TYPE + "&source=" + URLEncoder.encode("/warehouse/loader", StandardCharsets.UTF_8)).body(),
                b -> containsId(b, "py-1"));
        JsonNode recorded = find(listed, "py-1");
        assertThat(recorded.path("subject").asText()).isEqualTo("churn_features");
        assertThat(recorded.path("data").path("rows").asLong()).isEqualTo(1200);
        assertThat(recorded.path("receivedAt").asText()).isNotEmpty();
        assertThat(recorded.path("outcomes").get(0).path("runId").asText()).isEqualTo(runId);
        assertThat(listed.has("nextPageToken")).isTrue();
    }

    @Test
    void aBinaryModeEventSentTwiceStartsOneRunAndAFalseFilterNone() throws Exception {
        Map<String, String> headers = Map.of("ce-specversion", "1.0", "ce-id", "bin-1", "ce-source", "/dbt/job",
                "ce-type", TYPE, "Content-Type", "application/json", "Authorization", "Bearer " + publisherToken);
        HttpResponse<String> first = post(headers, "{\"table\": \"churn_labels\", \"rows\": 5}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        String runId = JSON.readTree(first.body()).path("matches").get(0).path("runId").asText();
        HttpResponse<String> again = post(headers, "{\"table\": \"churn_labels\", \"rows\": 5}");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(again.body()).path("matches").get(0).path("runId").asText()).isEqualTo(runId);

        HttpResponse<String> filtered = post(Map.of("ce-specversion", "1.0", "ce-id", "bin-2", "ce-source",
                "/dbt/job", "ce-type", TYPE, "Content-Type", "application/json", "Authorization",
                "Bearer " + publisherToken),
                "{\"table\": \"fraud\", \"rows\": 5}");
        assertThat(filtered.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(filtered.body()).path("matches")).isEmpty();

        assertThat(client.awaitRun(runId, Duration.ofSeconds(120)).path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode listed = await().atMost(Duration.ofSeconds(30)).until(() -> client.get("/api/v1/events?source="
                + URLEncoder.encode("/dbt/job", StandardCharsets.UTF_8)).body(), b -> containsId(b, "bin-2"));
        assertThat(listed.path("events")).hasSize(2);
        assertThat(find(listed, "bin-2").path("outcomes").get(0).path("status").asText()).isEqualTo("NOT_MATCHED");
        JsonNode runs = client.get("/api/v1/runs?pipeline=retrain-on-table").body();
        assertThat(runs.findValuesAsText("runId").stream().filter(runId::equals)).hasSize(1);
    }

    @Test
    void requestsWithoutAValidKeyOrEventAreRefusedWithTheReason() throws Exception {
        String event = "{\"specversion\": \"1.0\", \"id\": \"e\", \"source\": \"/s\", \"type\": \"" + TYPE + "\"}";
        Map<String, String> structured = Map.of("Content-Type", "application/cloudevents+json");

        assertError(post(structured, event), 401, "unauthenticated", null);
        assertError(post(Map.of("Content-Type", "application/cloudevents+json", "Authorization", "Bearer nope"),
                event), 401, "unauthenticated", "the bearer token is not a Drover API token (drv_…)");
        // the webhook's own keys are for a Drover with security switched off; with it on, a key is no token
        assertError(post(Map.of("Content-Type", "application/cloudevents+json", "Authorization", "Bearer " + KEY),
                event), 401, "unauthenticated", null);
        // an account that may read but not publish
        DroverClient.Response notAPublisher = drover.as("reader", "viewer").send("POST", "/api/v1/events",
                Map.of("table", "x"), Map.of("ce-specversion", "1.0", "ce-id", "v", "ce-source", "/s", "ce-type", TYPE));
        assertError(notAPublisher.status(), notAPublisher.body(), 403, "forbidden", null);
        Map<String, String> keyed = Map.of("Content-Type", "application/cloudevents+json", "Authorization",
                "Bearer " + publisherToken);
        JsonNode malformed = assertError(post(keyed, "{\"specversion\": \"1.0\", \"id\": "), 400, "invalid_event",
                null);
        assertThat(malformed.path("message").asText()).startsWith("the event is not valid JSON: ");
        assertThat(malformed.path("fix").asText()).contains("structured mode").contains("binary mode");
        assertError(post(keyed, event.replace("\"1.0\"", "\"0.3\"")), 400, "invalid_event",
                "attribute specversion is '0.3'; Drover reads CloudEvents 1.0: set it to 1.0");
        assertError(post(Map.of("ce-specversion", "1.0", "ce-id", "x", "ce-source", "/s", "Authorization",
                "Bearer " + publisherToken, "Content-Type", "application/json"), "{}"), 400, "invalid_event", "header ce-type is missing; a "
                + "CloudEvent needs specversion, id, source and type: set it to the kind of event, e.g. "
                + "com.example.table.updated");
        assertError(post(Map.of("ce-specversion", "1.0", "ce-id", "x", "ce-source", "/s", "ce-type", TYPE,
                "Authorization", "Bearer " + publisherToken, "Content-Type", "application/json"), "{oops"), 400, "invalid_event", null);
        assertError(client.get("/api/v1/events?after=yesterday").status(), client.get("/api/v1/events?after=yesterday")
                .body(), 400, "invalid_after", "after 'yesterday' is not an ISO-8601 instant");
    }

    private static JsonNode assertError(HttpResponse<String> r, int status, String error, String message)
            throws IOException {
        return assertError(r.statusCode(), JSON.readTree(r.body()), status, error, message);
    }

    private static JsonNode assertError(int actualStatus, JsonNode body, int status, String error, String message) {
        assertThat(actualStatus).as(body.toString()).isEqualTo(status);
        assertThat(body.path("error").asText()).isEqualTo(error);
        if (message != null) {
            assertThat(body.path("message").asText()).isEqualTo(message);
        }
        assertThat(body.path("fix").asText()).isNotEmpty();
        return body;
    }

    private static HttpResponse<String> post(Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(drover.baseUrl() + "/api/v1/events"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean containsId(JsonNode list, String id) {
        return find(list, id) != null;
    }

    private static JsonNode find(JsonNode list, String id) {
        for (JsonNode e : list.path("events")) {
            if (e.path("id").asText().equals(id)) {
                return e;
            }
        }
        return null;
    }
}
