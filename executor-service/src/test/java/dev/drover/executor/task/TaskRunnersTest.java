package dev.drover.executor.task;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskRunnersTest {
    private final TaskRunners runners = TaskRunners.builtIn(Path.of("."));

    @Test
    void builtInRunnersAreNoopAndShell() {
        assertThat(runners.types()).containsExactlyInAnyOrder("noop", "shell");
        assertThat(runners.get("shell")).containsInstanceOf(ShellTaskRunner.class);
        assertThat(runners.get("noop")).containsInstanceOf(NoopTaskRunner.class);
        assertThat(runners.get("spark")).isEmpty();
    }

    @Test
    void startPicksTheRunnerByTypeAndFailsForUnknownTypes() {
        assertThat(runners.start(invocation("noop"), new RecordingSink()).result())
                .isCompletedWithValue(new TaskResult.Succeeded(Map.of()));
        assertThat(runners.start(invocation("spark"), new RecordingSink()).result())
                .isCompletedWithValue(new TaskResult.Failed("no runner for task type 'spark'", null));
    }

    @Test
    void withAddsOrReplacesARunner() {
        TaskRunner custom = new TaskRunner() {
            @Override
            public String type() {
                return "noop";
            }

            @Override
            public RunningTask start(TaskInvocation inv, LogSink logs) {
                return RunningTask.finished(new TaskResult.Failed("custom", 1));
            }
        };

        TaskRunners replaced = runners.with(custom);

        assertThat(replaced.get("noop")).containsSame(custom);
        assertThat(runners.get("noop")).containsInstanceOf(NoopTaskRunner.class);
    }

    @Test
    void twoRunnersForOneTypeAreAWiringError() {
        assertThatThrownBy(() -> new TaskRunners(List.of(new NoopTaskRunner(), new NoopTaskRunner())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void attemptIdIsRunTaskAttempt() {
        assertThat(invocation("noop").attemptId()).isEqualTo("run-9/train/3");
    }

    private static TaskInvocation invocation(String type) {
        return new TaskInvocation("p", "run-9", "train", 3, type, Map.of(), Duration.ofSeconds(5), Path.of("unused"));
    }
}
