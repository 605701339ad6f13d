package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Schedules, pause/resume, queued runs and backfills over REST, on the embedded default. */
class SchedulingApiTest {
    private static final String PIPELINE = """
            id: nightly
            schedule: {cron: "0 3 * * *", timezone: Europe/Berlin, startDate: "2100-01-01"}
            maxActiveRuns: 1
            tasks:
              - id: build
                type: shell
                command: "echo day {{ run.logicalDate }} until {{ run.dataIntervalEnd }}"
            """;

    @TempDir
    static Path dataDir;
    static DroverStandalone drover;
    static DroverClient client;

    @BeforeAll
    static void start() {
        drover = DroverStandalone.start(new DroverStandalone.Settings(dataDir, 0, 0, -1, dataDir,
                Map.of("drover.scheduler.instance-id", "scheduling-api-test")));
        client = drover.client();
        assertThat(client.registerPipeline(PIPELINE).status()).isEqualTo(201);
        assertThat(client.registerPipeline("id: unscheduled\ntasks: [{id: a, type: noop}]").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (drover != null) {
            drover.close();
        }
    }

    @Test
    void pausedPipelinesQueueRunsAndStartThemOnResume() {
        DroverClient.Response paused = client.post("/api/v1/pipelines/nightly/pause", Map.of("reason", "upstream down"));
        assertThat(paused.status()).as(paused.body().toString()).isEqualTo(200);
        assertThat(paused.body().path("changed").asBoolean()).isTrue();
        assertThat(client.post("/api/v1/pipelines/nightly/pause", Map.of()).body().path("changed").asBoolean())
                .as("pausing twice changes nothing").isFalse();
        JsonNode pipeline = client.get("/api/v1/pipelines/nightly?position=" + paused.body().path("position").asText())
                .body();
        assertThat(pipeline.path("paused").asBoolean()).isTrue();
        assertThat(pipeline.path("pauseReason").asText()).isEqualTo("upstream down");
        assertThat(pipeline.path("schedule").path("timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(pipeline.path("nextRunAt").asText()).isEqualTo("2100-01-02T02:00:00Z");
        assertThat(pipeline.path("maxActiveRuns").asInt()).isEqualTo(1);

        DroverClient.Response queued = client.startRun("nightly", Map.of());
        assertThat(queued.status()).as(queued.body().toString()).isEqualTo(202);
        assertThat(queued.body().path("status").asText()).isEqualTo("QUEUED");
        String runId = queued.body().path("runId").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.run(runId).body()
                .path("status").asText()).isEqualTo("QUEUED"));

        assertThat(client.post("/api/v1/pipelines/nightly/resume", Map.of()).status()).isEqualTo(200);
        // awaitRun returns at any status but RUNNING, QUEUED included: wait for the end itself
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(client.run(runId).body().path("status").asText()).isEqualTo("SUCCEEDED"));
    }

    @Test
    void aBackfillRunsEachDayOnceAndReportsItsProgress() {
        DroverClient.Response r = client.post("/api/v1/pipelines/nightly/backfills",
                Map.of("start", "2026-10-01", "end", "2026-10-04", "maxConcurrency", 2));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        assertThat(r.body().path("intervals").asInt()).isEqualTo(3);
        String path = "/api/v1/pipelines/nightly/backfills/" + r.body().path("backfillId").asText();
        JsonNode done = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.get(path).body(), b -> "COMPLETED".equals(b.path("status").asText()));
        assertThat(done.path("runsSucceeded").asInt()).as(done.toString()).isEqualTo(3);

        // 03:00 in Berlin is 01:00Z in October: the logical dates and run ids are in UTC
        JsonNode run = client.awaitRun("nightly.2026-10-02T01-00Z", Duration.ofSeconds(10));
        assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");

        // the same range again: every interval already has its run
        DroverClient.Response again = client.post("/api/v1/pipelines/nightly/backfills",
                Map.of("start", "2026-10-01", "end", "2026-10-04"));
        String againPath = "/api/v1/pipelines/nightly/backfills/" + again.body().path("backfillId").asText();
        JsonNode skipped = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> client.get(againPath).body(), b -> "COMPLETED".equals(b.path("status").asText()));
        assertThat(skipped.path("intervalsSkipped").asInt()).isEqualTo(3);
        assertThat(skipped.path("runsStarted").asInt()).isZero();
        assertThat(client.get("/api/v1/pipelines/nightly/skipped-runs").body().size()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void badBackfillsSayWhatToFix() {
        DroverClient.Response noSchedule = client.post("/api/v1/pipelines/unscheduled/backfills",
                Map.of("start", "2026-10-01", "end", "2026-10-04"));
        assertThat(noSchedule.status()).isEqualTo(400);
        assertThat(noSchedule.body().toString()).contains("invalid_backfill", "schedule");
        DroverClient.Response badDate = client.post("/api/v1/pipelines/nightly/backfills",
                Map.of("start", "October", "end", "2026-10-04"));
        assertThat(badDate.status()).isEqualTo(400);
        assertThat(client.post("/api/v1/pipelines/nightly/backfills/nightly.backfill-99/cancel", Map.of()).status())
                .isEqualTo(404);
        assertThat(client.post("/api/v1/pipelines/nope/pause", Map.of()).status()).isEqualTo(404);
    }
}
