package dev.drover.executor.pipelinetask;

import dev.drover.executor.task.TaskInvocation;
import dev.drover.executor.task.TaskResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The parts of {@code trigger_pipeline} that need no scheduler (the scheduler side is covered end to end by the
 * standalone module's {@code AssetsEndToEndTest}): settings, poll intervals, and the failures that name their fix.
 */
class TriggerPipelineTaskRunnerTest {
    @TempDir
    Path runDir;

    @Test
    void theSchedulerUrlSettingIsChecked() {
        assertThat(TriggerPipelineTaskRunner.schedulerUrl(" http://localhost:8080 "))
                .isEqualTo(URI.create("http://localhost:8080"));
        assertThatThrownBy(() -> TriggerPipelineTaskRunner.schedulerUrl("localhost:8080"))
                .hasMessageContaining("drover.executor.scheduler-url")
                .hasMessageContaining("e.g. http://localhost:8080");
        assertThatThrownBy(() -> TriggerPipelineTaskRunner.schedulerUrl("")).hasMessageContaining("is empty");
    }

    @Test
    void pollIntervalsAreReadLikePipelineDurations() {
        assertThat(TriggerPipelineTaskRunner.pollInterval(null)).isEqualTo(Duration.ofSeconds(10));
        assertThat(TriggerPipelineTaskRunner.pollInterval("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(TriggerPipelineTaskRunner.pollInterval("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(TriggerPipelineTaskRunner.pollInterval("PT2S")).isEqualTo(Duration.ofSeconds(2));
        assertThat(TriggerPipelineTaskRunner.pollInterval("1ms")).isEqualTo(Duration.ofMillis(100));
        assertThatThrownBy(() -> TriggerPipelineTaskRunner.pollInterval("soon")).hasMessageContaining("soon");
    }

    @Test
    void aMissingPipelineOrAnUnreachableSchedulerFailsTheAttemptSayingWhatToFix() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        TriggerPipelineTaskRunner runner = new TriggerPipelineTaskRunner(URI.create("http://127.0.0.1:" + closedPort));

        TaskResult noPipeline = runner.start(invocation(Map.of()), (stream, line) -> { }).result()
                .get(30, TimeUnit.SECONDS);
        assertThat(noPipeline).isInstanceOf(TaskResult.Failed.class);
        assertThat(((TaskResult.Failed) noPipeline).message()).contains("needs `pipeline`");

        TaskResult unreachable = runner.start(invocation(Map.of("pipeline", "child")), (stream, line) -> { })
                .result().get(30, TimeUnit.SECONDS);
        assertThat(unreachable).isInstanceOf(TaskResult.Failed.class);
        assertThat(((TaskResult.Failed) unreachable).message()).contains("cannot reach the scheduler",
                "drover.executor.scheduler-url");
    }

    private TaskInvocation invocation(Map<String, Object> config) {
        return new TaskInvocation("parent", "parent.1", "start", 1, "trigger_pipeline", config,
                Duration.ofMinutes(1), runDir);
    }
}
