package dev.drover.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dynamic task mapping on the embedded default, with the real scheduler loop, a real executor running shell tasks,
 * a real broker and PostgreSQL: a task maps over the three numbers its upstream task published, each instance
 * publishes its square, and a downstream task sums the collected outputs; an empty list skips the mapped task.
 */
class MappedTasksEndToEndTest {
    private static final String PIPELINE = """
            id: squares
            parameters:
              numbers: {default: "1,2,3"}
            tasks:
              - id: split
                type: shell
                command: |
                  echo '{"numbers": [{{ params.numbers }}]}' > "$DROVER_OUTPUT"
              - id: square
                type: shell
                dependsOn: [split]
                mapOver: tasks.split.outputs.numbers
                command: |
                  echo "instance $DROVER_TASK_ID squares {{ map.item }} (index {{ map.index }})"
                  echo "{\\"value\\": $(( {{ map.item }} * {{ map.item }} ))}" > "$DROVER_OUTPUT"
              - id: total
                type: shell
                dependsOn: [split]
                command: |
                  echo "{\\"sum\\": $(( {% for n in tasks.split.outputs.numbers %}{{ n }} + {% endfor %}0 ))}" > "$DROVER_OUTPUT"
            """;
    /** {@code collect} sums the instances' outputs of {@code square}, in index order. */
    private static final String COLLECT = PIPELINE.replace("id: squares", "id: squares-collect").replace("""
              - id: total
                type: shell
                dependsOn: [split]
                command: |
                  echo "{\\"sum\\": $(( {% for n in tasks.split.outputs.numbers %}{{ n }} + {% endfor %}0 ))}" > "$DROVER_OUTPUT"
            """, """
              - id: collect
                type: shell
                dependsOn: [square]
                command: |
                  echo "values: {% for o in tasks.square.outputs %}{{ o.value }} {% endfor %}"
                  echo "{\\"sum\\": $(( {% for o in tasks.square.outputs %}{{ o.value }} + {% endfor %}0 ))}" > "$DROVER_OUTPUT"
            """);

    @TempDir
    static Path dataDir;
    static DroverStandalone drover;
    static DroverClient client;

    @BeforeAll
    static void start() {
        drover = DroverStandalone.start(new DroverStandalone.Settings(dataDir, 0, 0, -1, dataDir,
                Map.of("drover.scheduler.instance-id", "mapping-e2e", "drover.executor.heartbeat-interval", "500ms")));
        client = drover.client();
        DroverClient.Response registered = client.registerPipeline(COLLECT);
        assertThat(registered.status()).as(registered.body().toString()).isEqualTo(201);
        DroverClient.Response leaf = client.registerPipeline(PIPELINE);
        assertThat(leaf.status()).as(leaf.body().toString()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (drover != null) {
            drover.close();
        }
    }

    @Test
    void aTaskMapsOverThreeUpstreamElementsAndADownstreamTaskSumsTheirOutputs() {
        DroverClient.Response started = client.startRun("squares-collect", Map.of());
        assertThat(started.status()).as(started.body().toString()).isEqualTo(201);
        String runId = started.body().path("runId").asText();

        JsonNode run = client.awaitRun(runId, Duration.ofSeconds(90));

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        // the mapped task, then its instances in index order, each with its own attempt
        assertThat(run.path("tasks").findValuesAsText("taskId"))
                .containsExactly("split", "square", "square[0]", "square[1]", "square[2]", "collect");
        assertThat(task(run, "square").path("status").asText()).isEqualTo("SUCCEEDED");
        List<Long> squares = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode instance = task(run, "square[" + i + "]");
            assertThat(instance.path("mapIndex").asInt()).isEqualTo(i);
            assertThat(instance.path("status").asText()).isEqualTo("SUCCEEDED");
            squares.add(instance.path("attempts").get(0).path("outputs").path("value").asLong());
        }
        assertThat(squares).containsExactly(1L, 4L, 9L);
        JsonNode collect = task(run, "collect").path("attempts").get(0);
        assertThat(collect.path("outputs").path("sum").asLong()).isEqualTo(14);
        assertThat(collect.path("config").path("command").asText()).contains("values: 1 4 9 ");

        // an instance's logs are under its id (brackets percent-encoded in the path)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode logs = client.get("/api/v1/runs/" + runId + "/tasks/square%5B1%5D/logs").body();
            assertThat(logs.path("lines").findValuesAsText("line")).contains("instance square[1] squares 2 (index 1)");
        });
        List<String> types = client.get("/api/v1/runs/" + runId + "/events").body().findValuesAsText("type");
        assertThat(types).containsSubsequence("RunStarted", "TaskSucceeded", "TaskExpanded", "TaskDispatched",
                "TaskDispatched", "TaskDispatched", "RunFinished");
    }

    @Test
    void anEmptyListSkipsTheMappedTaskAndTheRunSucceeds() {
        DroverClient.Response started = client.startRun("squares", Map.of("numbers", ""));
        assertThat(started.status()).as(started.body().toString()).isEqualTo(201);

        JsonNode run = client.awaitRun(started.body().path("runId").asText(), Duration.ofSeconds(90));

        assertThat(run.path("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(run.path("tasks").findValuesAsText("taskId")).containsExactly("split", "square", "total");
        assertThat(task(run, "square").path("status").asText()).isEqualTo("SKIPPED");
        assertThat(task(run, "total").path("attempts").get(0).path("outputs").path("sum").asLong()).isZero();
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
