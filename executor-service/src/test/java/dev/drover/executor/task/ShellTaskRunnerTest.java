package dev.drover.executor.task;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs real processes through {@code /bin/sh}. */
class ShellTaskRunnerTest {
    private static final Duration NO_TIMEOUT = Duration.ZERO;

    @TempDir
    Path tmp;
    Path baseDir;
    Path runDir;
    ShellTaskRunner runner;
    RecordingSink logs = new RecordingSink();

    @BeforeEach
    void setUp() throws Exception {
        baseDir = Files.createDirectories(tmp.resolve("work"));
        runDir = tmp.resolve("runs").resolve("run-1");
        runner = new ShellTaskRunner(baseDir, Duration.ofMillis(300), Duration.ofMillis(500));
    }

    // --- outputs -------------------------------------------------------------------------------------------------

    @Test
    void successReportsTheJsonObjectWrittenToDroverOutput() throws Exception {
        TaskResult result = run(shell("""
                printf '{"model":"m-1","accuracy":0.93,"epochs":12,"ok":true,"tags":["a","b"],"meta":{"n":null}}' \
                  > "$DROVER_OUTPUT"
                """));

        assertThat(result).isInstanceOf(TaskResult.Succeeded.class);
        Map<String, Object> outputs = ((TaskResult.Succeeded) result).outputs();
        assertThat(outputs).containsEntry("model", "m-1")
                .containsEntry("accuracy", 0.93)
                .containsEntry("epochs", 12L)
                .containsEntry("ok", true)
                .containsEntry("tags", List.of("a", "b"));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("n", null);
        assertThat(outputs.get("meta")).isEqualTo(meta);
    }

    @Test
    void successWithoutOutputsHasEmptyOutputs() throws Exception {
        assertThat(run(shell("echo hello"))).isEqualTo(new TaskResult.Succeeded(Map.of()));
        assertThat(run(shell("rm \"$DROVER_OUTPUT\""))).isEqualTo(new TaskResult.Succeeded(Map.of()));
    }

    @Test
    void outputFileThatIsNotJsonFails() throws Exception {
        TaskResult result = run(shell("echo 'not json' > \"$DROVER_OUTPUT\""));

        assertThat(result).isInstanceOfSatisfying(TaskResult.Failed.class, f -> {
            assertThat(f.message()).startsWith("DROVER_OUTPUT file is not valid JSON");
            assertThat(f.exitCode()).isZero();
        });
    }

    @Test
    void outputFileThatIsNotAnObjectFails() throws Exception {
        TaskResult result = run(shell("echo '[1, 2]' > \"$DROVER_OUTPUT\""));

        assertThat(result).isEqualTo(
                new TaskResult.Failed("DROVER_OUTPUT file must hold a JSON object, found an array", 0));
    }

    @Test
    void tooLargeOutputFileFailsWithSizeAndLimit() throws Exception {
        TaskResult result = run(shell("""
                { printf '{"a":"'; head -c 70000 /dev/zero | tr '\\0' a; printf '"}'; } > "$DROVER_OUTPUT"
                """));

        assertThat(result).isEqualTo(new TaskResult.Failed(
                "DROVER_OUTPUT file is too large: 70008 bytes (limit 65536 bytes)", 0));
    }

    @Test
    void outputFileIsFreshPerAttemptAndRemovedAfterwards() throws Exception {
        TaskResult first = run(shell("""
                [ -s "$DROVER_OUTPUT" ] && exit 9
                printf '{"path":"%s"}' "$DROVER_OUTPUT" > "$DROVER_OUTPUT"
                """));
        String path = (String) ((TaskResult.Succeeded) first).outputs().get("path");

        assertThat(Path.of(path)).startsWithRaw(runDir).doesNotExist();
        assertThat(run(shell("[ -s \"$DROVER_OUTPUT\" ] && exit 9; true")))
                .isEqualTo(new TaskResult.Succeeded(Map.of()));
    }

    // --- failures ------------------------------------------------------------------------------------------------

    @Test
    void nonZeroExitFailsWithTheCodeAndTheLastStderrLine() throws Exception {
        TaskResult result = run(shell("echo working; echo 'first problem' >&2; echo 'boom: disk full' >&2; exit 3"));

        assertThat(result).isEqualTo(new TaskResult.Failed("exited with code 3: boom: disk full", 3));
        assertThat(logs.lines(LogStream.STDOUT)).containsExactly("working");
    }

    @Test
    void nonZeroExitWithoutStderrSaysOnlyTheCode() throws Exception {
        assertThat(run(shell("exit 7"))).isEqualTo(new TaskResult.Failed("exited with code 7", 7));
    }

    @Test
    void missingBinaryFailsWithTheReason() throws Exception {
        TaskResult result = run(Map.of("command", List.of("/nonexistent/drover-binary", "x")));

        assertThat(result).isInstanceOfSatisfying(TaskResult.Failed.class, f -> {
            assertThat(f.message()).startsWith("cannot start /nonexistent/drover-binary")
                    .contains("No such file or directory");
            assertThat(f.exitCode()).isNull();
        });
        assertThat(logs.lines(LogStream.SYSTEM)).anyMatch(l -> l.startsWith("cannot start"));
    }

    @Test
    void invalidConfigFailsWithoutStartingAnything() throws Exception {
        assertThat(run(Map.of())).isEqualTo(
                new TaskResult.Failed("config 'command' is required (a string or a list of strings)", null));
        assertThat(run(Map.of("command", 42L))).isEqualTo(
                new TaskResult.Failed("config 'command' must be a string or a list of strings, got a number", null));
        assertThat(run(Map.of("command", List.of("echo", Map.of())))).isEqualTo(
                new TaskResult.Failed("config 'command[1]' must be a string, got an object", null));
        assertThat(run(Map.of("command", "true", "env", Map.of("A", List.of())))).isEqualTo(
                new TaskResult.Failed("config 'env.A' must be a string, got a list", null));
    }

    // --- logs ----------------------------------------------------------------------------------------------------

    @Test
    void logsArriveInOrderPerStream() throws Exception {
        run(shell("for i in $(seq 1 300); do echo out$i; echo err$i >&2; done"));

        assertThat(logs.lines(LogStream.STDOUT))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 300).mapToObj(i -> "out" + i).toList());
        assertThat(logs.lines(LogStream.STDERR))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 300).mapToObj(i -> "err" + i).toList());
    }

    @Test
    void logsAreStreamedWhileTheProcessRuns() throws Exception {
        RunningTask task = start(shell("echo ready; while [ ! -f go ]; do sleep 0.02; done; echo done"), NO_TIMEOUT);

        await().atMost(Duration.ofSeconds(10)).until(() -> logs.has(LogStream.STDOUT, "ready"));
        assertThat(task.result()).isNotDone();

        Files.createFile(baseDir.resolve("go"));
        assertThat(resultOf(task)).isEqualTo(new TaskResult.Succeeded(Map.of()));
        assertThat(logs.lines(LogStream.STDOUT)).containsExactly("ready", "done");
    }

    @Test
    void veryLongLinesAreCut() throws Exception {
        run(shell("head -c 20000 /dev/zero | tr '\\0' x; echo; printf 'last without newline'"));

        assertThat(logs.lines(LogStream.STDOUT)).containsExactly(
                "x".repeat(LinePump.MAX_LINE_BYTES) + LinePump.TRUNCATION_MARKER, "last without newline");
    }

    // --- environment and working directory -----------------------------------------------------------------------

    @Test
    void environmentCarriesTheAttemptAndTheConfiguredVariables() throws Exception {
        Map<String, Object> env = Map.of("GREETING", "hi there", "PORT", 8080L, "DROVER_ATTEMPT_ID", "spoofed");
        TaskResult result = run(Map.of("env", env, "command", """
                printf '{"attemptId":"%s","run":"%s","task":"%s","pipeline":"%s","attempt":"%s","runDir":"%s",\
                "greeting":"%s","port":"%s","path":"%s"}' \
                  "$DROVER_ATTEMPT_ID" "$DROVER_RUN_ID" "$DROVER_TASK_ID" "$DROVER_PIPELINE_ID" "$DROVER_ATTEMPT" \
                  "$DROVER_RUN_DIR" "$GREETING" "$PORT" "$PATH" > "$DROVER_OUTPUT"
                """));

        assertThat(result).isInstanceOf(TaskResult.Succeeded.class);
        Map<String, Object> seen = ((TaskResult.Succeeded) result).outputs();
        assertThat(seen).containsEntry("attemptId", "run-1/train/2")
                .containsEntry("run", "run-1")
                .containsEntry("task", "train")
                .containsEntry("pipeline", "churn")
                .containsEntry("attempt", "2")
                .containsEntry("runDir", runDir.toString())
                .containsEntry("greeting", "hi there")
                .containsEntry("port", "8080")
                .containsEntry("path", System.getenv("PATH"));
        assertThat(runDir).isDirectory();
    }

    @Test
    void aTaskDoesNotInheritTheExecutorsSettingsAndCredentials() throws Exception {
        Map<String, String> executorEnv = new LinkedHashMap<>(System.getenv());
        executorEnv.put("DROVER_SECURITY_SERVICE_TOKEN", "drv_executor_credential");
        executorEnv.put("DROVER_SECURITY_SECRET_KEY", "the-secret-key");
        executorEnv.put("MICRONAUT_CONFIG_FILES", "/etc/drover/executor.yml");
        executorEnv.put("AWS_SECRET_ACCESS_KEY", "aws-credential");
        executorEnv.put("WAREHOUSE_HOST", "warehouse.internal");
        runner = new ShellTaskRunner(baseDir, Duration.ofMillis(300), Duration.ofMillis(500),
                TaskEnvironment.hiding(List.of("AWS_*")).from(executorEnv));

        TaskResult result = run(Map.of("env", Map.of("FROM_SPEC", "given"), "command",
                "env > \"$DROVER_RUN_DIR/env.txt\""));

        assertThat(result).isInstanceOf(TaskResult.Succeeded.class);
        String seen = Files.readString(runDir.resolve("env.txt"));
        assertThat(seen).contains("WAREHOUSE_HOST=warehouse.internal", "FROM_SPEC=given", "DROVER_ATTEMPT_ID=",
                        "PATH=")
                .doesNotContain("drv_executor_credential", "the-secret-key", "MICRONAUT_CONFIG_FILES",
                        "aws-credential");
    }

    @Test
    void runsInTheBaseDirectoryByDefaultAndResolvesRelativeWorkingDirs() throws Exception {
        Path sub = Files.createDirectories(baseDir.resolve("sub"));

        run(shell("pwd -P"));
        run(Map.of("command", "pwd -P", "workingDir", "sub"));
        run(Map.of("command", "pwd -P", "workingDir", tmp.toString()));

        assertThat(logs.lines(LogStream.STDOUT)).containsExactly(
                baseDir.toRealPath().toString(), sub.toRealPath().toString(), tmp.toRealPath().toString());
    }

    @Test
    void missingWorkingDirFails() throws Exception {
        assertThat(run(Map.of("command", "true", "workingDir", "nope"))).isEqualTo(new TaskResult.Failed(
                "working directory " + baseDir.resolve("nope") + " does not exist or is not a directory", null));
    }

    @Test
    void listCommandIsExecutedWithoutAShell() throws Exception {
        TaskResult result = run(Map.of("command", List.of("printf", "%s|%s\\n", "a b", "$HOME")));

        assertThat(result).isEqualTo(new TaskResult.Succeeded(Map.of()));
        assertThat(logs.lines(LogStream.STDOUT)).containsExactly("a b|$HOME");
    }

    @Test
    void stdinIsClosed() throws Exception {
        assertThat(run(shell("cat; echo after-cat"))).isEqualTo(new TaskResult.Succeeded(Map.of()));
        assertThat(logs.lines(LogStream.STDOUT)).containsExactly("after-cat");
    }

    // --- stopping ------------------------------------------------------------------------------------------------

    @Test
    void timeoutKillsTheWholeProcessTree() throws Exception {
        RunningTask task = start(shell("sleep 1000 & echo child=$!; wait"), Duration.ofMillis(1500));
        long child = childPid();

        assertThat(resultOf(task)).isEqualTo(new TaskResult.TimedOut(Duration.ofMillis(1500)));
        assertThat(isAlive(child)).as("background child %d", child).isFalse();
        assertThat(logs.lines(LogStream.SYSTEM)).anyMatch(l -> l.startsWith("timed out after PT1.5S"));
    }

    @Test
    void cancelKillsTheWholeProcessTree() throws Exception {
        RunningTask task = start(shell("sleep 1000 & echo child=$!; wait"), NO_TIMEOUT);
        long child = childPid();

        task.cancel("run canceled by alice");

        assertThat(resultOf(task)).isEqualTo(new TaskResult.Canceled("run canceled by alice"));
        assertThat(isAlive(child)).as("background child %d", child).isFalse();
    }

    @Test
    void cancelAlsoKillsOrphansThatLeftTheTree() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc")), "finding orphans needs /proc");
        // The subshell exits at once, so its background sleep is re-parented and no longer a descendant of the task.
        RunningTask task = start(shell("( sleep 1000 & echo child=$! ); sleep 999"), NO_TIMEOUT);
        long child = childPid();
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(child)
                .flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L) != ProcessHandle.current().pid()
                && ProcessHandle.current().descendants().noneMatch(p -> p.pid() == child));

        task.cancel("stop");

        assertThat(resultOf(task)).isEqualTo(new TaskResult.Canceled("stop"));
        assertThat(isAlive(child)).as("orphaned child %d", child).isFalse();
    }

    @Test
    void processesIgnoringSigtermAreKilledAfterTheGrace() throws Exception {
        RunningTask task = start(shell("trap '' TERM; sleep 1000 & echo child=$!; wait"), NO_TIMEOUT);
        long child = childPid();

        task.cancel("stop");

        assertThat(resultOf(task)).isEqualTo(new TaskResult.Canceled("stop"));
        assertThat(isAlive(child)).isFalse();
        assertThat(logs.lines(LogStream.SYSTEM)).anyMatch(l -> l.contains("SIGKILL"));
    }

    @Test
    void theFirstDecisionWins() throws Exception {
        RunningTask done = start(shell("exit 0"), NO_TIMEOUT);
        TaskResult result = resultOf(done);
        done.cancel("too late");
        assertThat(done.result().join()).isSameAs(result).isEqualTo(new TaskResult.Succeeded(Map.of()));

        RunningTask running = start(shell("sleep 1000"), Duration.ofSeconds(30));
        running.cancel("first");
        running.cancel("second");
        assertThat(resultOf(running)).isEqualTo(new TaskResult.Canceled("first"));
    }

    @Test
    void anExitedTaskWhoseBackgroundChildHoldsTheOutputIsNotWaitedForForever() throws Exception {
        // Whether the drain grace is needed depends on a race inside the JDK (on exit it may swap the pipe for what
        // was buffered), so this only pins the bound: the result comes, long before the child would end.
        TaskResult result = start(shell("sleep 1000 & echo child=$!"), NO_TIMEOUT).result().get(10, TimeUnit.SECONDS);
        long child = childPid();
        try {
            assertThat(result).isEqualTo(new TaskResult.Succeeded(Map.of()));
        } finally {
            ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static Map<String, Object> shell(String script) {
        return Map.of("command", script);
    }

    private TaskInvocation invocation(Map<String, Object> config, Duration timeout) {
        return new TaskInvocation("churn", "run-1", "train", 2, "shell", config, timeout, runDir);
    }

    private RunningTask start(Map<String, Object> config, Duration timeout) {
        return runner.start(invocation(config, timeout), logs);
    }

    private TaskResult run(Map<String, Object> config) throws Exception {
        return resultOf(start(config, Duration.ofSeconds(30)));
    }

    private static TaskResult resultOf(RunningTask task) throws Exception {
        return task.result().get(30, TimeUnit.SECONDS);
    }

    private long childPid() {
        await().atMost(Duration.ofSeconds(10)).until(() -> logs.valueAfter(LogStream.STDOUT, "child=").isPresent());
        return Long.parseLong(logs.valueAfter(LogStream.STDOUT, "child=").orElseThrow());
    }

    /** Zombies count as dead: they run nothing, and where PID 1 does not reap, a killed orphan stays one. */
    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessTree::running).orElse(false);
    }
}
