package dev.drover.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Drover process started from the test's classpath: a real, separate JVM that a test can kill with SIGKILL. Its
 * output goes to a log file (kept in target/) and is scanned for a ready line.
 */
final class ServiceProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private ServiceProcess(String name, Process process, Path log, String readyPrefix) {
        this.name = name;
        this.process = process;
        this.log = log;
        Thread pump = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); var w = Files.newBufferedWriter(log)) {
                String line;
                while ((line = r.readLine()) != null) {
                    w.write(line);
                    w.newLine();
                    w.flush();
                    if (readyPrefix != null && line.startsWith(readyPrefix)) {
                        ready.complete(line.substring(readyPrefix.length()).trim());
                    }
                }
            } catch (IOException e) {
                // the process died; the log says why
            }
            ready.completeExceptionally(new IllegalStateException(name + " exited; see " + log));
        }, name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    static ServiceProcess start(String name, Path logDir, String mainClass, Map<String, String> props,
                                List<String> args, String readyPrefix) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        Files.createDirectories(logDir);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        return new ServiceProcess(name, p, logDir.resolve(name + ".log"), readyPrefix);
    }

    String awaitReady(long seconds) throws Exception {
        return ready.get(seconds, TimeUnit.SECONDS);
    }

    /** SIGKILL: no shutdown hooks, no goodbyes, exactly like {@code kill -9}. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGTERM, as {@code kill} or a service manager sends it: the process's shutdown hook runs. */
    void sigterm() {
        // Through the handle: Process.destroy() sends the same signal but also closes our end of the output pipe at
        // once, so everything the process logs while it shuts down would be lost.
        process.toHandle().destroy();
    }

    /** The exit status once the process has ended, or empty if it is still running after {@code seconds}. */
    OptionalInt awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? OptionalInt.of(process.exitValue()) : OptionalInt.empty();
    }

    Path log() {
        return log;
    }

    String name() {
        return name;
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
