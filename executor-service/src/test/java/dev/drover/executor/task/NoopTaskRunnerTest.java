package dev.drover.executor.task;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class NoopTaskRunnerTest {
    private final NoopTaskRunner runner = new NoopTaskRunner();
    private final RecordingSink logs = new RecordingSink();

    @Test
    void succeedsAtOnceWithEmptyOutputs() {
        RunningTask task = runner.start(invocation(Map.of(), null), logs);

        assertThat(task.result()).isCompletedWithValue(new TaskResult.Succeeded(Map.of()));
    }

    @Test
    void echoesConfiguredOutputs() {
        Map<String, Object> outputs = Map.of("model", "m-7", "score", 0.9, "rows", 12L);
        RunningTask task = runner.start(invocation(Map.of("outputs", outputs), null), logs);

        assertThat(task.result()).isCompletedWithValue(new TaskResult.Succeeded(outputs));
    }

    @Test
    void sleepMakesItTakeThatLong() throws Exception {
        long t0 = System.nanoTime();
        RunningTask task = runner.start(invocation(Map.of("sleep", "300ms", "outputs", Map.of("a", 1L)), null), logs);

        assertThat(task.result()).isNotDone();
        assertThat(task.result().get(10, TimeUnit.SECONDS)).isEqualTo(new TaskResult.Succeeded(Map.of("a", 1L)));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void cancelEndsASleepingNoop() throws Exception {
        RunningTask task = runner.start(invocation(Map.of("sleep", "10m"), null), logs);

        task.cancel("not needed");
        task.cancel("later reason");

        assertThat(task.result().get(1, TimeUnit.SECONDS)).isEqualTo(new TaskResult.Canceled("not needed"));
    }

    @Test
    void timeoutShorterThanTheSleepTimesOut() throws Exception {
        RunningTask task = runner.start(invocation(Map.of("sleep", "10m"), Duration.ofMillis(100)), logs);

        assertThat(task.result().get(10, TimeUnit.SECONDS)).isEqualTo(new TaskResult.TimedOut(Duration.ofMillis(100)));
    }

    @Test
    void invalidConfigFails() {
        assertThat(runner.start(invocation(Map.of("sleep", "soon"), null), logs).result()).isCompletedWithValue(
                new TaskResult.Failed("config 'sleep' must be a duration like 200ms, 5s, 2m, 1h or PT5S, got 'soon'",
                        null));
        assertThat(runner.start(invocation(Map.of("outputs", "x"), null), logs).result()).isCompletedWithValue(
                new TaskResult.Failed("config 'outputs' must be an object, got a string", null));
    }

    @Test
    void durationsParseInShortAndIsoForms() {
        assertThat(TaskConfig.parseDuration("200ms")).contains(Duration.ofMillis(200));
        assertThat(TaskConfig.parseDuration("1.5s")).contains(Duration.ofMillis(1500));
        assertThat(TaskConfig.parseDuration("2m")).contains(Duration.ofMinutes(2));
        assertThat(TaskConfig.parseDuration("1h")).contains(Duration.ofHours(1));
        assertThat(TaskConfig.parseDuration("PT0.2S")).contains(Duration.ofMillis(200));
        assertThat(TaskConfig.parseDuration("-PT1S")).isEmpty();
        assertThat(TaskConfig.parseDuration("5 parsecs")).isEmpty();
    }

    private static TaskInvocation invocation(Map<String, Object> config, Duration timeout) {
        return new TaskInvocation("p", "r", "t", 1, "noop", config, timeout, Path.of("unused"));
    }
}
