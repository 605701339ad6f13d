package dev.drover.executor.dispatch;

import dev.drover.platform.json.JsonValues;
import dev.drover.platform.kafka.Topics;
import dev.drover.schemas.common.DeadLetter;
import dev.drover.schemas.run.command.ReportTaskFailed;
import dev.drover.schemas.run.command.ReportTaskHeartbeat;
import dev.drover.schemas.run.command.ReportTaskStarted;
import dev.drover.schemas.run.command.ReportTaskSucceeded;
import dev.drover.schemas.run.command.RunCommandEnvelope;
import dev.drover.schemas.run.event.RunFinished;
import dev.drover.schemas.run.event.RunStatus;
import dev.drover.schemas.run.event.TaskCanceled;
import dev.drover.schemas.run.event.TaskLost;
import dev.drover.schemas.task.LogLine;
import dev.drover.schemas.task.TaskDispatch;
import dev.drover.schemas.task.TaskLogBatch;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An executor against a real broker: it takes dispatches from its queue's share group, runs them, and reports
 * starts, heartbeats, ends and log lines; it stops attempts the scheduler has ended, and sets aside what it cannot
 * read.
 */
class DispatchWorkerTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(500);

    @TempDir
    static Path dir;
    private static ExecutorHarness executor;

    @BeforeAll
    static void startExecutor() {
        executor = new ExecutorHarness(4, HEARTBEAT, dir);
    }

    @AfterAll
    static void stopExecutor() {
        if (executor != null) {
            executor.close();
        }
    }

    @Test
    void aShellTaskIsReportedStartedThenSucceededWithItsOutputsAndLogs() {
        TaskDispatch d = executor.shell("train", """
                echo hello
                echo "id=$DROVER_ATTEMPT_ID"
                echo '{"x":1}' > $DROVER_OUTPUT""");
        executor.publish(d);

        RunCommandEnvelope done = executor.awaitCommand(d.getRunId(), ReportTaskSucceeded.class);
        ReportTaskSucceeded success = (ReportTaskSucceeded) done.getPayload();
        assertThat(JsonValues.fromJson(success.getOutputsJson())).isEqualTo(Map.of("x", 1L));
        assertThat(success.getTaskId()).isEqualTo("train");
        assertThat(success.getAttempt()).isEqualTo(1);
        assertThat(success.getExecutorId()).isEqualTo(executor.runtime.executorId());

        // reports are commands of the run's pipeline, started before succeeded
        List<RunCommandEnvelope> commands = withoutHeartbeats(executor.commandsOf(d.getRunId()));
        assertThat(commands).extracting(c -> c.getPayload().getClass().getSimpleName())
                .containsExactly("ReportTaskStarted", "ReportTaskSucceeded");
        assertThat(commands).allSatisfy(c -> {
            assertThat(c.getPipelineId()).isEqualTo(d.getPipelineId());
            assertThat(c.getIssuedBy()).isEqualTo(executor.runtime.executorId());
        });
        assertThat(commands).extracting(RunCommandEnvelope::getCommandId).doesNotHaveDuplicates();
        ReportTaskStarted start = (ReportTaskStarted) commands.get(0).getPayload();
        assertThat(start.getExecutorId()).isEqualTo(executor.runtime.executorId());

        assertThat(executor.awaitCompleteLog(d.getRunId())).contains("STDOUT hello",
                "STDOUT id=" + d.getRunId() + "/train/1").last().isEqualTo("SYSTEM attempt ended: succeeded");
        assertSequenced(d.getRunId());
    }

    @Test
    void aFailingShellTaskIsReportedFailedWithItsExitCode() {
        TaskDispatch d = executor.shell("validate", "echo 'bad rows: 3' >&2; exit 3");
        executor.publish(d);

        ReportTaskFailed failure = (ReportTaskFailed) executor.awaitCommand(d.getRunId(), ReportTaskFailed.class)
                .getPayload();
        assertThat(failure.getExitCode()).isEqualTo(3);
        assertThat(failure.getMessage()).isNotBlank();
        assertThat(withoutHeartbeats(executor.commandsOf(d.getRunId())))
                .extracting(c -> c.getPayload().getClass().getSimpleName())
                .containsExactly("ReportTaskStarted", "ReportTaskFailed");
        assertThat(executor.awaitCompleteLog(d.getRunId())).contains("STDERR bad rows: 3");
    }

    @Test
    void aRunningAttemptHeartbeatsAndShipsItsLogLinesWhileItRuns() {
        TaskDispatch d = executor.shell("train", "echo 'epoch 1'; sleep 3; echo 'epoch 2'");
        executor.publish(d);

        RunCommandEnvelope done = executor.awaitCommand(d.getRunId(), ReportTaskSucceeded.class);
        RunCommandEnvelope start = executor.awaitCommand(d.getRunId(), ReportTaskStarted.class);
        List<RunCommandEnvelope> beats = executor.commandsOf(d.getRunId()).stream()
                .filter(c -> c.getPayload() instanceof ReportTaskHeartbeat).toList();
        // ~3 s at one beat per 500 ms
        assertThat(beats).hasSizeGreaterThanOrEqualTo(3);
        assertThat(beats).allSatisfy(b -> {
            assertThat(b.getIssuedAt()).isAfterOrEqualTo(start.getIssuedAt());
            assertThat(((ReportTaskHeartbeat) b.getPayload()).getAttempt()).isEqualTo(1);
        });
        assertThat(beats.get(0).getIssuedAt()).isBefore(done.getIssuedAt());

        // the first line was shipped on its own while the task slept, not with the attempt's last lines
        TaskLogBatch early = executor.awaitLogLine(d.getRunId(), "epoch 1"::equals);
        assertThat(early.getLines()).extracting(LogLine::getLine).doesNotContain("epoch 2");
        assertThat(executor.awaitCompleteLog(d.getRunId())).contains("STDOUT epoch 1", "STDOUT epoch 2");
        assertSequenced(d.getRunId());
    }

    @Test
    void aTaskCanceledEventKillsTheAttemptsProcessTree() throws Exception {
        TaskDispatch d = executor.shell("serve", "sleep 60 & echo $! > \"$DROVER_RUN_DIR/sleep.pid\"; wait");
        executor.publish(d);
        executor.awaitCommand(d.getRunId(), ReportTaskStarted.class);
        long sleeper = awaitPid(d);
        assertThat(running(sleeper)).isTrue();

        executor.publish(d.getPipelineId(), d.getRunId(), TaskCanceled.newBuilder().setRunId(d.getRunId())
                .setTaskId(d.getTaskId()).setAttempt(d.getAttempt()).build());

        executor.awaitLogLine(d.getRunId(), l -> l.startsWith("attempt stopped: canceled"));
        assertThat(running(sleeper)).as("the task's child process is gone").isFalse();
        await("the slot to be free").atMost(ExecutorHarness.PATIENCE)
                .until(() -> executor.runtime.attempts().runningCount() == 0);
        // a canceled attempt is over for the scheduler already: no end report
        assertThat(executor.commandsOf(d.getRunId())).noneMatch(c -> c.getPayload() instanceof ReportTaskSucceeded
                || c.getPayload() instanceof ReportTaskFailed);
    }

    @Test
    void aCanceledRunStopsEveryAttemptOfIt() {
        String runId = ExecutorHarness.unique("exec") + ".1";
        TaskDispatch first = executor.dispatch(runId, "a", "shell", Map.of("command", "sleep 60"));
        TaskDispatch second = executor.dispatch(runId, "b", "shell", Map.of("command", "sleep 60"));
        executor.publish(first);
        executor.publish(second);
        await("both attempts running").atMost(ExecutorHarness.PATIENCE).pollInSameThread().until(() ->
                executor.commandsOf(runId).stream().filter(c -> c.getPayload() instanceof ReportTaskStarted).count()
                        == 2);

        executor.publish(first.getPipelineId(), runId, RunFinished.newBuilder().setRunId(runId)
                .setStatus(RunStatus.CANCELED).setReason("canceled by a test").setAt(Instant.now()).build());

        await("both attempts stopped").atMost(ExecutorHarness.PATIENCE).pollInSameThread().until(() ->
                executor.logLines(runId).stream().filter(l -> l.contains("attempt stopped: canceled")).count() == 2);
    }

    @Test
    void anAttemptTheSchedulerEndedBeforeItArrivedIsStoppedAsSoonAsItStarts() {
        TaskDispatch d = executor.shell("late", "sleep 60");
        // the scheduler gave up on the attempt (start deadline) while its dispatch record was still on the way
        executor.publish(d.getPipelineId(), d.getRunId(), TaskLost.newBuilder().setRunId(d.getRunId())
                .setTaskId(d.getTaskId()).setAttempt(d.getAttempt()).setExecutorId(null).setAt(Instant.now()).build());
        await("the executor to have seen the loss").atMost(ExecutorHarness.PATIENCE).pollInSameThread()
                .until(() -> executor.runtime.attempts().endedRecently(d.getRunId(), d.getTaskId(), d.getAttempt()));

        executor.publish(d);

        executor.awaitLogLine(d.getRunId(), l -> l.startsWith("attempt stopped:")
                && l.contains("before it started on this executor"));
        await("the slot to be free").atMost(ExecutorHarness.PATIENCE)
                .until(() -> executor.runtime.attempts().runningCount() == 0);
        assertThat(executor.commandsOf(d.getRunId())).noneMatch(c -> c.getPayload() instanceof ReportTaskSucceeded
                || c.getPayload() instanceof ReportTaskFailed);
    }

    @Test
    void anUnreadableDispatchIsDeadLetteredAndTheWorkerCarriesOn() {
        byte[] garbage = "not a dispatch".getBytes(StandardCharsets.UTF_8);
        String key = ExecutorHarness.unique("poison");
        RecordMetadata poisoned = executor.send(new ProducerRecord<>(Topics.dispatch(executor.queue), key, garbage));

        DeadLetter letter = executor.deadLetters.awaitFirst("the dead letter", l ->
                l.getSourceTopic().equals(poisoned.topic()) && l.getPartition() == poisoned.partition()
                        && l.getOffset() == poisoned.offset());
        assertThat(letter.getReason()).startsWith("undecodable dispatch");
        assertThat(letter.getService()).isEqualTo("executor");
        assertThat(StandardCharsets.UTF_8.decode(letter.getKey()).toString()).isEqualTo(key);
        assertThat(StandardCharsets.UTF_8.decode(letter.getValue()).toString()).isEqualTo("not a dispatch");

        TaskDispatch next = executor.shell("after", "echo still here");
        executor.publish(next);
        executor.awaitCommand(next.getRunId(), ReportTaskSucceeded.class);
    }

    /** A short task may or may not be running when a heartbeat tick comes. */
    private static List<RunCommandEnvelope> withoutHeartbeats(List<RunCommandEnvelope> commands) {
        return commands.stream().filter(c -> !(c.getPayload() instanceof ReportTaskHeartbeat)).toList();
    }

    /** Each line of a (complete) attempt log was shipped once, numbered 1..n. */
    private static void assertSequenced(String runId) {
        List<Long> seqs = executor.lines(runId).stream().map(LogLine::getSeq).sorted().toList();
        assertThat(seqs).isNotEmpty();
        for (int i = 0; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).isEqualTo(i + 1L);
        }
    }

    /**
     * Whether a process runs. A killed orphan may linger as a zombie where PID 1 does not reap (containers), and
     * {@link ProcessHandle#isAlive()} counts zombies as alive, so the state in {@code /proc} decides.
     */
    private static boolean running(long pid) throws Exception {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        String s;
        try {
            s = Files.readString(stat);
        } catch (java.io.IOException gone) {
            return false;
        }
        char state = s.charAt(s.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }

    private static long awaitPid(TaskDispatch d) throws Exception {
        Path pidFile = dir.resolve("runs").resolve(d.getRunId()).resolve("sleep.pid");
        await("the task's pid file").atMost(ExecutorHarness.PATIENCE).until(() -> Files.exists(pidFile)
                && !Files.readString(pidFile).isBlank());
        return Long.parseLong(Files.readString(pidFile).trim());
    }
}
