package dev.drover.executor.task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Task type {@code shell}: runs a local process.
 *
 * <p>Config:
 * <ul>
 *   <li>{@code command}: a string, run with {@code /bin/sh -c}, or a list of strings, executed directly;</li>
 *   <li>{@code env} (optional): extra environment variables, added to the executor's own minus its settings and
 *       credentials ({@link TaskEnvironment});</li>
 *   <li>{@code workingDir} (optional): where to run, relative paths against the runner's base directory (default).</li>
 * </ul>
 *
 * <p>The process also gets {@code DROVER_ATTEMPT_ID} (the idempotency key), {@code DROVER_RUN_ID},
 * {@code DROVER_TASK_ID}, {@code DROVER_PIPELINE_ID}, {@code DROVER_ATTEMPT}, {@code DROVER_RUN_DIR} and
 * {@code DROVER_OUTPUT}; these win over {@code env} so that a task cannot be misled about which attempt it is. To
 * declare outputs, the task writes one JSON object (at most 64 KiB) to the file named by {@code DROVER_OUTPUT}.
 *
 * <p>Exit code 0 is success, anything else failure. On timeout or cancel the whole process tree gets SIGTERM, and
 * SIGKILL after the kill grace. Known limit: processes a task leaves running in the background after a normal exit
 * are not killed (they are no longer reachable from the exited process); if they hold stdout or stderr open, the
 * result is reported after the drain grace at the latest, and what they write afterwards is not captured.
 */
public final class ShellTaskRunner implements TaskRunner {
    /** The task type. */
    public static final String TYPE = "shell";
    /** How long a process tree gets between SIGTERM and SIGKILL, by default. */
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(2);
    /** How long to wait for stdout and stderr to end after the process has exited, by default. */
    public static final Duration DEFAULT_DRAIN_GRACE = Duration.ofSeconds(2);

    private final Path baseDir;
    private final Duration killGrace;
    private final Duration drainGrace;
    private final Map<String, String> baseEnvironment;

    /** A runner with the default graces, running tasks in {@code baseDir} unless they say otherwise. */
    public ShellTaskRunner(Path baseDir) {
        this(baseDir, DEFAULT_KILL_GRACE, DEFAULT_DRAIN_GRACE);
    }

    /** As above, tasks starting from {@code baseEnvironment} instead of the executor's environment. */
    public ShellTaskRunner(Path baseDir, Map<String, String> baseEnvironment) {
        this(baseDir, DEFAULT_KILL_GRACE, DEFAULT_DRAIN_GRACE, baseEnvironment);
    }

    /**
     * @param baseDir    default working directory, and what relative {@code workingDir}s are resolved against
     * @param killGrace  time between SIGTERM and SIGKILL when stopping a process tree
     * @param drainGrace time to wait for the output streams to end once the process has exited
     */
    public ShellTaskRunner(Path baseDir, Duration killGrace, Duration drainGrace) {
        this(baseDir, killGrace, drainGrace, TaskEnvironment.DEFAULT.from(System.getenv()));
    }

    /**
     * @param baseEnvironment what every task's environment starts from (the executor's, filtered by
     *                        {@link TaskEnvironment}); the task's {@code env} and Drover's variables are added to it
     */
    public ShellTaskRunner(Path baseDir, Duration killGrace, Duration drainGrace,
                           Map<String, String> baseEnvironment) {
        this.baseDir = baseDir.toAbsolutePath().normalize();
        this.killGrace = Objects.requireNonNull(killGrace, "killGrace");
        this.drainGrace = Objects.requireNonNull(drainGrace, "drainGrace");
        this.baseEnvironment = Map.copyOf(baseEnvironment);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public RunningTask start(TaskInvocation inv, LogSink logs) {
        List<String> command;
        Map<String, String> env;
        Path workingDir;
        try {
            TaskConfig config = new TaskConfig(inv.config());
            command = command(config);
            env = config.stringMap("env").orElse(Map.of());
            workingDir = workingDir(config);
        } catch (InvalidConfig e) {
            return failed(logs, e.getMessage());
        }

        Path runDir;
        Path outputFile;
        try {
            runDir = Files.createDirectories(inv.runDir().toAbsolutePath().normalize());
            Path outputs = Files.createDirectories(runDir.resolve(".drover").resolve("outputs"));
            // A fresh, uniquely named file per attempt: a retry must not see what an earlier attempt left.
            outputFile = Files.createTempFile(outputs, inv.taskId() + "-" + inv.attempt() + "-", ".json");
        } catch (IOException | RuntimeException e) {
            return failed(logs, "cannot prepare run directory " + inv.runDir() + ": " + e);
        }

        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
        Map<String, String> environment = builder.environment();
        environment.clear();
        environment.putAll(baseEnvironment);
        try {
            environment.putAll(env);
        } catch (IllegalArgumentException e) {
            deleteQuietly(outputFile);
            return failed(logs, "config 'env' holds an invalid variable: " + e.getMessage());
        }
        environment.put("DROVER_ATTEMPT_ID", inv.attemptId());
        environment.put("DROVER_RUN_ID", inv.runId());
        environment.put("DROVER_TASK_ID", inv.taskId());
        environment.put("DROVER_PIPELINE_ID", inv.pipelineId());
        environment.put("DROVER_ATTEMPT", Integer.toString(inv.attempt()));
        environment.put("DROVER_RUN_DIR", runDir.toString());
        environment.put(OutputFile.ENV, outputFile.toString());

        Process process;
        try {
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(outputFile);
            return failed(logs, "cannot start " + command.get(0) + ": " + e.getMessage());
        }
        logs.line(LogStream.SYSTEM, "started process " + process.pid() + " in " + workingDir);
        return ShellAttempt.supervise(inv, process, outputFile, logs, killGrace, drainGrace);
    }

    private static List<String> command(TaskConfig config) throws InvalidConfig {
        Object raw = config.get("command")
                .orElseThrow(() -> new InvalidConfig("config 'command' is required (a string or a list of strings)"));
        if (raw instanceof String script) {
            if (script.isBlank()) {
                throw new InvalidConfig("config 'command' is empty");
            }
            return List.of("/bin/sh", "-c", script);
        }
        if (raw instanceof List<?> list) {
            List<String> argv = TaskConfig.stringList("command", list);
            if (argv.isEmpty() || argv.get(0).isBlank()) {
                throw new InvalidConfig("config 'command' is empty");
            }
            return argv;
        }
        throw new InvalidConfig("config 'command' must be a string or a list of strings, got "
                + TaskConfig.describe(raw));
    }

    private Path workingDir(TaskConfig config) throws InvalidConfig {
        Path dir = config.string("workingDir").map(d -> baseDir.resolve(d).normalize()).orElse(baseDir);
        if (!Files.isDirectory(dir)) {
            throw new InvalidConfig("working directory " + dir + " does not exist or is not a directory");
        }
        return dir;
    }

    private static RunningTask failed(LogSink logs, String message) {
        logs.line(LogStream.SYSTEM, message);
        return RunningTask.finished(new TaskResult.Failed(message, null));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A stray empty file in the run directory is harmless.
        }
    }
}
