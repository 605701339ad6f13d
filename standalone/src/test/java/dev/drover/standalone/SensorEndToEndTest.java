package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file sensor through the real scheduler loop and a real executor with a single slot: the sensor pokes, finds
 * nothing and gives its slot back; a shell task, started only later (behind a {@code wait_for_time} the scheduler
 * decides alone), runs in that slot and writes the file; the sensor's next poke finds it. Had the sensor held the
 * slot while waiting, the shell task could never have run and the run would never finish.
 */
class SensorEndToEndTest {
    @TempDir
    static Path dataDir;
    @TempDir
    static Path workDir;
    static DroverStandalone drover;
    static DroverClient client;

    static final String PIPELINE = """
            id: sensor-e2e
            tasks:
              - id: wait
                type: wait_for_file
                path: landing/ready.csv
                pokeInterval: 1s
                timeout: 2m
              - id: pause
                type: wait_for_time
                delay: 3s
              - id: produce
                type: shell
                dependsOn: [pause]
                command: mkdir -p landing && echo id > landing/ready.csv
              - id: train
                type: noop
                dependsOn: [wait]
            """;

    @BeforeAll
    static void start() {
        drover = DroverStandalone.start(new DroverStandalone.Settings(dataDir, 0, 0, -1, workDir,
                Map.of("drover.scheduler.instance-id", "sensor-e2e", "drover.executor.slots", 1,
                        "drover.executor.heartbeat-interval", "500ms")));
        client = drover.client();
    }

    @AfterAll
    static void stop() {
        if (drover != null) {
            drover.close();
        }
    }

    @Test
    void aFileSensorWaitsWithoutHoldingTheExecutorsOnlySlot() {
        DroverClient.Response registered = client.registerPipeline(PIPELINE);
        assertThat(registered.status()).as(registered.body().toString()).isIn(200, 201);
        DroverClient.Response started = client.startRun("sensor-e2e", Map.of());
        assertThat(started.status()).as(started.body().toString()).isEqualTo(201);
        String runId = started.body().path("runId").asText();

        JsonNode run = client.awaitRun(runId, Duration.ofMinutes(2));

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        List<JsonNode> events = new ArrayList<>();
        client.get("/api/v1/runs/" + runId + "/events").body().forEach(events::add);
        List<JsonNode> rescheduled = of(events, "wait", "TaskRescheduled");
        assertThat(rescheduled).as("the sensor found nothing at first and gave its slot back").isNotEmpty();
        assertThat(of(events, "wait", "TaskDispatched")).hasSize(rescheduled.size() + 1);
        Instant firstNotYet = at(rescheduled.get(0));
        Instant produceStarted = at(of(events, "produce", "TaskStarted").get(0));
        Instant sensorSucceeded = at(of(events, "wait", "TaskSucceeded").get(0));
        assertThat(produceStarted).as("the shell task ran in the slot while the sensor waited")
                .isAfter(firstNotYet).isBefore(sensorSucceeded);
        assertThat(of(events, "pause", "TaskDispatched")).as("wait_for_time never reaches an executor").isEmpty();
        assertThat(of(events, "pause", "TaskSucceeded")).hasSize(1);
        JsonNode wait = task(run, "wait");
        JsonNode attempts = wait.path("attempts");
        assertThat(attempts.size()).as("all pokes are one attempt").isEqualTo(1);
        assertThat(attempts.get(0).path("outputs").path("path").asText())
                .isEqualTo(workDir.toAbsolutePath().normalize().resolve("landing/ready.csv").toString());
    }

    private static List<JsonNode> of(List<JsonNode> events, String taskId, String type) {
        return events.stream().filter(e -> taskId.equals(e.path("taskId").asText())
                && type.equals(e.path("type").asText())).toList();
    }

    private static Instant at(JsonNode event) {
        return Instant.parse(event.path("at").asText());
    }

    private static JsonNode task(JsonNode run, String taskId) {
        for (JsonNode t : run.path("tasks")) {
            if (t.path("taskId").asText().equals(taskId)) {
                return t;
            }
        }
        throw new AssertionError("run has no task " + taskId + ": " + run);
    }
}
