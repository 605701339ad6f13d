package dev.drover.executor.dispatch;

import dev.drover.schemas.run.command.ReportTaskStarted;
import dev.drover.schemas.run.command.ReportTaskSucceeded;
import dev.drover.schemas.run.command.RunCommandEnvelope;
import dev.drover.schemas.task.TaskDispatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An executor takes no more attempts than it has slots, however many are waiting in its queue. */
class ExecutorSlotsTest {
    @TempDir
    static Path dir;
    private static ExecutorHarness executor;

    @BeforeAll
    static void startExecutor() {
        executor = new ExecutorHarness(1, Duration.ofSeconds(3), dir);
    }

    @AfterAll
    static void stopExecutor() {
        if (executor != null) {
            executor.close();
        }
    }

    @Test
    void withOneSlotTheSecondTaskStartsOnlyAfterTheFirstHasEnded() {
        TaskDispatch one = executor.shell("long", "sleep 1");
        TaskDispatch two = executor.shell("long", "sleep 1");
        executor.publish(one);
        executor.publish(two);

        RunCommandEnvelope oneDone = executor.awaitCommand(one.getRunId(), ReportTaskSucceeded.class);
        RunCommandEnvelope twoDone = executor.awaitCommand(two.getRunId(), ReportTaskSucceeded.class);
        RunCommandEnvelope oneStarted = executor.awaitCommand(one.getRunId(), ReportTaskStarted.class);
        RunCommandEnvelope twoStarted = executor.awaitCommand(two.getRunId(), ReportTaskStarted.class);

        // whichever the share group handed out first, the attempts did not overlap
        List<List<RunCommandEnvelope>> attempts = List.of(List.of(oneStarted, oneDone), List.of(twoStarted, twoDone))
                .stream().sorted(Comparator.comparing(a -> a.get(0).getIssuedAt())).toList();
        List<RunCommandEnvelope> first = attempts.get(0);
        List<RunCommandEnvelope> second = attempts.get(1);
        assertThat(second.get(0).getIssuedAt()).as("second start is after the first end")
                .isAfterOrEqualTo(first.get(1).getIssuedAt());
        assertThat(Duration.between(first.get(0).getIssuedAt(), first.get(1).getIssuedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(executor.runtime.attempts().capacity()).isEqualTo(1);
    }
}
